// Run queued cases on one booted VM, up to `lanes` at a time: each lane has its own guest shell and
// its own delayed device, every filesystem its own fsdax namespace (when the device holds several),
// and exclusive cases run alone. A result that cannot be trusted because other cases ran beside it
// (a failing kernel-log line or a new taint in shared time, a lost guest) is not recorded: the case
// is queued again, to run alone. Ends when the queue is empty or the VM must be replaced.
import { DaxlabError } from '../errors.js';
import type { FsName } from '../plan/types.js';
import { getWorkload } from '../workloads/catalogue.js';
import type { GuestEnv } from '../workloads/types.js';
import type { BootedGuest } from './booted-guest.js';
import { unrunResult } from './case-result.js';
import { again, canStart, markId, rerunOf, type QueuedCase } from './case-queue.js';
import { runCase, type CaseRun } from './case-runner.js';
import { setupDelayDevice, setupFilesystem, setupPmem } from './guest-setup.js';
import type { KlogLedger } from './klog-ledger.js';
import { lostGuestResult } from './lost-guest.js';
import { record, recordFindings, type RunState } from './run-state.js';
import { foldAttempts } from '../results/attempts.js';
import { crashHeadline } from '../vm/crash.js';
import { VIRTIOFS_TAG } from '../vm/devices.js';
import { NoDaxWindowError, setupVirtiofs } from './virtiofs-mount.js';

/** Where a filesystem under test is mounted in the guest (on its /run tmpfs: the root is read-only). */
export function mountPointOf(fs: FsName): string {
  return `/run/daxlab/${fs}`;
}

/** Why a VM stopped taking cases: the queue is empty, the kernel is tainted, or the guest was lost. */
export type VmStop = 'drained' | 'recycle' | 'lost' | 'aborted';

/** One booted VM and what has been set up on it. */
export interface LaneVm {
  booted: BootedGuest;
  ledger: KlogLedger;
  /** How many cases may run at once. */
  lanes: number;
  /** The filesystems this VM's cases use, in order (one fsdax namespace each when the device allows). */
  filesystems: FsName[];
}

type Outcome = { ok: CaseRun } | { err: unknown };

export class VmLanes {
  private devices: Promise<string[]> | undefined;
  private readonly mounted = new Map<FsName, Promise<void>>();
  private turn: { fs: FsName; ready: Promise<void> } | undefined;
  private readonly delay = new Map<number, Promise<string>>();
  private together = false;

  constructor(private readonly s: RunState, private readonly vm: LaneVm) {}

  /** Run cases from the front of `queue` (shared: cases queued again go back to its front). */
  async run(queue: QueuedCase[]): Promise<VmStop> {
    const running = new Map<number, { q: QueuedCase; started: Date; p: Promise<[number, Outcome]> }>();
    let stop: VmStop | null = null;
    await this.pmem();
    for (;;) {
      while (!stop && !this.s.d.signal.aborted && queue.length > 0 && running.size < this.vm.lanes) {
        const next = queue[0]!;
        if (!canStart(next, [...running.values()].map((r) => r.q), this.together)) break;
        queue.shift();
        const lane = [...Array(this.vm.lanes).keys()].find((n) => !running.has(n))!;
        const p = this.runOne(lane, next).then((ok): [number, Outcome] => [lane, { ok }], (err): [number, Outcome] => [lane, { err }]);
        running.set(lane, { q: next, started: new Date(), p });
      }
      if (running.size === 0) break;
      const [lane, outcome] = await Promise.race([...running.values()].map((r) => r.p));
      const { q, started } = running.get(lane)!;
      running.delete(lane);
      const shared: boolean = running.size > 0 || stop === 'lost';
      stop = (await this.settle(q, started, outcome, shared, queue)) ?? stop;
    }
    return this.s.d.signal.aborted ? 'aborted' : (stop ?? 'drained');
  }

  // What one finished case means: record it, or queue it again; returns a reason to stop the VM.
  private async settle(q: QueuedCase, started: Date, o: Outcome, shared: boolean, queue: QueuedCase[]): Promise<VmStop | null> {
    const say = (m: string) => this.s.d.reporter.onStage?.('run', m);
    if ('ok' in o) {
      const run = o.ok;
      await recordFindings(this.s, run.findings);
      const rerun = rerunOf(q, run.result, this.s.d.rerunFailures ?? 0);
      if (run.ambiguousWith.length > 0 && q.exclusive !== 'guest') {
        await say(`${q.tc.id} ran beside ${run.ambiguousWith.join(', ')} when the kernel logged a failing line or tainted: running it again alone`);
        queue.unshift(again(q));
      } else if (run.rerunOnFreshBoot && q.attempt < 3) {
        await say(`${q.tc.id} started on a tainted kernel: rebooting to run it again`);
        queue.unshift(again(q));
        return 'recycle';
      } else if (rerun) {
        // --rerun-failures, or an oracle that could not decide: run it again (an undecided one alone);
        // the attempts are folded into one result (flaky, fail, or a pass that says which attempt passed).
        const earlier = [...(q.earlier ?? []), run.result];
        if (rerun === 'failed') {
          await say(`${q.tc.id} failed (attempt ${earlier.length}): running it again`);
          queue.unshift({ ...q, attempt: q.attempt + 1, earlier });
        } else {
          await say(`${q.tc.id} could not be judged (${run.result.reason}): running it again alone`);
          queue.unshift({ ...again(q), earlier });
        }
      } else {
        await record(this.s, q.earlier ? foldAttempts([...q.earlier, run.result]) : run.result);
      }
      if (run.rebootAfter) {
        await say(`the kernel is tainted after ${q.tc.id}: rebooting before the next case`);
        return 'recycle';
      }
      return null;
    }
    const err = o.err;
    if (err instanceof DaxlabError && err.code === 'RESULTS_IO') throw err;
    if (this.s.d.signal.aborted) {
      const sig = (this.s.d.signal.reason as Error)?.message ?? 'a signal';
      await record(this.s, unrunResult(q.tc, this.s.ctx, 'error', `interrupted by ${sig} before the case finished`));
      return 'aborted';
    }
    // The guest failed mid-case. Alone, the case is classified (a panic is its fail); beside others,
    // nobody can be blamed: the crash is a finding and every case that ran is run again alone.
    const r = await lostGuestResult(q.tc, this.s.ctx, this.vm.booted, err, started);
    if (shared && q.exclusive !== 'guest') {
      const panic = this.vm.booted.panicText();
      if (panic) {
        const head = crashHeadline(panic.split('\n')) ?? panic.split('\n')[0] ?? '';
        await recordFindings(this.s, [{ phase: 'overlap', cases: [q.tc.id], serialLog: this.vm.booted.serialLog, lines: [head.trim()] }]);
      }
      await say(`the guest was lost while ${q.tc.id} ran beside other cases (${r.reason}): running it again alone`);
      queue.unshift(again(q));
    } else {
      await record(this.s, r);
    }
    return 'lost';
  }

  // Set up what the case needs (its filesystem, its lane's device), then run it on its lane.
  private async runOne(lane: number, q: QueuedCase): Promise<CaseRun> {
    const { tc } = q;
    const noRun = (u: { status: 'skip' | 'error'; reason: string }): CaseRun => ({
      result: unrunResult(tc, this.s.ctx, u.status, u.reason), findings: [], rebootAfter: false, rerunOnFreshBoot: false, ambiguousWith: [],
    });
    const unusable = this.s.fsUnusable.get(tc.fs);
    if (unusable) return noRun(unusable);
    const notRunnable = getWorkload(tc.workload).notRunnable?.(tc);
    if (notRunnable) return noRun({ status: 'skip', reason: notRunnable });
    const guest = this.vm.booted.lane(lane);
    try {
      await this.mount(tc.fs, guest);
    } catch (err) {
      if (!(err instanceof DaxlabError) || err.code !== 'GUEST_FAILED' || this.vm.booted.exited() || this.vm.booted.disconnected()) throw err;
      // No DAX window (virtiofs): the cases cannot test DAX here, a skip; any other setup failure is an error.
      const u = err instanceof NoDaxWindowError
        ? { status: 'skip' as const, reason: err.message }
        : { status: 'error' as const, reason: `filesystem setup failed: ${err.message}` };
      this.s.fsUnusable.set(tc.fs, u);
      return noRun(u);
    }
    let device = this.delay.get(lane);
    if (!device) this.delay.set(lane, (device = setupDelayDevice(guest, this.vm.booted.binDir, this.s.d.plan.vm.pinMs, `daxlab${lane}`)));
    device.catch(() => this.delay.delete(lane));
    const env: GuestEnv = { binDir: this.vm.booted.binDir, mountPoint: mountPointOf(tc.fs), delayDevice: await device, pinMs: this.s.d.plan.vm.pinMs };
    return runCase(guest, tc, getWorkload(tc.workload), env, {
      guestScripts: this.vm.booted.binDir, ctx: this.s.ctx, ledger: this.vm.ledger, markId: markId(q),
    });
  }

  // One fsdax namespace per filesystem when the device can hold them (an NVDIMM with labels).
  private async pmem(): Promise<void> {
    // virtiofs has no pmem device: its one filesystem is the share, mounted in mount().
    if (this.s.d.plan.backend === 'virtiofs' && !this.vm.booted.pmemDevices) {
      this.devices ??= Promise.resolve([]);
      this.together = true;
      return;
    }
    // A machine names its fsdax devices; a VM's are made from its NVDIMM or virtio-pmem.
    this.devices ??= this.vm.booted.pmemDevices ? Promise.resolve(this.vm.booted.pmemDevices) : setupPmem(this.vm.booted.guest, this.vm.booted.binDir, this.vm.filesystems.length);
    const devices = await this.devices;
    this.together = devices.length >= this.vm.filesystems.length;
  }

  // Mount fs once (together: each on its own device, or virtiofs's share), or make it the one
  // mounted on the single device (turns).
  private async mount(fs: FsName, guest: BootedGuest['guest']): Promise<void> {
    const devices = await this.devices!;
    if (this.together) {
      let m = this.mounted.get(fs);
      if (!m) this.mounted.set(fs, (m = fs === 'virtiofs' ? this.mountShare(guest) : this.mountOn(fs, devices[this.vm.filesystems.indexOf(fs)]!, guest)));
      return m;
    }
    if (this.turn?.fs !== fs) this.turn = { fs, ready: this.mountOn(fs, devices[0]!, guest) };
    return this.turn.ready;
  }

  private async mountOn(fs: FsName, device: string, guest: BootedGuest['guest']): Promise<void> {
    const t0 = Date.now();
    await this.s.d.reporter.onStage?.('setup', `${fs}: mkfs on ${device}, mount -o dax=always at ${mountPointOf(fs)}`);
    const b = this.vm.booted;
    await setupFilesystem(guest, b.binDir, fs, mountPointOf(fs), b.binDir, device);
    this.s.d.stages[`setup.${fs}Ms`] = Date.now() - t0;
  }

  private async mountShare(guest: BootedGuest['guest']): Promise<void> {
    const t0 = Date.now();
    await this.s.d.reporter.onStage?.('setup', `virtiofs: mount -t virtiofs -o dax=always ${VIRTIOFS_TAG} at ${mountPointOf('virtiofs')}`);
    await setupVirtiofs(guest, this.vm.booted.binDir, mountPointOf('virtiofs'), this.vm.booted.binDir);
    this.s.d.stages['setup.virtiofsMs'] = Date.now() - t0;
  }
}
