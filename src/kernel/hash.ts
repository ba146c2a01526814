// Content hashing for cache keys.
import { createHash } from 'node:crypto';

/** sha256 hex of the given parts, separated so ("ab","c") and ("a","bc") differ. */
export function sha256(...parts: Array<string | Buffer>): string {
  const h = createHash('sha256');
  for (const part of parts) {
    h.update(String(typeof part === 'string' ? Buffer.byteLength(part) : part.length));
    h.update(':');
    h.update(part);
  }
  return h.digest('hex');
}

/** A short (16 hex) key, enough to name cache directories. */
export function shortKey(...parts: Array<string | Buffer>): string {
  return sha256(...parts).slice(0, 16);
}
