import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { usageError } from './fixtures.js';
import { DaxlabError } from '../../../src/errors.js';
import { connectRedis, redactUrl, redisOptions } from '../../../src/lab/redis.js';


const noCa = (f: string): string => {
  throw new Error(`readCa must not be called (${f})`);
};

describe('redactUrl', () => {
  it('replaces the password and keeps the rest', () => {
    const out = redactUrl('redis://lab:s3cret@redis.example:6380/2');
    expect(out).toBe('redis://lab:***@redis.example:6380/2');
    expect(out).not.toContain('s3cret');
  });

  it('replaces a password given without a user', () => {
    expect(redactUrl('rediss://:hunter2@h:6379')).toBe('rediss://:***@h:6379');
  });

  it('leaves a URL without a password as it was', () => {
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('redis://user@h:1/3')).toBe('redis://user@h:1/3');
  });

  it('gives a placeholder for what is not a URL, never the text itself', () => {
    expect(redactUrl('not a url with p4ss')).toBe('<unparsable redis URL>');
    expect(redactUrl('')).toBe('<unparsable redis URL>');
  });
});

describe('redisOptions', () => {
  it('unbrackets an IPv6 literal and gives TLS no server name for an address', () => {
    expect(redisOptions({ url: 'redis://[::1]:6390' })).toMatchObject({ host: '::1', port: 6390 });
    const tls = redisOptions({ url: 'rediss://[::1]:6390' }).tls as Record<string, unknown>;
    expect(tls.servername).toBeUndefined();
    expect((redisOptions({ url: 'rediss://redis.lab:6390' }).tls as Record<string, unknown>).servername).toBe('redis.lab');
  });

  it('refuses a database that is not a plain number', () => {
    expect(() => redisOptions({ url: 'redis://h:1/0x10' })).toThrow(/database must be a number/);
  });

  it('decodes host, port, db, user and password', () => {
    const o = redisOptions({ url: 'redis://lab%40team:p%3Ass%2Fw@redis.example:6380/4' }, noCa);
    expect(o).toMatchObject({ host: 'redis.example', port: 6380, db: 4, username: 'lab@team', password: 'p:ss/w' });
    expect(o.tls).toBeUndefined();
  });

  it('defaults port 6379 and db 0, and sets no user or password when the URL has none', () => {
    const o = redisOptions({ url: 'redis://localhost' }, noCa);
    expect(o.host).toBe('localhost');
    expect(o.port).toBe(6379);
    expect(o.db).toBe(0);
    expect(o).not.toHaveProperty('username');
    expect(o).not.toHaveProperty('password');
    expect(redisOptions({ url: 'redis://localhost/' }, noCa).db).toBe(0);
  });

  it('takes a password without a user', () => {
    const o = redisOptions({ url: 'redis://:only@h:1' }, noCa);
    expect(o.password).toBe('only');
    expect(o).not.toHaveProperty('username');
  });

  it('sets maxRetriesPerRequest null (BullMQ) and lazyConnect', () => {
    const o = redisOptions({ url: 'redis://h' }, noCa);
    expect(o).toHaveProperty('maxRetriesPerRequest', null);
    expect(o.lazyConnect).toBe(true);
  });

  it('rediss:// turns on TLS with the host as servername', () => {
    const o = redisOptions({ url: 'rediss://u:p@tls.example:6390/1' }, noCa);
    expect(o.tls).toEqual({ servername: 'tls.example' });
    expect(o.port).toBe(6390);
  });

  it('reads the CA file through readCa, only for rediss://', () => {
    const read: string[] = [];
    const readCa = (f: string) => {
      read.push(f);
      return `PEM of ${f}`;
    };
    const o = redisOptions({ url: 'rediss://tls.example', tlsCa: '/etc/lab/ca.pem' }, readCa);
    expect(o.tls).toEqual({ servername: 'tls.example', ca: 'PEM of /etc/lab/ca.pem' });
    expect(read).toEqual(['/etc/lab/ca.pem']);
    const plain = redisOptions({ url: 'redis://h', tlsCa: '/etc/lab/ca.pem' }, readCa);
    expect(plain.tls).toBeUndefined();
    expect(read).toHaveLength(1);
  });

  it('rejects another scheme without printing the password', () => {
    const e = usageError(() => redisOptions({ url: 'http://u:topsecret@h:6379' }, noCa));
    expect(e.message).toMatch(/scheme must be redis:\/\/ or rediss:\/\//);
    expect(e.message).toContain('http://u:***@h:6379');
    expect(e.message).not.toContain('topsecret');
    expect(e.exitCode).toBe(2);
  });

  it('rejects what is not a URL without printing it', () => {
    const e = usageError(() => redisOptions({ url: 'localhost topsecret' }, noCa));
    expect(e.message).toMatch(/not a URL/);
    expect(e.message).not.toContain('topsecret');
    const e2 = usageError(() => redisOptions({ url: '//:topsecret@host' }, noCa));
    expect(e2.message).not.toContain('topsecret');
  });

  it('rejects a database that is not a non-negative integer, without the password', () => {
    for (const db of ['abc', '1.5', '-1', '2/x']) {
      const e = usageError(() => redisOptions({ url: `redis://u:topsecret@h:6379/${db}` }, noCa));
      expect(e.message).toMatch(/database must be a number/);
      expect(e.message).toContain('u:***@h');
      expect(e.message).not.toContain('topsecret');
    }
  });
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  await new Promise<void>((resolve, reject) => srv.close((err) => (err ? reject(err) : resolve())));
  return addr.port;
}

describe('connectRedis', () => {
  it('rejects with QUEUE_UNREACHABLE (exit 69) naming the redacted URL when nothing listens', async () => {
    const port = await freePort();
    const url = `redis://lab:topsecret@127.0.0.1:${port}/0`;
    const started = Date.now();
    const err = await connectRedis({ url }, 1500).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err).toBeInstanceOf(DaxlabError);
    const d = err as DaxlabError;
    expect(d.code).toBe('QUEUE_UNREACHABLE');
    expect(d.exitCode).toBe(69);
    expect(d.message).toContain(`redis://lab:***@127.0.0.1:${port}/0`);
    expect(d.message).not.toContain('topsecret');
    expect(d.detail.join('\n')).not.toContain('topsecret');
  });

  it('rejects a bad URL with USAGE before connecting', async () => {
    await expect(connectRedis({ url: 'http://u:topsecret@127.0.0.1:1' }, 1500)).rejects.toMatchObject({ code: 'USAGE' });
  });
});
