// The release string of a built kernel ("6.1.192", "6.12.118"): what known-issue version scopes
// are matched against. Read from the object tree after make (include/config/kernel.release), or,
// for cache entries written before daxlab recorded it, from the bzImage's own version string.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Pure: the release in an x86 bzImage, from the setup header's kernel_version string; null if absent. */
export function releaseFromBzImage(image: Buffer): string | null {
  // Boot protocol: "HdrS" at 0x202, protocol version at 0x206 (kernel_version exists since 2.00),
  // kernel_version at 0x20e: offset of a NUL-terminated "6.1.192 (user@host) #1 ..." minus 0x200.
  if (image.length < 0x210 || image.toString('latin1', 0x202, 0x206) !== 'HdrS') return null;
  if (image.readUInt16LE(0x206) < 0x0200) return null;
  const at = image.readUInt16LE(0x20e) + 0x200;
  if (at >= image.length) return null;
  const end = image.indexOf(0, at);
  const text = image.toString('latin1', at, end < 0 ? Math.min(image.length, at + 256) : end);
  const release = text.split(' ')[0] ?? '';
  return /^\d+\.\d+/.test(release) ? release : null;
}

/** The release make wrote into the object directory, or null when it is not there. */
export async function releaseFromObjDir(obj: string): Promise<string | null> {
  const text = await readFile(join(obj, 'include/config/kernel.release'), 'utf8').catch(() => '');
  return text.trim() || null;
}
