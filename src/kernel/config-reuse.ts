// Skipping the Kconfig step when it cannot change the result: same fragments, same base tree, and
// no patch touching Kconfig. Saves tinyconfig + olddefconfig (about 9 s here) on every new patch.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const STAMP = '.daxlab-config-stamp';
const KCONFIG_PATH = /^(?:\+\+\+|---) (?:a|b)\/(?:\S*\/)?(?:Kconfig\S*|scripts\/kconfig\/\S+|arch\/x86\/configs\/\S+)\s*$/m;

/** Pure: true when any patch text adds, removes or edits a Kconfig file (the final .config may differ). */
export function touchesKconfig(patchTexts: Array<string | Buffer>): boolean {
  return patchTexts.some((t) => KCONFIG_PATH.test(typeof t === 'string' ? t : t.toString('latin1')));
}

/** The verified .config left in `obj` by an earlier build with the same stamp, or null. */
export async function reusableConfig(obj: string, stamp: string): Promise<string | null> {
  const config = join(obj, '.config');
  if (!existsSync(config) || !existsSync(join(obj, STAMP))) return null;
  if ((await readFile(join(obj, STAMP), 'utf8')) !== stamp) return null;
  return readFile(config, 'utf8');
}

/** Record that obj/.config was generated and verified for `stamp` (or forget it, with null). */
export async function markConfig(obj: string, stamp: string | null): Promise<void> {
  if (stamp === null) await rm(join(obj, STAMP), { force: true });
  else await writeFile(join(obj, STAMP), stamp);
}
