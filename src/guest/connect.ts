// Log in to the guest's sshd through the forwarded port, retrying until it listens.
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import { DaxlabError } from '../errors.js';
import { keyTypeOf } from './keys.js';

/** How to reach and verify the guest. */
export interface ConnectOptions {
  port: number;
  /** Opens the stream to the guest's sshd when it is not 127.0.0.1:port here (a forward through a remote host). */
  sock?: () => Promise<Duplex>;
  /** Client private key (OpenSSH format), or ssh-agent's socket in `agent`. */
  privateKey?: string;
  agent?: string;
  /** The only host key accepted (SSH wire blob). */
  hostPublicKey: Buffer;
  /** Give up at this time (Date.now() scale). */
  deadlineMs: number;
  /** Called before each attempt with its number (1-based) and the previous error. */
  onAttempt?: (attempt: number, lastError: string | undefined) => void;
  /** Checked before each attempt: a reason to stop retrying at once (the VM died, Ctrl-C), or null. */
  giveUp?: () => string | null;
}

// Authentication failures are not transient: stop after this many.
const MAX_AUTH_FAILURES = 2;

/** A ready ssh2 Client logged in as root, or DaxlabError('GUEST_FAILED'). */
export async function connectClient(opts: ConnectOptions): Promise<ssh2.Client> {
  let attempt = 0;
  let last: string | undefined;
  let authFailures = 0;
  let delay = 100;
  for (;;) {
    const remaining = opts.deadlineMs - Date.now();
    if (remaining <= 0) {
      throw new DaxlabError('GUEST_FAILED', `ssh to 127.0.0.1:${opts.port} did not succeed before the deadline (${attempt} attempts)`, [
        `last error: ${last ?? 'none'}`,
      ]);
    }
    const stop = opts.giveUp?.();
    if (stop) throw new DaxlabError('GUEST_FAILED', `ssh to 127.0.0.1:${opts.port} abandoned: ${stop}`, [`last error: ${last ?? 'none'}`]);
    opts.onAttempt?.(++attempt, last);
    const r = await attemptOnce(opts, remaining);
    if ('client' in r) return r.client;
    if (r.mismatch) throw new DaxlabError('GUEST_FAILED', `host key mismatch on 127.0.0.1:${opts.port}: refusing to log in`);
    last = r.error;
    if (/authentication methods failed/i.test(r.error) && ++authFailures >= MAX_AUTH_FAILURES) {
      throw new DaxlabError('GUEST_FAILED', `ssh authentication to the guest failed: ${r.error}`);
    }
    // Until sshd listens, the forward accepts and resets at once: short, growing pauses.
    await new Promise((res) => setTimeout(res, Math.min(delay, Math.max(0, opts.deadlineMs - Date.now()))));
    delay = Math.min(delay * 1.5, 1_000);
  }
}

type Attempt = { client: ssh2.Client } | { error: string; mismatch: boolean };

async function attemptOnce(opts: ConnectOptions, remaining: number): Promise<Attempt> {
  let sock: Duplex | undefined;
  if (opts.sock) {
    try {
      sock = await opts.sock();
    } catch (err) {
      // Until sshd listens, the forward is refused: the same as a reset here.
      return { error: (err as Error).message, mismatch: false };
    }
  }
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    let mismatch = false;
    let settled = false;
    const settle = (a: Attempt) => {
      if (settled) return;
      settled = true;
      if (!('client' in a)) client.end();
      resolve(a);
    };
    client.once('ready', () => settle({ client }));
    client.on('error', (err) => settle({ error: err.message, mismatch }));
    client.once('close', () => settle({ error: 'connection closed before login', mismatch }));
    client.connect({
      ...(sock ? { sock } : { host: '127.0.0.1', port: opts.port }),
      username: 'root',
      ...(opts.privateKey ? { privateKey: opts.privateKey } : { agent: opts.agent }),
      agentForward: false,
      hostVerifier: (key: Buffer) => {
        mismatch = !key.equals(opts.hostPublicKey);
        return !mismatch;
      },
      algorithms: { serverHostKey: [keyTypeOf(opts.hostPublicKey) as ssh2.ServerHostKeyAlgorithm] },
      readyTimeout: Math.max(1_000, Math.min(remaining, 20_000)),
      // A hung guest is noticed after about 15 s; a dead QEMU closes the socket at once.
      keepaliveInterval: 5_000,
      keepaliveCountMax: 3,
    });
  });
}
