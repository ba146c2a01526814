// A local ssh2 server that runs exec requests with the host's bash: the guest session's
// framing, timeouts and connection handling tested without a VM.
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';

export interface FakeSshd {
  port: number;
  /** Every exec command received. */
  commands: string[];
  /** Drop every connection at once (a dying guest). */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startFakeSshd(hostPrivateKey: string): Promise<FakeSshd> {
  const commands: string[] = [];
  const conns = new Set<ssh2.Connection>();
  const children = new Set<ReturnType<typeof spawn>>();
  const server = new ssh2.Server({ hostKeys: [hostPrivateKey] }, (conn) => {
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    conn.on('error', () => undefined);
    conn.on('authentication', (ctx) => (ctx.method === 'publickey' && ctx.username === 'root' ? ctx.accept() : ctx.reject(['publickey'])));
    conn.on('ready', () => {
      conn.on('session', (accept) => {
        const session = accept();
        session.on('exec', (acc, _rej, info) => {
          commands.push(info.command);
          const ch = acc();
          const child = spawn('/bin/bash', ['-c', info.command], { stdio: 'pipe' });
          children.add(child);
          child.stdout.pipe(ch, { end: false });
          child.stderr.pipe(ch.stderr, { end: false });
          ch.pipe(child.stdin);
          ch.on('close', () => child.kill('SIGKILL'));
          child.on('close', (code) => {
            children.delete(child);
            if (!ch.destroyed) {
              ch.exit(code ?? 255);
              ch.end();
            }
          });
        });
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    commands,
    dropAll: () => conns.forEach((c) => c.end()),
    close: async () => {
      children.forEach((c) => c.kill('SIGKILL'));
      conns.forEach((c) => c.end());
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
