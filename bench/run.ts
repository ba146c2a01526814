// daxlab benchmarks, all measured on this machine in one run (see README "Benchmarks"):
//  1. cached second build vs `make` on an unchanged tree
//  2. a one-file patch on a built base: daxlab's rebuild vs make's incremental build, and command-to-verdict
//  3. QEMU start to kernel init vs QEMU start to ready (ssh2 session authenticated)
//  4. cost of one command in the guest over the ssh2 session
//  5. the default plan's wall time vs boot plus the sum of case times
import { mkdtempSync, readFileSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { buildKernel } from '../src/kernel/build.js';
import { kernelMakeArgs } from '../src/kernel/make.js';
import { cacheRoot, treePaths } from '../src/kernel/cache-dir.js';
import { probeHost } from '../src/host/probe.js';
import { resolveSource } from '../src/kernel/source.js';
import { defaultPlan } from '../src/plan/defaults.js';
import { bootGuest } from '../src/run/boot-guest.js';
import { compileGuestPrograms } from '../src/workloads/compile.js';
import { defaultWorkloadParamDefs } from '../src/workloads/catalogue.js';
import { CONFIGS_DIR, GUEST_SCRIPTS_DIR, REPO_ROOT } from '../src/cli/paths.js';
import { formatFigure, median, sh, timeIt, type Figure } from './measure.js';

const CLI = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
const figures: Figure[] = [];
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const plan = defaultPlan({ configsDir: CONFIGS_DIR, knownWorkloads: defaultWorkloadParamDefs() });
const work = mkdtempSync(join(tmpdir(), 'daxlab-bench-'));
const buildOpts = { cacheRoot: cacheRoot(), logDir: work };

log('making sure the stock kernel is built');
const stock = await buildKernel(plan.kernel, buildOpts);
const hit = await timeIt(() => sh('node', [CLI, 'build', '--results', join(work, 'b1')]));

// make on the unchanged tree: the cached tree in the state daxlab left it, run twice, second timed.
log(`source ${stock.artifact.meta.source}`);
const src = await resolveSource(plan.kernel.source);
const paths = treePaths(cacheRoot(), src.key);
// The stock kernel's object dir: the one whose .config is the stored config (one obj dir per
// fragment set; other configs, e.g. thp or debug, have their own).
const stockConfig = readFileSync(stock.artifact.config, 'utf8');
const objDirs = (await sh('ls', [paths.base])).split('\n').filter((d) => d.startsWith('obj-'));
const objDir = objDirs.find((d) => {
  try {
    return readFileSync(join(paths.base, d, '.config'), 'utf8') === stockConfig;
  } catch {
    return false;
  }
});
if (!objDir) throw new Error(`no object dir in ${paths.base} holds the stock kernel's .config`);
const obj = join(paths.base, objDir);
// The same command line daxlab's build used (ccache only with DAXLAB_CCACHE=1): another CC would
// make kbuild rebuild every object, here and again in daxlab's next build.
const makeArgs = kernelMakeArgs({ src: paths.src, obj, jobs: availableParallelism(), ccache: process.env.DAXLAB_CCACHE === '1', modules: true, headers: true });
await sh('make', makeArgs);
const makeNoop = await timeIt(() => sh('make', makeArgs));
figures.push({ name: 'cached build (daxlab build, cache hit)', value: hit.ms, unit: 'ms', against: { name: 'make, unchanged tree', value: makeNoop.ms }, target: { maxValue: 500 } });

// make's incremental build after a change to fs/dax.c.
const daxc = join(paths.src, 'fs', 'dax.c');
const now = new Date();
utimesSync(daxc, now, now);
const makeIncr = await timeIt(() => sh('make', makeArgs));

// daxlab: a one-file patch (a unique comment in fs/dax.c) on top of the built base, command to verdict.
const patch = join(work, 'bench-dax-comment.patch');
const stamp = `daxlab bench ${Date.now()}`;
const baseCommit = readFileSync(join(paths.src, '.git', 'daxlab-base'), 'utf8').trim();
const daxText = await sh('git', ['-C', paths.src, 'show', `${baseCommit}:fs/dax.c`]);
const lines = daxText.split('\n');
writeFileSync(
  patch,
  `--- a/fs/dax.c\n+++ b/fs/dax.c\n@@ -1,3 +1,4 @@\n+/* ${stamp} */\n ${lines[0]}\n ${lines[1]}\n ${lines[2]}\n`,
);
const planFile = join(work, 'one-case.yaml');
writeFileSync(planFile, 'name: bench-one\nfilesystems: [ext4]\nworkloads:\n  - name: pin-race\n    params: { pin: pread, race: truncate, index: 5 }\n');
const verdictDir = join(work, 'verdict');
const verdict = await timeIt(() => sh('node', [CLI, 'run', planFile, '--patch', patch, '--results', verdictDir]).catch((e) => String(e)));
const vReport = JSON.parse(readFileSync(join(verdictDir, 'results.json'), 'utf8'));
figures.push({ name: 'one-file patch rebuild (daxlab)', value: vReport.summary.stages.buildMs, unit: 'ms', against: { name: 'make incremental (fs/dax.c)', value: makeIncr.ms }, target: { maxRatio: 1.5 } });
figures.push({ name: 'one-file patch, command to verdict', value: verdict.ms, unit: 'ms' });

// Boot: QEMU start to kernel init vs to ready, and the cost of one guest command.
const caps = await probeHost();
const bin = await compileGuestPrograms(GUEST_SCRIPTS_DIR, join(cacheRoot(), 'guest-bin'));
const inits: number[] = [];
const readies: number[] = [];
const sshds: number[] = [];
const execs: number[] = [];
const builtin: number[] = [];
for (let i = 0; i < 3; i++) {
  const g = await bootGuest({ plan, caps, image: stock.artifact.image, binDir: bin.binDir, init: join(GUEST_SCRIPTS_DIR, 'init.sh'), serialLog: join(work, `serial-${i}.log`) });
  try {
    inits.push(g.timings.kernelInitMs);
    readies.push(g.timings.readyMs);
    sshds.push(g.timings.sshdStartedMs);
    if (i === 0) {
      for (let j = 0; j < 30; j++) execs.push((await timeIt(() => g.guest.exec(['/bin/true'], { timeoutMs: 10_000 }))).ms);
      for (let j = 0; j < 30; j++) builtin.push((await timeIt(() => g.guest.exec(['true'], { timeoutMs: 10_000 }))).ms);
    }
  } finally {
    await g.shutdown();
  }
}
figures.push({ name: 'QEMU start to sshd started by init (median of 3 boots)', value: median(sshds), unit: 'ms' });
figures.push({ name: 'QEMU start to ready (median of 3 boots)', value: median(readies), unit: 'ms', against: { name: 'QEMU start to kernel init', value: median(inits) }, target: { maxRatio: 1.3 } });
figures.push({ name: 'guest command /bin/true (median of 30)', value: median(execs), unit: 'ms', target: { maxValue: 100 } });
figures.push({ name: 'guest command, shell builtin (median of 30)', value: median(builtin), unit: 'ms' });

// The default plan: wall time vs boot plus the sum of case times.
const runDir = join(work, 'default');
await sh('node', [CLI, 'run', '--results', runDir]).catch(() => undefined);
const report = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8'));
const caseSum = (report.results as Array<{ durationMs: number }>).reduce((a, r) => a + r.durationMs, 0);
figures.push({ name: 'default plan wall time', value: report.summary.durationMs, unit: 'ms', against: { name: 'boot + sum of cases', value: report.summary.stages.bootMs + caseSum }, target: { maxRatio: 1.15 } });

const out = { date: new Date().toISOString(), accel: caps.kvm ? 'kvm' : 'tcg', figures, raw: { inits, sshds, readies, execs, builtin, makeNoopMs: makeNoop.ms, makeIncrMs: makeIncr.ms } };
writeFileSync(resolve(REPO_ROOT, 'bench', 'last-run.json'), JSON.stringify(out, null, 2) + '\n');
process.stdout.write(`daxlab benchmarks (${out.accel.toUpperCase()}, ${availableParallelism()} cores), ${out.date}\n`);
for (const f of figures) process.stdout.write(`${formatFigure(f)}\n`);
