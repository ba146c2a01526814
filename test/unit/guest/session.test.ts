import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import { CommandLostError } from '../../../src/guest/command-lost.js';
import { generateEd25519, publicBlob } from '../../../src/guest/keys.js';
import { connectGuest } from '../../../src/guest/session.js';
import type { GuestSession } from '../../../src/guest/types.js';
import { startFakeSshd, type FakeSshd } from './fake-sshd.js';

const host = generateEd25519('t');
const client = generateEd25519('t');
let sshd: FakeSshd;
let session: GuestSession | undefined;

beforeEach(async () => {
  sshd = await startFakeSshd(host.private);
});
afterEach(async () => {
  await session?.close();
  session = undefined;
  await sshd.close();
});

const connect = (port = sshd.port, hostPublicKey = publicBlob(host.public)) =>
  connectGuest({ port, privateKey: client.private, hostPublicKey, deadlineMs: Date.now() + 10_000 });

describe('GuestSession over a local ssh2 server', () => {
  it('runs argv on one long-lived shell with exact stdout, stderr and status', async () => {
    session = await connect();
    const r = await session.exec(['sh', '-c', 'printf "a\\nb"; printf "e" >&2; exit 4'], { timeoutMs: 5_000 });
    expect(r).toMatchObject({ exitCode: 4, stdout: 'a\nb', stderr: 'e', timedOut: false });
    const q = await session.exec(['printf', '%s|', '$(id)', '`id`', 'a;b', "it's", 'x\ny'], { timeoutMs: 5_000 });
    expect(q.stdout).toBe("$(id)|`id`|a;b|it's|x\ny|");
    const many = await Promise.all([1, 2, 3].map((i) => session!.exec(['echo', String(i)], { timeoutMs: 5_000 })));
    expect(many.map((m) => m.stdout)).toEqual(['1\n', '2\n', '3\n']);
    // One shell for all of them (plus nothing else).
    expect(sshd.commands).toEqual(['exec /bin/bash --noprofile --norc']);
  });

  it('kills a timed-out command with its children and keeps going', async () => {
    session = await connect();
    const r = await session.exec(['sh', '-c', 'sleep 37 & sleep 38'], { timeoutMs: 300 });
    expect(r).toMatchObject({ timedOut: true, exitCode: 137 });
    expect((await session.exec(['echo', 'ok'], { timeoutMs: 5_000 })).stdout).toBe('ok\n');
    const left = await session.exec(['sh', '-c', 'pgrep -f "sleep 3[78]" || true'], { timeoutMs: 5_000 });
    expect(left.stdout).toBe('');
  });

  it('keeps what a timed-out command printed before it was killed', async () => {
    session = await connect();
    const r = await session.exec(['sh', '-c', 'echo started; echo "stuck here" >&2; sleep 39'], { timeoutMs: 500 });
    expect(r).toMatchObject({ timedOut: true, stdout: 'started\n' });
    // Then bash's own job report ("... Killed  sh -c ...").
    expect(r.stderr).toMatch(/^stuck here\n.*Killed/s);
  });

  it('a command cut off by a lost connection fails with its argv, run time and output so far', async () => {
    session = await connect();
    const running = session.exec(['sh', '-c', 'echo "about to hang"; echo "last words" >&2; sleep 5'], { timeoutMs: 10_000 });
    setTimeout(() => sshd.dropAll(), 400);
    const err = await running.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandLostError);
    const lost = err as CommandLostError;
    expect(lost.code).toBe('GUEST_FAILED');
    expect(lost.command).toMatchObject({
      argv: ['sh', '-c', 'echo "about to hang"; echo "last words" >&2; sleep 5'],
      stdout: 'about to hang\n',
      stderr: 'last words\n',
    });
    expect(lost.command.durationMs).toBeGreaterThan(300);
  });

  it('passes stdin through a one-shot channel', async () => {
    session = await connect();
    const r = await session.exec(['tr', 'a-z', 'A-Z'], { timeoutMs: 5_000, stdin: 'abc' });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'ABC' });
  });

  it('refuses a host key it does not expect, without retrying', async () => {
    const other = generateEd25519('t');
    const err = await connect(sshd.port, publicBlob(other.public)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DaxlabError);
    expect((err as DaxlabError).code).toBe('GUEST_FAILED');
    expect((err as DaxlabError).message).toMatch(/host key mismatch/);
  });

  it('gives up at the deadline when nothing listens', async () => {
    const port = sshd.port;
    await sshd.close();
    sshd = await startFakeSshd(host.private);
    const attempts: number[] = [];
    const err = await connectGuest({
      port,
      privateKey: client.private,
      hostPublicKey: publicBlob(host.public),
      deadlineMs: Date.now() + 800,
      onAttempt: (n) => attempts.push(n),
    }).catch((e: unknown) => e as DaxlabError);
    expect(err).toBeInstanceOf(DaxlabError);
    expect((err as DaxlabError).message).toMatch(/deadline/);
    expect(attempts.length).toBeGreaterThan(1);
  });

  it('notices a cut connection and fails the running command', async () => {
    session = await connect();
    const running = session.exec(['sleep', '5'], { timeoutMs: 10_000 });
    setTimeout(() => sshd.dropAll(), 100);
    await expect(running).rejects.toMatchObject({ code: 'GUEST_FAILED' });
    await expect(session.closed).resolves.toHaveProperty('reason');
    await expect(session.exec(['true'], { timeoutMs: 1_000 })).rejects.toMatchObject({ code: 'GUEST_FAILED' });
  });
});
