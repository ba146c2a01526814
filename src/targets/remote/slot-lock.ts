// A slot of a remote target: an flock on STORE/slots/N.lock held by the helper script, whose stdin
// is the SSH channel. Letting go of the channel releases it, and so does the connection dying
// (daxlab killed, network cut): a crashed run never leaves a target locked.
import type ssh2 from 'ssh2';
import { DaxlabError } from '../../errors.js';
import type { RemoteHost } from './ssh-host.js';

/** Where the locks are and how many there are. */
export interface SlotLocks {
  script: string;
  store: string;
  slots: number;
  /** How long to wait for a free one. */
  waitSec: number;
}

/** Hold one of the slots until the returned channel is let go (end() it). */
export async function holdSlot(host: RemoteHost, l: SlotLocks, signal?: AbortSignal): Promise<ssh2.ClientChannel> {
  const ch = await host.spawn(['bash', l.script, 'slot', l.store, String(l.slots), String(l.waitSec)]);
  const line = await new Promise<string>((resolve) => {
    let out = '';
    const onAbort = () => resolve('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    ch.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    ch.on('close', () => resolve(out.trim() || 'closed'));
  });
  if (line.startsWith('slot ')) return ch;
  ch.close();
  if (line === 'aborted') throw new DaxlabError('INTERRUPTED', 'interrupted while waiting for a slot');
  throw new DaxlabError('LOCK_TIMEOUT', `target ${host.spec.name}: all ${l.slots} slot(s) stayed busy for ${l.waitSec} s`);
}
