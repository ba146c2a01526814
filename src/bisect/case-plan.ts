// Pure: the plan that runs the cases a bisect watches, from their case ids
// ("<fs>/<workload>/<k=v,...>#<repeat>", "-" for no params), so that each step runs only those.
import { DaxlabError } from '../errors.js';

/** One case a bisect judges: its id without the repeat, and what a plan needs to run it. */
export interface WatchedCase {
  /** "<fs>/<workload>/<params>": what results report as the case id before "#<repeat>". */
  key: string;
  fs: string;
  workload: string;
  params: Record<string, string | number>;
}

/** Pure: parse a case id (a trailing "#<repeat>" is dropped). Throws USAGE naming the id. */
export function parseCaseId(id: string): WatchedCase {
  const key = id.replace(/#\d+$/, '');
  const m = /^([a-z0-9]+)\/([a-z0-9-]+)\/(.+)$/.exec(key);
  if (!m) throw new DaxlabError('USAGE', `--case ${id}: expected <fs>/<workload>/<k=v,...>[#n], e.g. ext4/busy-range/index=5,pages=1024`);
  const [, fs, workload, rest] = m as unknown as [string, string, string, string];
  const params: Record<string, string | number> = {};
  if (rest !== '-') {
    for (const kv of rest.split(',')) {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new DaxlabError('USAGE', `--case ${id}: "${kv}" is not k=v`);
      const v = kv.slice(eq + 1);
      params[kv.slice(0, eq)] = /^\d+$/.test(v) ? Number(v) : v;
    }
  }
  return { key, fs, workload, params };
}

/** Pure: a plan document (to write as YAML) that runs exactly these cases, once per repeat. */
export function planFor(cases: readonly WatchedCase[], name = 'bisect'): Record<string, unknown> {
  const filesystems = [...new Set(cases.map((c) => c.fs))];
  return {
    name,
    filesystems,
    workloads: cases.map((c) => ({ name: c.workload, params: Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, [v]])) })),
  };
}
