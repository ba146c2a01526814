// The bisect benchmark, from a finished bisect's results directory (bisect.json and each step's
// results.json): the bisect's wall time, and each step's time against what it is made of, the
// kernel build (or cache hit) and the case runs. Run the nightly proof first, keeping its results:
//   DAXLAB_KEEP=/tmp/bisect npx vitest run --project nightly test/nightly/bisect.test.ts
//   npm run bench:bisect -- /tmp/bisect
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface Step { sha: string; role: string; verdict: string; runs: number; seconds: number; dir: string; cached?: boolean; buildSeconds?: number }

const dir = process.argv[2];
if (!dir || !existsSync(join(dir, 'bisect.json'))) {
  process.stderr.write('usage: node dist/bench/bisect.js BISECT_RESULTS_DIR (holding bisect.json)\n');
  process.exit(2);
}
const report = JSON.parse(readFileSync(join(dir, 'bisect.json'), 'utf8')) as { steps: Step[]; built: number; bound: number; commits: number };
// A step's build, boot and case seconds from its results.json (found under dir/steps, so a moved
// results directory still reads); zeros when the step wrote none (it did not build).
const parts = (s: Step): { build: number; boot: number; cases: number } => {
  const f = join(dir, 'steps', basename(s.dir), 'results.json');
  if (!existsSync(f)) return { build: 0, boot: 0, cases: 0 };
  const r = JSON.parse(readFileSync(f, 'utf8')) as { summary: { stages: Record<string, number> }; results: Array<{ durationMs?: number }> };
  const cases = r.results.reduce((n, c) => n + (c.durationMs ?? 0), 0) / 1000;
  return { build: s.cached ? 0 : (r.summary.stages.buildMs ?? 0) / 1000, boot: (r.summary.stages.bootMs ?? 0) / 1000, cases };
};
const total = report.steps.reduce((n, s) => n + s.seconds, 0);
process.stdout.write(`bisect of ${report.commits} commits: ${report.steps.length} runs, ${report.built} kernels built (bound ${report.bound}), ${total.toFixed(0)} s of step time\n`);
process.stdout.write('role             commit        verdict  runs  step s  build s  boot s  cases s  other s\n');
for (const s of report.steps) {
  const p = parts(s);
  const other = s.seconds - p.build - p.boot - p.cases;
  process.stdout.write(
    `${s.role.padEnd(16)} ${s.sha.slice(0, 12)}  ${s.verdict.padEnd(7)}  ${String(s.runs).padStart(4)}  ${s.seconds.toFixed(0).padStart(6)}  ` +
      `${p.build.toFixed(0).padStart(7)}  ${p.boot.toFixed(1).padStart(6)}  ${p.cases.toFixed(1).padStart(7)}  ${other.toFixed(0).padStart(7)}\n`,
  );
}
