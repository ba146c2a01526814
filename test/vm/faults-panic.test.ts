// Fault injection, real QEMU: the guest kernel panics in the middle of the run (sysrq c through the
// test-only "fault" workload). That case must FAIL with the panic text from the serial log, the
// VM restarts, the cases before and after pass, and nothing of the run is left behind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { byId, expectJournalMatchesReport, expectNoLeftovers, startDaxlab } from './faults.js';

describe('fault: guest kernel panic mid-run', () => {
  it('fails the panicking case with the panic text and passes the cases around it on a fresh VM', async () => {
    const run = startDaxlab(['run', 'test/plans/fault-panic.yaml']);
    const r = await run.child;
    const output = String(r.all ?? '');
    expect(r.exitCode, output.slice(-3000)).toBe(1);

    const report = expectJournalMatchesReport(run.results);
    expect(report.results.map((c) => `${c.id} ${c.status}`)).toEqual([
      'ext4/register-buffers/-#1 pass',
      'ext4/fault/kind=panic#1 fail',
      'ext4/pin-race/index=5,pages=16,pin=pread,race=truncate#1 pass',
    ]);
    const panic = byId(report.results, 'ext4/fault/kind=panic#1');
    expect(panic.reason).toMatch(/^guest kernel crashed: .*Kernel panic - not syncing: sysrq triggered crash/);
    expect(panic.klogMatches.join('\n')).toMatch(/sysrq: Trigger a crash[\s\S]*Call Trace/);
    expect(panic.details).toMatchObject({ serialLog: 'serial.log' });
    // Detection is immediate: panic=-1 and -no-reboot end QEMU, which closes the ssh connection.
    expect(panic.durationMs).toBeLessThan(5_000);
    // The panicking boot's console is kept; the later cases ran on a second boot with its own log.
    expect(readFileSync(join(run.results, 'serial.log'), 'latin1')).toMatch(/Kernel panic - not syncing: sysrq triggered crash/);
    expect(readFileSync(join(run.results, 'serial.2.log'), 'latin1')).not.toMatch(/Kernel panic/);
    console.log(`panic detected in ${panic.durationMs} ms; run took ${report.summary.durationMs} ms`);
    expect(run.runDirs.size, 'QEMU of both boots seen').toBe(2);
    await expectNoLeftovers(run);
  });
});
