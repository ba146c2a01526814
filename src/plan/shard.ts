// Splits cases into shards ("--shard 2/3"): contiguous chunks, so each shard touches few filesystems.
import { DaxlabError } from '../errors.js';

/** A shard selector: 1-based index out of total. */
export interface ShardSpec {
  index: number;
  total: number;
}

/** Parses "INDEX/TOTAL" (e.g. "2/3"); throws USAGE when malformed or out of range. */
export function parseShard(text: string): ShardSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new DaxlabError('USAGE', `invalid shard '${text}': expected INDEX/TOTAL, e.g. 2/3`);
  const spec = { index: Number(match[1]), total: Number(match[2]) };
  checkShard(spec.index, spec.total);
  return spec;
}

/** The cases of shard `index` of `total`: sizes differ by at most one, earlier shards take the extra. */
export function shard<T>(cases: readonly T[], index: number, total: number): T[] {
  checkShard(index, total);
  const base = Math.floor(cases.length / total);
  const extra = cases.length % total;
  const start = (index - 1) * base + Math.min(index - 1, extra);
  const size = base + (index <= extra ? 1 : 0);
  return cases.slice(start, start + size);
}

/** Throws USAGE unless 1 <= index <= total and both are safe integers. */
function checkShard(index: number, total: number): void {
  if (!Number.isSafeInteger(total) || total < 1) {
    throw new DaxlabError('USAGE', `invalid shard total ${total}: expected a positive integer`);
  }
  if (!Number.isSafeInteger(index) || index < 1 || index > total) {
    throw new DaxlabError('USAGE', `invalid shard index ${index}: expected 1 to ${total}`);
  }
}

/** One shard of a CI matrix: the --shard argument and what it runs. */
export interface ShardEntry {
  shard: string;
  cases: number;
  first: string;
  last: string;
}

/** Pure: the shard matrix for `total` shards of cases (ids), as `--list-shards` prints it; empty shards are left out. */
export function shardMatrix(ids: readonly string[], total: number): ShardEntry[] {
  const out: ShardEntry[] = [];
  for (let i = 1; i <= total; i++) {
    const part = shard(ids, i, total);
    if (part.length > 0) out.push({ shard: `${i}/${total}`, cases: part.length, first: part[0]!, last: part.at(-1)! });
  }
  return out;
}
