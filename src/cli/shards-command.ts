// `daxlab run --list-shards N`: the shard matrix for a CI engine, without building or booting.
// With --json it is one line, {"include":[{"shard":"1/4","cases":7,...},...]}, which GitHub
// Actions takes as `strategy.matrix: ${{ fromJSON(...) }}`; each entry's shard goes to --shard.
import { DaxlabError } from '../errors.js';
import { expandRun } from '../plan/expand.js';
import { shardMatrix } from '../plan/shard.js';
import type { Plan } from '../plan/types.js';

/** Print the matrix for `n` shards of the plan's cases; returns the exit code. */
export function listShardsCommand(plan: Plan, n: string, json: boolean): number {
  const total = Number(n);
  if (!Number.isSafeInteger(total) || total < 1 || total > 256) throw new DaxlabError('USAGE', `invalid --list-shards '${n}': expected an integer from 1 to 256`);
  const matrix = shardMatrix(expandRun(plan).map((c) => c.id), total);
  if (json) {
    process.stdout.write(`${JSON.stringify({ include: matrix })}\n`);
  } else {
    for (const m of matrix) process.stdout.write(`--shard ${m.shard}  ${String(m.cases).padStart(4)} cases  ${m.first} .. ${m.last}\n`);
  }
  return 0;
}
