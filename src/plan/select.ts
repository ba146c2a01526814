// Pure: pick a run's cases by name, as `daxlab run --cases FILE` does for a lab worker's shard.
import { DaxlabError } from '../errors.js';
import type { TestCase } from './types.js';

/** "<kernel>@<target>:<id>": a case's name across kernels and targets (unique within a run). */
export function fullCaseName(tc: Pick<TestCase, 'id' | 'kernel' | 'target'>, defaultKernel = 'stock', defaultTarget = 'local'): string {
  return `${tc.kernel ?? defaultKernel}@${tc.target ?? defaultTarget}:${tc.id}`;
}

/** Pure: the names listed in a cases file (one per line; blank lines and '#' comments ignored). */
export function parseCaseNames(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/** The cases named, in plan order; throws USAGE naming the first name the plan does not have. */
export function selectCases(all: readonly TestCase[], names: readonly string[], source: string): TestCase[] {
  const wanted = new Set(names);
  const picked = all.filter((tc) => wanted.delete(fullCaseName(tc)));
  const unknown = [...wanted][0];
  if (unknown !== undefined) {
    throw new DaxlabError('USAGE', `${source}: the plan has no case ${unknown}`, ['names are <kernel>@<target>:<id>, as daxlab lab and --list-shards print them']);
  }
  return picked;
}
