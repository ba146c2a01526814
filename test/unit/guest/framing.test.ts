import { describe, expect, it } from 'vitest';
import { FrameParser, frameCommand, marker, shellInit } from '../../../src/guest/framing.js';

const M = marker('abc123', 7);

describe('frameCommand', () => {
  it('quotes argv, closes stdin and prints the marker on both streams', () => {
    expect(M).toBe('__DAXLAB_abc123_7__');
    expect(frameCommand(['echo', 'a b'], M)).toBe(
      `'echo' 'a b' </dev/null; printf '\\n%s %d\\n' ${M} "$?"; printf '\\n%s\\n' ${M} >&2\n`,
    );
  });

  it('starts the shell with job control and reports its pid', () => {
    expect(shellInit(M)).toBe(`set -m; printf '%d' "$$"; printf '\\n%s %d\\n' ${M} "$?"; printf '\\n%s\\n' ${M} >&2\n`);
  });
});

describe('FrameParser', () => {
  it('waits for both markers, even split across chunks', () => {
    const p = new FrameParser(M);
    p.push('stdout', Buffer.from('hello\n\n__DAXLAB_abc'));
    expect(p.result()).toBeUndefined();
    p.push('stdout', Buffer.from('123_7__ 3\n'));
    expect(p.result()).toBeUndefined();
    p.push('stderr', Buffer.from('oops\n'));
    p.push('stderr', Buffer.from(`\n${M}\n`));
    expect(p.result()).toEqual({ exitCode: 3, stdout: Buffer.from('hello\n'), stderr: Buffer.from('oops\n') });
  });

  it('keeps output without a trailing newline exact', () => {
    const p = new FrameParser(M);
    p.push('stdout', Buffer.from(`abc\n${M} 0\n`));
    p.push('stderr', Buffer.from(`\n${M}\n`));
    expect(p.result()).toEqual({ exitCode: 0, stdout: Buffer.from('abc'), stderr: Buffer.alloc(0) });
  });

  it('needs the status line to be complete', () => {
    const p = new FrameParser(M);
    p.push('stderr', Buffer.from(`\n${M}\n`));
    p.push('stdout', Buffer.from(`\n${M} 12`));
    expect(p.result()).toBeUndefined();
    p.push('stdout', Buffer.from('7\n'));
    expect(p.result()?.exitCode).toBe(127);
  });

  it('ignores markers of other commands and binary output', () => {
    const p = new FrameParser(M);
    const bin = Buffer.from([0, 255, 10, 1]);
    p.push('stdout', Buffer.concat([bin, Buffer.from(`\n${marker('abc123', 6)} 0\n\n${M} 1\n`)]));
    p.push('stderr', Buffer.from(`\n${M}\n`));
    const r = p.result();
    expect(r?.exitCode).toBe(1);
    expect(r?.stdout).toEqual(Buffer.concat([bin, Buffer.from(`\n${marker('abc123', 6)} 0\n`)]));
  });

  it('partial() returns what arrived so far', () => {
    const p = new FrameParser(M);
    p.push('stdout', Buffer.from('par'));
    p.push('stdout', Buffer.from('tial'));
    expect(p.partial().stdout.toString()).toBe('partial');
  });
});

describe('framing through a real bash', () => {
  it('separates stdout, stderr and status exactly', async () => {
    const { execFileSync } = await import('node:child_process');
    const argv = ['sh', '-c', 'printf "out\\nno-newline"; printf "err" >&2; exit 5', '$(x)'];
    const raw = execFileSync('/bin/bash', ['--noprofile', '--norc'], { input: frameCommand(argv, M), stdio: 'pipe' });
    const p = new FrameParser(M);
    p.push('stdout', raw);
    p.push('stderr', Buffer.from(`\n${M}\n`)); // stderr checked below separately
    expect(p.result()).toMatchObject({ exitCode: 5, stdout: Buffer.from('out\nno-newline') });
    const both = execFileSync('/bin/bash', ['--noprofile', '--norc', '-c', `exec 2>&1; ${frameCommand(['sh', '-c', 'echo e >&2'], M)}`]);
    expect(both.toString()).toBe(`e\n\n${M} 0\n\n${M}\n`);
  });
});
