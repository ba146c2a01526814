// Free TCP ports on the loopback interface.
import net from 'node:net';

/** A port that was free on 127.0.0.1 a moment ago (the kernel picked it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** True when QEMU's stderr says a hostfwd rule could not be set up (port taken). */
export function isForwardFailure(stderr: string): boolean {
  return /could not set up host forwarding rule/i.test(stderr);
}
