// Verdicts you can trust, for real: every hole in the kernel-log and taint checks is injected into
// a real guest (test-only fault workload) and must be reported, never passed.
import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../../src/results/types.js';
import { daxlab } from './cli-run.js';

const find = (rs: CaseResult[], id: string) => rs.find((r) => r.id === id)!;

describe('verdict holes', () => {
  it('catches a WARNING between cases, a KASAN skip, a slow racer and an oops, and reboots around them', async () => {
    const r = await daxlab(['run', 'test/plans/fault-verdicts.yaml']);
    expect(r.report, r.output.slice(-4000)).not.toBeNull();
    const { results, summary } = r.report!;
    expect(results.map((c) => `${c.id} ${c.status}`), r.output.slice(-4000)).toEqual([
      'ext4/fault/kind=warn-between#1 pass',
      'ext4/fault/kind=ok#1 pass',
      'ext4/fault/kind=kasan-skip#1 fail',
      'ext4/fault/kind=slow-racer#1 error',
      'ext4/fault/kind=oops#1 fail',
      'ext4/pin-race/index=5,pages=16,pin=pread,race=truncate#1 pass',
    ]);
    // The WARNING (a real one: LKDTM) logged after warn-between ended belongs to no case: a finding
    // that fails the run. It taints the kernel (W), so ok#1 runs again on a fresh boot.
    expect(summary.findings).toHaveLength(1);
    expect(summary.findings![0]).toMatchObject({ phase: 'between', after: 'ext4/fault/kind=warn-between#1', before: 'ext4/fault/kind=ok#1' });
    expect(summary.findings![0]!.lines.join('\n')).toMatch(/WARNING: CPU: \d+ PID: \d+ at \S*lkdtm/);
    expect(r.output).toMatch(/KERNEL LOG outside any case, between ext4\/fault\/kind=warn-between#1 and ext4\/fault\/kind=ok#1/);
    expect(find(results, 'ext4/fault/kind=kasan-skip#1').reason).toMatch(/^kernel log: BUG: KASAN: slab-use-after-free in daxlab_fault_kasan_skip; the workload itself reported skip/);
    // Never seen waiting is inconclusive: run again alone twice, it stays an error.
    expect(find(results, 'ext4/fault/kind=slow-racer#1').attempts!.map((a) => a.status)).toEqual(['error', 'error', 'error']);
    expect(r.output).toMatch(/ext4\/fault\/kind=slow-racer#1 could not be judged \(.*\): running it again alone/);
    expect(find(results, 'ext4/fault/kind=slow-racer#1').reason).toMatch(/^ftruncate returned after the pin was released but was not seen waiting for it: 0 of \d+ samples in the layout-break wait .*nanosleep/);
    const oops = find(results, 'ext4/fault/kind=oops#1');
    expect(oops.reason).toMatch(/^kernel log: .*(BUG|Oops)/);
    expect(oops.reason).toMatch(/kernel tainted during the case: D \(kernel died recently/);
    expect(r.output).toMatch(/the kernel is tainted after ext4\/fault\/kind=oops#1: rebooting before the next case/);
    expect(r.output).toMatch(/ext4\/fault\/kind=ok#1 started on a tainted kernel: rebooting to run it again/);
    expect(r.exitCode).toBe(1);
  });

  it('errors a case whose kernel log was overwritten or could not be read', async () => {
    const r = await daxlab(['run', 'test/plans/fault-klog-lost.yaml']);
    expect(r.report, r.output.slice(-4000)).not.toBeNull();
    const { results } = r.report!;
    expect(results.map((c) => `${c.id} ${c.status}`), r.output.slice(-4000)).toEqual([
      'ext4/fault/kind=ok#1 pass',
      'ext4/fault/kind=klog-flood#1 error',
      'ext4/fault/kind=kmsg-unreadable#1 error',
    ]);
    expect(find(results, 'ext4/fault/kind=klog-flood#1').reason).toMatch(/^\d+ kernel-log record\(s\) were overwritten before they could be read/);
    expect(find(results, 'ext4/fault/kind=kmsg-unreadable#1').reason).toMatch(/^the case's begin and end markers are missing from the kernel log/);
    expect(r.exitCode).toBe(69);
  });

  it('reports a case that fails, then passes when re-run, as flaky (exit 3); one that could not decide passes when run again', async () => {
    const r = await daxlab(['run', 'test/plans/fault-flaky.yaml', '--rerun-failures', '2']);
    expect(r.report, r.output.slice(-4000)).not.toBeNull();
    const flaky = find(r.report!.results, 'ext4/fault/kind=flaky#1');
    expect(flaky.status).toBe('flaky');
    expect(flaky.attempts!.map((a) => a.status)).toEqual(['fail', 'pass']);
    expect(find(r.report!.results, 'ext4/fault/kind=ok#1').status).toBe('pass');
    const undecided = find(r.report!.results, 'ext4/fault/kind=undecided#1');
    expect(undecided.status).toBe('pass');
    expect(undecided.attempts!.map((a) => a.status)).toEqual(['error', 'pass']);
    expect(r.exitCode).toBe(3);
  });

  it('exits 4 when every case was skipped and the plan did not expect it, 0 when it did', async () => {
    // The default plan on virtiofs: its 13 workload cases on the one filesystem, virtiofs.
    const r = await daxlab(['run', '--backend', 'virtiofs']);
    expect(r.report?.summary.counts.skip, r.output.slice(-2000)).toBe(13);
    expect(new Set(r.report?.results.map((c) => `${c.id.split('/')[0]} ${c.status}: ${c.reason}`))).toEqual(
      new Set([expect.stringMatching(/^virtiofs skip: QEMU \S+ has no virtio-fs DAX window \(vhost-user-fs-pci has no cache-size property\)$/)]),
    );
    expect(r.exitCode).toBe(4);
    const ok = await daxlab(['run', 'test/plans/virtiofs-expected-skip.yaml']);
    expect(ok.report?.summary.counts.skip, ok.output.slice(-2000)).toBeGreaterThan(0);
    expect(ok.exitCode).toBe(0);
  });
});
