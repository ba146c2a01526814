// The lab's Redis connection: the URL as given (redis:// or rediss:// for TLS, with user and password),
// an optional CA file, and the URL printed without its password. An unreachable Redis is exit 69.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { DaxlabError } from '../errors.js';

/** How to reach Redis: the URL and, for TLS with a private CA, the CA file. */
export interface RedisTarget {
  url: string;
  tlsCa?: string;
}

/** Pure: the URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparsable redis URL>';
  }
}

/** Pure: ioredis options for a URL; BullMQ needs maxRetriesPerRequest null (commands wait out a restart). */
export function redisOptions(t: RedisTarget, readCa: (f: string) => string = (f) => readFileSync(f, 'utf8')): RedisOptions {
  let u: URL;
  try {
    u = new URL(t.url);
  } catch {
    throw new DaxlabError('USAGE', `--redis ${redactUrl(t.url)}: not a URL (expected redis://[user:password@]host:port[/db] or rediss://...)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new DaxlabError('USAGE', `--redis ${redactUrl(t.url)}: scheme must be redis:// or rediss:// (TLS)`);
  }
  const dbText = u.pathname.slice(1);
  const db = dbText === '' ? 0 : /^\d+$/.test(dbText) ? Number(dbText) : -1;
  if (db < 0) throw new DaxlabError('USAGE', `--redis ${redactUrl(t.url)}: database must be a number`);
  // An IPv6 literal comes bracketed ("[::1]"); a TLS server name is never an address.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const servername = isIP(host) === 0 ? { servername: host } : {};
  const tls = u.protocol === 'rediss:' ? { ...servername, ...(t.tlsCa ? { ca: readCa(t.tlsCa) } : {}) } : undefined;
  return {
    host,
    port: u.port ? Number(u.port) : 6379,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(tls ? { tls } : {}),
    maxRetriesPerRequest: null,
    lazyConnect: true,
  };
}

/** The options BullMQ's queues and workers connect with (they connect at once, not lazily). */
export function bullConnection(t: RedisTarget): RedisOptions {
  const { lazyConnect: _lazy, ...connection } = redisOptions(t);
  return connection;
}

/** Connect and PING within waitMs; throws QUEUE_UNREACHABLE (exit 69) naming the URL without its password. */
export async function connectRedis(t: RedisTarget, waitMs = 5000): Promise<Redis> {
  const client = new Redis(redisOptions(t));
  client.on('error', () => undefined); // reported through the failed PING below, or retried by ioredis
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${waitMs} ms`)), waitMs))),
    ]);
    return client;
  } catch (err) {
    client.disconnect();
    throw new DaxlabError('QUEUE_UNREACHABLE', `cannot reach Redis at ${redactUrl(t.url)}: ${(err as Error).message}`, [
      'fix: start redis-server (apt install redis-server) or pass the right --redis URL',
    ]);
  } finally {
    clearTimeout(timer);
  }
}
