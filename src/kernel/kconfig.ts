// Produce and verify the final .config: x86_64 tinyconfig, the merged fragments on top, olddefconfig,
// then every requested option checked against the result (Kconfig drops unmet options silently).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DaxlabError } from '../errors.js';
import { applyConfig, verifyConfig, type ConfigValues } from './config-fragments.js';
import { run } from './exec.js';
import { findKconfigDeps } from './kconfig-deps.js';

/** Build the final .config for `src` in `scratch`; throws CONFIG_DROPPED naming each dropped option. */
export async function makeConfig(src: string, scratch: string, requested: ConfigValues): Promise<string> {
  await mkdir(scratch, { recursive: true });
  // ARCH=x86_64: plain tinyconfig on an x86_64 host yields a 32-bit config (docs/host-facts.md).
  const make = (target: string) =>
    run('make', ['-s', '-C', src, `O=${scratch}`, 'ARCH=x86_64', target], { what: `make ${target}` });
  await make('tinyconfig');
  const base = await readFile(join(scratch, '.config'), 'utf8');
  await writeFile(join(scratch, '.config'), applyConfig(base, requested));
  await make('olddefconfig');
  const final = await readFile(join(scratch, '.config'), 'utf8');
  const dropped = verifyConfig(requested, final);
  if (dropped.length > 0) {
    const deps = await findKconfigDeps(src, dropped.map((d) => d.symbol.replace(/^CONFIG_/, '')));
    const lines = dropped.map((d) => {
      const dep = deps.get(d.symbol.replace(/^CONFIG_/, '')) ?? [];
      const why = dep.length > 0 ? ` (depends on: ${dep.map((e) => (dep.length > 1 && e.includes('||') ? `(${e})` : e)).join(' && ')})` : '';
      return `${d.symbol}=${d.wanted} requested, final .config has ${d.got === 'n' ? 'it unset' : `${d.symbol}=${d.got}`}${why}`;
    });
    throw new DaxlabError(
      'CONFIG_DROPPED',
      `Kconfig dropped ${dropped.length} requested option${dropped.length > 1 ? 's' : ''}: ${dropped.map((d) => d.symbol).join(', ')}`,
      [...lines, 'fix: add the missing dependencies to a fragment (see kernel-configs/)'],
    );
  }
  return final;
}
