// Fault injection, real QEMU: SIGINT and SIGTERM while a case hangs stop the run at once (no
// waiting for the case timeout), tear the VM down, keep the finished results (results.json and
// events.jsonl), and exit 130/143; a second SIGINT forces the exit; a signal during boot too.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseBegan, expectJournalMatchesReport, expectNoLeftovers, journal, qemuOf, serialText, startDaxlab, waitFor } from './faults.js';

const HANG = 'ext4/fault/kind=hang#1';

// Start the signal plan and wait until its hanging case runs in the guest.
async function startAndWaitForHang() {
  const run = startDaxlab(['run', 'test/plans/fault-signal.yaml']);
  await waitFor('the hanging case to start', async () => (await qemuOf(run)).length > 0 && caseBegan(run.results, HANG), 120_000, run);
  return run;
}

describe('fault: signals during a run', () => {
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${sig}: stops the hanging case at once, keeps the finished result, exits ${code}`, async () => {
      const run = await startAndWaitForHang();
      const t0 = Date.now();
      run.child.kill(sig);
      const r = await run.child;
      const took = Date.now() - t0;
      const output = String(r.all ?? '');
      expect(r.exitCode, output.slice(-3000)).toBe(code);
      expect(took).toBeLessThan(10_000);
      console.log(`${sig}: daxlab exited ${took} ms after the signal`);
      expect(output).toContain(`daxlab: ${sig} received`);
      const report = expectJournalMatchesReport(run.results);
      expect(report.summary.exitCode).toBe(code);
      expect(report.results.map((c) => `${c.id} ${c.status}`)).toEqual(['ext4/register-buffers/-#1 pass', `${HANG} error`]);
      expect(report.results[1]!.reason).toBe(`interrupted by ${sig} before the case finished`);
      await expectNoLeftovers(run);
    });
  }

  it('a second SIGINT forces the exit while teardown is stuck; the journal and finished results stay readable', async () => {
    const run = await startAndWaitForHang();
    // A wedged QEMU (stopped: SIGTERM does nothing until the SIGKILL 2 s later) keeps teardown busy.
    const [qemu] = await qemuOf(run);
    process.kill(qemu!.pid, 'SIGSTOP');
    const t0 = Date.now();
    run.child.kill('SIGINT');
    await new Promise((res) => setTimeout(res, 300));
    run.child.kill('SIGINT');
    const r = await run.child;
    const took = Date.now() - t0;
    const output = String(r.all ?? '');
    expect(r.exitCode, output.slice(-3000)).toBe(130);
    expect(output).toContain('daxlab: second SIGINT');
    expect(took).toBeLessThan(1_500);
    console.log(`second SIGINT: daxlab exited ${took} ms after the first one`);
    const j = journal(run.results);
    expect(j.results.map((c) => c.id)).toContain('ext4/register-buffers/-#1');
    // results.json is either written in full from the finished cases or not at all.
    if (existsSync(join(run.results, 'results.json'))) expectJournalMatchesReport(run.results);
    await expectNoLeftovers(run);
  });

  // Two moments of a boot: QEMU just spawned (its monitor not up yet), and the kernel booting.
  for (const [when, ready] of [
    ['QEMU starts', () => true],
    ['the kernel boots', (results: string) => /Linux version/.test(serialText(results))],
  ] as const) {
    it(`SIGINT while ${when} stops QEMU at once and records nothing as run`, async () => {
      const run = startDaxlab(['run', 'test/plans/fault-signal.yaml']);
      await waitFor(when, async () => (await qemuOf(run)).length > 0 && ready(run.results), 120_000, run);
      const t0 = Date.now();
      run.child.kill('SIGINT');
      const r = await run.child;
      const took = Date.now() - t0;
      expect(r.exitCode, String(r.all ?? '').slice(-3000)).toBe(130);
      expect(took).toBeLessThan(5_000);
      console.log(`SIGINT while ${when}: daxlab exited ${took} ms after the signal`);
      const report = expectJournalMatchesReport(run.results);
      expect(report.results).toEqual([]);
      await expectNoLeftovers(run);
    });
  }
});
