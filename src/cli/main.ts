#!/usr/bin/env node
// daxlab's command line: commander wiring and exit codes only; each command lives in its own file.
import { Command } from 'commander';
import { bisectCommand, type BisectFlags } from './bisect-command.js';
import { bootCommand, pickPlan, splitBootArgs } from './boot-command.js';
import { buildCommand } from './build-command.js';
import { cacheDuCommand, cacheExportCommand, cacheGcCommand, cacheImportCommand, cacheListCommand } from './cache-command.js';
import { reportError } from './errors-out.js';
import { compareCommand, type CompareFlags } from './compare-command.js';
import { historyCommand } from './history-command.js';
import { doctorCommand, listCommand } from './info-commands.js';
import { reportCommand, type ReportFlags } from './report-command.js';
import { resolvePlan, type KernelFlags } from './resolve-plan.js';
import { runCommand, type RunFlags } from './run-command.js';
import { listShardsCommand } from './shards-command.js';

// The lab commands load BullMQ and its Redis client (0.2 s of every start here): only when used.
const labCommands = () => import('./lab-command.js');

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function kernelOptions(cmd: Command): Command {
  return cmd
    .option('--source <dir>', 'kernel tree to test: a git checkout (HEAD plus uncommitted changes; never modified). Default: Debian linux-source-6.12')
    .option('--ref <ref>', 'with --source: test this git ref of that repository instead of the checkout')
    .option('--debian <package>', 'kernel source: a Debian linux-source package instead of the plan\'s (e.g. linux-source-6.1; installed through apt when missing)')
    .option('--patch <file>', 'patch applied on top (mbox/format-patch via git am, or a plain diff); repeatable, in order', collect)
    .option('--config <fragment>', 'extra config fragment: a name in kernel-configs/ or a path; repeatable', collect)
    .option('--backend <name>', 'pmem | virtio-pmem | virtiofs')
    .option('--fs <list>', 'filesystems, comma-separated (ext4,xfs; virtiofs with --backend virtiofs)')
    .option('--repeats <n>', 'run every case n times')
    .option('--label <name>', 'name of this kernel in reports')
    .option('--lanes <n>', 'cases run at once in one guest, 1-8 (default 4: each with its own delayed device; exclusive workloads run alone)')
    .option('--target <name>', 'where the cases run: local (QEMU here, the default) or a target declared in --target-file; repeatable, replaces the plan\'s targets', collect);
}

const program = new Command()
  .name('daxlab')
  .description('Build a (patched) kernel, boot it on emulated DAX pmem under QEMU, race page pins against truncate, judge.')
  .version('0.1.0')
  .exitOverride()
  .showHelpAfterError()
  .addHelpText(
    'after',
    '\nExit codes: 0 all cases passed, 1 a case failed (or a known issue passed, or a kernel-log finding outside every case),\n' +
      '2 usage/plan/patch/config error, 3 no case failed but some was flaky, 4 nothing passed (skips the plan did not expect),\n' +
      '69 host or harness failure, 130/143 interrupted. When several apply: 1, then 69, then 3, then 4.',
  );

program
  .command('bisect')
  .description('find the first commit that makes a case fail: endpoints checked, git bisect in daxlab\'s own clone, one run per step (builds cached), flaky-aware, resumable')
  .option('--source <repo>', 'git repository of the kernel (only read: daxlab bisects in its own clone)')
  .option('--good <ref>', 'a commit where the case passes')
  .option('--bad <ref>', 'a later commit where it fails')
  .option('--case <id>', 'the case to watch, as results name it (e.g. ext4/busy-range/index=5,pages=1024); repeatable', collect)
  .option('--plan <file>', 'instead of --case: run this plan at every step and watch the cases that fail on --bad')
  .option('--config <fragment>', 'extra config fragment for every step; repeatable', collect)
  .option('--patch <file>', 'patch applied on top of every step; repeatable', collect)
  .option('--bad-runs <n>', 'runs on the bad commit, to estimate how often the case fails (default 3)')
  .option('--confidence <p>', 'confidence that a step called good has no bug (default 0.95): sets the clean runs per good step')
  .option('--results <dir>', 'new directory for the journal, the bisect log, each step\'s results (default: daxlab-results/<time>-bisect)')
  .option('--resume <dir>', 'continue an interrupted bisect from its results directory (its journal)')
  .option('--json', 'print the outcome as one JSON object on stdout')
  .action(async (flags: BisectFlags) => {
    // The first signal stops the step in progress (its daxlab run gets SIGTERM and cleans up) and
    // ends the bisect with 130/143; a second one exits at once. The listeners stay installed: with
    // none left, execa's exit hook would re-raise the signal and kill daxlab before the step ends.
    const abort = new AbortController();
    const stop = (sig: NodeJS.Signals) => {
      if (abort.signal.aborted) process.exit(sig === 'SIGTERM' ? 143 : 130);
      abort.abort(new Error(sig));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.exitCode = await bisectCommand(flags, abort.signal);
  });

kernelOptions(program.command('run [plan]'))
  .description('the main job: build, boot, run every case of the plan (default plan when none is given), report')
  .option('--results <dir>', 'new directory for events.jsonl, results.json, junit.xml, serial and build logs (default: daxlab-results/<time>-<label>)')
  .option('--json', 'print the run summary as one JSON line on stdout (progress goes to stderr)')
  .option('--shard <i/n>', 'run only the i-th of n contiguous slices of the cases (CI sharding)')
  .option('--cases <file>', 'run only the cases named in this file, one <kernel>@<target>:<id> per line (what a lab worker runs)')
  .option('--verbose', 'print timings, details and kernel-log lines for every case')
  .option('--target-file <file>', 'YAML file declaring targets besides local (kind kvm-host: a remote KVM host over SSH); see README "Remote targets"')
  .option('--append <word>', 'extra guest kernel command-line word (e.g. loglevel=8); repeatable', collect)
  .option('--rerun-failures <n>', 'run a failing case again up to n times (0-10, default 0); one that fails, then passes, is flaky (exit 3)')
  .option('--jobs <n>', 'guests run at once on the local target, 1-8 and at most the host\'s cores (default 1); cells of a multi-kernel plan run side by side')
  .option('--list-shards <n>', 'print the matrix of n shards (each one\'s --shard i/n, its case count, first and last case) and exit; with --json, {"include":[...]} for a CI matrix')
  .action(async (planFile: string | undefined, flags: KernelFlags & RunFlags & { listShards?: string }) => {
    const plan = await resolvePlan(planFile, flags);
    process.exitCode = flags.listShards ? listShardsCommand(plan, flags.listShards, Boolean(flags.json)) : await runCommand(plan, flags);
  });

kernelOptions(program.command('build [plan]'))
  .description("build (or fetch from the cache) the plan's kernel and print the image path")
  .option('--results <dir>', 'new directory for the build log (default: daxlab-results/<time>-<label>, removed again on a cache hit)')
  .option('--json', 'print a JSON line on stdout')
  .action(async (planFile: string | undefined, flags: KernelFlags & { results?: string; json?: boolean }) => {
    const plan = await resolvePlan(planFile, flags);
    process.exitCode = await buildCommand(plan, flags);
  });

kernelOptions(program.command('boot [plan]'))
  .usage('[options] [plan] [-- command...]')
  .description("boot the plan's kernel with its backend, run the command after -- in the guest and print its output, or open an interactive shell when no command is given; shut down after")
  .argument('[command...]', 'after --: the command to run in the guest, as separate words')
  .option('--plan <file>', 'plan file, as the positional plan (default: the built-in plan)')
  .option('--kernel <bzImage>', "boot this image instead of building the plan's kernel")
  .option('--results <dir>', 'new directory for the serial and build logs (default: daxlab-results/<time>-<label>)')
  .action(async (planArg: string | undefined, command: string[], flags: KernelFlags & { plan?: string; kernel?: string; results?: string }) => {
    const split = splitBootArgs([planArg, ...command].filter((a): a is string => a !== undefined), process.argv);
    const plan = await resolvePlan(pickPlan(split.plan, flags.plan), flags);
    process.exitCode = await bootCommand(plan, flags, split.command);
  });

program.command('doctor').description('list what this host (or a target\'s host) has and lacks, with the command that fixes each gap')
  .option('--target <name>', 'check the host of this kvm-host target over SSH instead (its host key verified first)')
  .option('--target-file <file>', 'the YAML file declaring --target')
  .action(async (flags: { target?: string; targetFile?: string }) => {
    process.exitCode = await doctorCommand(flags);
  });

program.command('list').description('list the workload catalogue with its params').action(() => {
  process.exitCode = listCommand();
});

program
  .command('compare <a> <b>')
  .description(
    'compare run b with baseline a (results directories, results.json or events.jsonl): status changes first ' +
      '(regressed, fixed, newly flaky), then timing regressions judged per case by a Mann-Whitney U test ' +
      '(Holm-corrected) and a bootstrap interval of the median shift; exit 1 on a regression, 3 when only ' +
      'newly flaky cases, 2 on a missing input',
  )
  .option('--alpha <p>', 'family-wise error rate for timing regressions (Holm correction over every case timing)', '0.05')
  .option('--min-shift-ms <ms>', 'smallest median shift reported as a timing regression, in ms', '20')
  .option('--seed <n>', 'seed of the bootstrap resampling (same seed, same intervals)', '1')
  .option('--verbose', 'list every timing comparison with its shift, interval and p-values')
  .action((a: string, b: string, flags: CompareFlags) => {
    process.exitCode = compareCommand(a, b, flags);
  });

const cache = program
  .command('cache')
  .description('list, size, garbage-collect, export and import the kernel cache ($DAXLAB_CACHE, else ~/.cache/daxlab)');
cache.command('list').description('every built kernel and source tree: what it is, size, last use, whether a daxlab uses it now')
  .option('--json', 'one JSON object on stdout')
  .action(async (o: { json?: boolean }) => {
    process.exitCode = await cacheListCommand(o);
  });
cache.command('du').description('total size of kernels, trees and leftovers').action(async () => {
  process.exitCode = await cacheDuCommand();
});
cache.command('gc').description('remove entries unused for --max-age days, then least recently used ones until the cache fits --max-size; never one in use')
  .option('--max-age <days>', 'remove entries not used for this many days')
  .option('--max-size <GiB>', 'then remove least recently used entries until the cache is at most this size')
  .option('--dry-run', 'print what would be removed, remove nothing')
  .action(async (o: { maxAge?: string; maxSize?: string; dryRun?: boolean }) => {
    process.exitCode = await cacheGcCommand(o);
  });
cache.command('export <key...>').description('write built kernels (keys or unique prefixes, see cache list) into a tar archive for another machine')
  .requiredOption('--out <file.tar>', 'the archive to write')
  .action(async (keys: string[], o: { out: string }) => {
    process.exitCode = await cacheExportCommand(keys, o);
  });
cache.command('import <file.tar>').description('install built kernels from an archive of cache export; every file is checked against its sha256 first (exit 2 and nothing installed when one does not match)')
  .option('--expect <sha256>', 'refuse the archive unless its own sha256 is this (as printed by cache export)')
  .action(async (file: string, o: { expect?: string }) => {
    process.exitCode = await cacheImportCommand(file, o);
  });

program
  .command('report <input...>')
  .description(
    'from events.jsonl journals, results.json files or results directories (a crashed run, merged shards, several ' +
      'kernels): rebuild results.json, junit.xml and report.html (--out), and/or write report.html (--html) or a ' +
      'KCIDB v5.3 document (--kcidb); exits with the merged results\' exit code',
  )
  .option('--out <dir>', 'write results.json, junit.xml and report.html of the merged results here (the default, daxlab-report, when neither --html nor --kcidb is given)')
  .option('--html <file>', 'write one self-contained HTML report of the inputs (plots, case table, log links; with several runs, their history)')
  .option('--kcidb <file>', 'write a KCIDB I/O v5.3 JSON document: checkouts, builds, tests')
  .option('--origin <name>', 'KCIDB origin: the CI system name in every id ([a-z0-9_]+)', 'daxlab')
  .action((inputs: string[], opts: ReportFlags) => {
    process.exitCode = reportCommand(inputs, opts);
  });

program
  .command('history <dir...>')
  .description(
    'read many runs (results directories, or directories holding them) and show per case since which run and ' +
      'kernel it fails, its failure rate and the trend of its timing-oracle median; exits 0',
  )
  .option('--html <file>', 'also write the history as an HTML page with trend plots')
  .action((dirs: string[], opts: { html?: string }) => {
    process.exitCode = historyCommand(dirs, opts);
  });

const lab = program
  .command('lab')
  .description('spread runs over hosts through BullMQ on Redis: submit a plan, run workers, follow it, collect its results');
const redisOpts = (c: Command) =>
  // No commander default from the environment: --help would print the URL, password and all.
  c.option('--redis <url>', 'redis://[user:password@]host:port[/db], or rediss:// for TLS (default: $DAXLAB_REDIS_URL)')
    .option('--tls-ca <file>', 'CA certificate for a rediss:// server with a private CA');
redisOpts(lab.command('submit <plan>').description('store the run and enqueue its shards (cases of one kernel on one target); prints the run id'))
  .option('--tag <text>', 'runs of one plan and tag are one run (default: the UTC date, so a retried cron submit adds nothing)')
  .option('--shard-size <n>', 'cases per shard job (default 8)')
  .option('--attempts <n>', 'runs of a shard that stops on a harness error, before its cases are errors (default 3)')
  .option('--json', 'print the run as one JSON object')
  .action(async (plan: string, f) => {
    process.exitCode = await (await labCommands()).labSubmitCommand(plan, f);
  });
redisOpts(lab.command('worker').description('run shards of the targets served here, up to --slots at once, until SIGINT/SIGTERM'))
  .option('--target <name>', 'a target this worker serves (default local); repeatable', collect)
  .option('--slots <n>', 'shards run at once, each in its own guest, 1-8 (default 1)')
  .option('--lock-sec <s>', 'job lock: a dead worker\'s shard goes to another worker after about this long (default 30)')
  .option('--work-dir <dir>', 'where shard runs keep their results and serial logs (default: $XDG_CACHE_HOME/daxlab-lab)')
  .option('--keep-days <n>', 'remove shard directories of --work-dir older than this (default 14)')
  .action(async (f) => {
    process.exitCode = await (await labCommands()).labWorkerCommand(f);
  });
redisOpts(lab.command('status <run>').description('cases done, shards by state, targets no worker serves; exit 0 when the run ended, 75 while it runs'))
  .option('--json', 'one JSON object')
  .action(async (id: string, f) => {
    process.exitCode = await (await labCommands()).labStatusCommand(id, f);
  });
redisOpts(lab.command('results <run>').description('write the run\'s results directory (events.jsonl, results.json, junit.xml, report.html); exit as daxlab run, 75 while it runs'))
  .option('--results <dir>', 'new directory for the results (default: daxlab-results/<time>-<run id>)')
  .action(async (id: string, f) => {
    process.exitCode = await (await labCommands()).labResultsCommand(id, f);
  });

// A reader that stops early (daxlab history | head) ends the output quietly, not with a stack.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportError(err);
}
