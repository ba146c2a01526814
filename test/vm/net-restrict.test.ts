// The guest's user network is restricted (restrict=on): the SSH forward daxlab uses works, and the
// guest cannot reach the host. A TCP server listens on the host's 127.0.0.1, which slirp offers the
// guest as 10.0.2.2; an unrestricted guest connects to it, a restricted one cannot.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

describe('guest network', () => {
  it('keeps the SSH forward and cuts the guest off from the host', async () => {
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      s.end('hello from the host\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const probe = `exec 3<>/dev/tcp/10.0.2.2/${port} && head -n1 <&3`;
      const r = await daxlab(['boot', 'test/plans/fault-signal.yaml', '--', 'timeout', '10', 'bash', '-c', probe], 600_000);
      // The command ran over SSH (the forward works) and failed to reach the host.
      expect(r.output).toContain('guest ready');
      expect(r.exitCode, r.output.slice(-2000)).not.toBe(0);
      expect(r.output).not.toContain('hello from the host');
      expect(connections).toBe(0);
      console.log(`guest -> host 10.0.2.2:${port}: exit ${r.exitCode}, ${connections} connections`);
    } finally {
      server.close();
    }
  });
});
