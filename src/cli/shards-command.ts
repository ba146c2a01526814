// `daxlab run --list-shards N`: the shard matrix for a CI engine, without building or booting.
// With --json it is one line, {"include":[{"shard":"1/4","cases":7,...},...]}, which GitHub
// Actions takes as `strategy.matrix: ${{ fromJSON(...) }}`; each entry's shard goes to --shard.
import { DaxlabError } from '../errors.js';
import { expandRun } from '../plan/expand.js';
import { shardMatrix } from '../plan/shard.js';
import { fullCaseName } from '../plan/select.js';
import type { Plan, TestCase } from '../plan/types.js';
import { isMultiCell } from '../run/cells.js';

/** Print the matrix for `n` shards of the plan's cases; returns the exit code. */
export function listShardsCommand(plan: Plan, n: string, json: boolean): number {
  const total = Number(n);
  if (!Number.isSafeInteger(total) || total < 1 || total > 256) throw new DaxlabError('USAGE', `invalid --list-shards '${n}': expected an integer from 1 to 256`);
  // Where kernels or targets mix, first and last are named with their cell, as results name them.
  const name = isMultiCell(plan) ? (c: TestCase) => fullCaseName(c) : (c: TestCase) => c.id;
  const matrix = shardMatrix(expandRun(plan).map(name), total);
  if (json) {
    process.stdout.write(`${JSON.stringify({ include: matrix })}\n`);
  } else {
    for (const m of matrix) process.stdout.write(`--shard ${m.shard}  ${String(m.cases).padStart(4)} cases  ${m.first} .. ${m.last}\n`);
  }
  return 0;
}
