// Checking a remote host's key against an OpenSSH known_hosts file (pure): plain and hashed
// (|1|salt|hmac) host fields, [host]:port for ports other than 22, negated and wildcard patterns.
import { createHash, createHmac } from 'node:crypto';
import { keyTypeOf } from '../guest/keys.js';

export { keyTypeOf };

/** One key line of a known_hosts file. */
export interface KnownHost {
  hosts: string;
  keyType: string;
  /** The key's SSH wire blob. */
  key: Buffer;
  line: number;
  revoked: boolean;
}

/** What the file says about a key a host presented. */
export type HostKeyVerdict =
  | { kind: 'known' }
  | { kind: 'unknown'; fingerprint: string }
  | { kind: 'changed'; fingerprint: string; expected: string[] }
  | { kind: 'revoked'; fingerprint: string; line: number };

/** Key lines of a known_hosts text; comments, blank and @cert-authority lines are skipped. */
export function parseKnownHosts(text: string): KnownHost[] {
  const out: KnownHost[] = [];
  text.split('\n').forEach((raw, i) => {
    const words = raw.trim().split(/\s+/);
    if (words[0] === '' || words[0]?.startsWith('#')) return;
    let revoked = false;
    if (words[0]?.startsWith('@')) {
      if (words[0] !== '@revoked') return;
      revoked = true;
      words.shift();
    }
    const [hosts, keyType, b64] = words;
    if (!hosts || !keyType || !b64) return;
    out.push({ hosts, keyType, key: Buffer.from(b64, 'base64'), line: i + 1, revoked });
  });
  return out;
}

/** How known_hosts names a host: "host" on port 22, "[host]:port" otherwise. */
export function hostField(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** OpenSSH's fingerprint of a key blob: "SHA256:" and unpadded base64. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function globMatch(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

function hashedMatch(field: string, name: string): boolean {
  const [, magic, salt, hash] = field.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}

/** True when a line's host field names this host (one negated pattern that matches rules it out). */
export function hostsMatch(hosts: string, name: string): boolean {
  if (hosts.startsWith('|')) return hashedMatch(hosts, name);
  let hit = false;
  for (const p of hosts.split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) hit = true;
  }
  return hit;
}

/** The key types the file knows for this host (what the client should ask the server for). */
export function knownKeyTypes(entries: readonly KnownHost[], host: string, port: number): string[] {
  const name = hostField(host, port);
  return [...new Set(entries.filter((e) => !e.revoked && hostsMatch(e.hosts, name)).map((e) => e.keyType))];
}

/** Judge the key a host presented. */
export function checkHostKey(entries: readonly KnownHost[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = hostField(host, port);
  const fp = fingerprint(key);
  const revoked = entries.find((e) => e.revoked && e.key.equals(key));
  if (revoked) return { kind: 'revoked', fingerprint: fp, line: revoked.line };
  const mine = entries.filter((e) => !e.revoked && hostsMatch(e.hosts, name));
  if (mine.some((e) => e.key.equals(key))) return { kind: 'known' };
  const sameType = mine.filter((e) => e.keyType === keyTypeOf(key));
  if (sameType.length === 0) return { kind: 'unknown', fingerprint: fp };
  return { kind: 'changed', fingerprint: fp, expected: sameType.map((e) => `${fingerprint(e.key)} (line ${e.line})`) };
}
