// Skipping the Kconfig step when it cannot change the result: same fragments, no patch touching
// Kconfig, and the same base tree or a newer commit of the same repository whose changes touch no
// Kconfig input. Saves tinyconfig + olddefconfig (about 9 s here) on every new patch or commit.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const STAMP = '.daxlab-config-stamp';
// Files whose change can change what tinyconfig + fragments + olddefconfig produce.
const KCONFIG_FILE = /^(?:\S*\/)?Kconfig\S*$|^scripts\/kconfig\/|^arch\/x86\/configs\/|^kernel\/configs\//;
const PATCH_PATH = /^(?:\+\+\+|---) (?:a|b)\/(\S+)\s*$/gm;

/** What an object dir's verified .config was generated from. */
export interface ConfigStamp {
  /** Hash of the merged fragments. */
  merged: string;
  /** Commit of the cached tree it was generated on. */
  base: string;
}

/** Pure: true when any of these tree paths is a Kconfig input. */
export function kconfigPaths(paths: string[]): boolean {
  return paths.some((p) => KCONFIG_FILE.test(p));
}

/** Pure: true when any patch text adds, removes or edits a Kconfig input (the final .config may differ). */
export function touchesKconfig(patchTexts: Array<string | Buffer>): boolean {
  return patchTexts.some((t) => kconfigPaths([...(typeof t === 'string' ? t : t.toString('latin1')).matchAll(PATCH_PATH)].map((m) => m[1]!)));
}

/** Pure: the stamp recorded in an object dir, or null when it holds none this daxlab understands. */
export function parseStamp(text: string): ConfigStamp | null {
  try {
    const v = JSON.parse(text) as Partial<ConfigStamp>;
    return typeof v.merged === 'string' && typeof v.base === 'string' ? { merged: v.merged, base: v.base } : null;
  } catch {
    return null;
  }
}

/**
 * The verified .config left in `obj` by an earlier build, when it still holds for `stamp`: same
 * fragments, and the same base or one from which `kconfigChangedSince(oldBase)` says nothing changed.
 */
export async function reusableConfig(
  obj: string,
  stamp: ConfigStamp,
  kconfigChangedSince: (oldBase: string) => Promise<boolean> = async () => true,
): Promise<string | null> {
  const config = join(obj, '.config');
  if (!existsSync(config) || !existsSync(join(obj, STAMP))) return null;
  const old = parseStamp(await readFile(join(obj, STAMP), 'utf8'));
  if (!old || old.merged !== stamp.merged) return null;
  if (old.base !== stamp.base && (await kconfigChangedSince(old.base))) return null;
  return readFile(config, 'utf8');
}

/** Record that obj/.config was generated and verified for `stamp` (or forget it, with null). */
export async function markConfig(obj: string, stamp: ConfigStamp | null): Promise<void> {
  if (stamp === null) await rm(join(obj, STAMP), { force: true });
  else await writeFile(join(obj, STAMP), JSON.stringify(stamp));
}
