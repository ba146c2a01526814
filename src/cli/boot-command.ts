// `daxlab boot`: the boot stage on its own; runs one command in the guest, or an interactive shell.
import { join, resolve } from 'node:path';
import { DaxlabError } from '../errors.js';
import { probeHost } from '../host/probe.js';
import type { Plan } from '../plan/types.js';
import type { BootedGuest } from '../run/booted-guest.js';
import { readinessText } from '../run/booted-guest.js';
import { assertHostReady, unsupportedBackend } from '../run/host-check.js';
import { installSignalHandlers } from '../run/signals.js';
import { buildPlanKernel, progressPrinter } from './build-command.js';
import { guestBooter } from './guest-booter.js';
import { prepareResultsDir } from './results-dir.js';

// A login shell on a pty, with the local terminal in raw mode for the duration.
async function interactiveShell(booted: BootedGuest): Promise<number> {
  const stdin = process.stdin;
  const raw = stdin.isTTY === true;
  if (raw) stdin.setRawMode(true);
  stdin.resume();
  try {
    return await booted.interactive({
      input: stdin,
      output: process.stdout,
      term: process.env.TERM ?? 'xterm',
      rows: process.stdout.rows ?? 24,
      cols: process.stdout.columns ?? 80,
    });
  } finally {
    if (raw) stdin.setRawMode(false);
    stdin.pause();
  }
}

/**
 * Pure: the plan and the guest command of `daxlab boot [plan] [-- command...]`. `operands` are
 * commander's (it drops the `--`), `argv` the raw command line that tells where `--` was.
 */
export function splitBootArgs(operands: string[], argv: string[]): { plan?: string; command: string[] } {
  const dashes = argv.indexOf('--');
  const command = dashes >= 0 ? argv.slice(dashes + 1) : [];
  const before = operands.slice(0, operands.length - command.length);
  if (before.length > 1) {
    throw new DaxlabError('USAGE', `boot takes one plan, got ${before.length} words before --: ${before.join(' ')}`, [
      'fix: put the guest command after --, e.g. daxlab boot plan.yaml -- uname -a',
    ]);
  }
  return { plan: before[0], command };
}

/** Pure: the plan named positionally or with --plan (not both). */
export function pickPlan(positional: string | undefined, flag: string | undefined): string | undefined {
  if (positional !== undefined && flag !== undefined) {
    throw new DaxlabError('USAGE', `boot got two plans: ${positional} and --plan ${flag}`, ['fix: name the plan once']);
  }
  return positional ?? flag;
}

/** Boot, run `argv` (or an interactive shell), shut down; the guest command's exit code is returned. */
export async function bootCommand(plan: Plan, flags: { kernel?: string; results?: string }, argv: string[]): Promise<number> {
  const caps = await probeHost({ qemu: plan.vm.qemu, virtiofsd: plan.vm.virtiofsd });
  assertHostReady(plan, caps);
  // A run skips such a backend's cases; boot has none to skip, so it refuses before building.
  const unsupported = unsupportedBackend(plan, caps);
  if (unsupported) {
    throw new DaxlabError('HOST_MISSING', `cannot boot backend ${plan.backend} here: ${unsupported}`, [
      'a QEMU with a virtio-fs DAX window can be named in the plan (vm.qemu, and vm.virtiofsd)',
    ]);
  }
  const resultsDir = prepareResultsDir(flags.results, plan.kernel.label);
  const say = progressPrinter(process.stderr, 'boot');
  // A --kernel image comes without the selftests daxlab builds from a tree; a built one has them.
  const kernel = flags.kernel
    ? { image: resolve(flags.kernel), selftests: undefined }
    : (await buildPlanKernel(plan, join(resultsDir, 'build'), progressPrinter(process.stderr, 'build'))).artifact;
  const abort = new AbortController();
  const signals = installSignalHandlers(abort, (m) => process.stderr.write(`${m}\n`));
  say(`${caps.kvm ? 'KVM' : `TCG (KVM not usable: ${caps.kvmReason})`}; serial log ${join(resultsDir, 'serial.log')}`);
  const boot = await guestBooter(plan, caps, { selftestsDir: kernel.selftests });
  const booted = await boot(kernel.image, join(resultsDir, 'serial.log'), abort.signal);
  try {
    say(`${readinessText(booted)}; workload programs in ${booted.binDir}`);
    if (argv.length === 0) return await interactiveShell(booted);
    const r = await booted.guest.exec(argv, { timeoutMs: plan.timeouts.caseSec * 1000 });
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    return r.exitCode ?? 69;
  } finally {
    await booted.shutdown();
    signals.dispose();
  }
}
