// A minimal QMP client: connect to the monitor socket, negotiate, run one command.
import net from 'node:net';
import type { Duplex } from 'node:stream';

/** Run one QMP command and return its "return" value; rejects on QMP errors, timeouts or a closed socket. */
export function qmpCommand(socket: string, execute: string, args?: object, timeoutMs = 5_000): Promise<unknown> {
  return qmpOn(net.createConnection(socket), execute, args, timeoutMs);
}

/** qmpCommand over a stream already open to the monitor (a forward to a remote host's socket). */
export function qmpOn(conn: Duplex, execute: string, args?: object, timeoutMs = 5_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let stage: 'greeting' | 'caps' | 'command' = 'greeting';
    const done = (err: Error | null, value?: unknown) => {
      clearTimeout(timer);
      conn.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => done(new Error(`QMP ${execute}: no answer within ${timeoutMs} ms`)), timeoutMs);
    const send = (msg: object) => conn.write(`${JSON.stringify(msg)}\n`);
    conn.on('error', (err) => done(new Error(`QMP ${execute}: ${err.message}`)));
    conn.on('close', () => done(new Error(`QMP ${execute}: the monitor closed the connection`)));
    conn.on('data', (d) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        const msg = JSON.parse(line) as { QMP?: unknown; return?: unknown; error?: { desc?: string }; event?: string };
        if (msg.event) continue;
        if (stage === 'greeting' && msg.QMP) {
          stage = 'caps';
          send({ execute: 'qmp_capabilities' });
        } else if (msg.error) {
          done(new Error(`QMP ${stage === 'caps' ? 'qmp_capabilities' : execute}: ${msg.error.desc ?? 'error'}`));
        } else if (stage === 'caps' && 'return' in msg) {
          stage = 'command';
          send(args ? { execute, arguments: args } : { execute });
        } else if (stage === 'command' && 'return' in msg) {
          done(null, msg.return);
        }
      }
    });
  });
}
