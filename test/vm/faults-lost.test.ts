// Fault injection, real QEMU: QEMU is SIGKILLed from outside during a case, and in the next case
// the guest cuts daxlab's ssh connection. Each case ends as ERROR within seconds (not at the
// case timeout of 100 s), the run goes on with a fresh VM, and the last case passes.
import { describe, expect, it } from 'vitest';
import { byId, caseBegan, expectJournalMatchesReport, expectNoLeftovers, journal, qemuOf, startDaxlab, waitFor } from './faults.js';

const KILLED = 'ext4/fault/kind=hang#1';
const CUT = 'ext4/fault/kind=disconnect#1';

describe('fault: VM or connection lost mid-case', () => {
  it('errors the case promptly when QEMU is killed or ssh is cut, then continues on a fresh VM', async () => {
    const run = startDaxlab(['run', 'test/plans/fault-lost.yaml']);
    const [qemu] = await waitFor('the hanging case to start', async () => {
      const q = await qemuOf(run);
      return q.length > 0 && caseBegan(run.results, KILLED) ? q : null;
    }, 120_000, run);
    const killedAt = Date.now();
    process.kill(qemu!.pid, 'SIGKILL');
    await waitFor('the killed case to be journaled', () => journal(run.results).results.some((c) => c.id === KILLED), 30_000, run);
    const detectMs = Date.now() - killedAt;
    // The ssh connection is cut by the guest itself (it kills its sshd session process).
    const cutStartedAt = await waitFor('the disconnect case to start', () => caseBegan(run.results, CUT) && Date.now(), 120_000, run);
    await waitFor('the cut case to be journaled', () => journal(run.results).results.some((c) => c.id === CUT), 60_000, run);
    const cutMs = Date.now() - cutStartedAt;
    const r = await run.child;
    const output = String(r.all ?? '');
    expect(r.exitCode, output.slice(-3000)).toBe(69);

    const report = expectJournalMatchesReport(run.results);
    expect(report.results.map((c) => `${c.id} ${c.status}`)).toEqual([`${KILLED} error`, `${CUT} error`, 'ext4/register-buffers/-#1 pass']);
    expect(byId(report.results, KILLED).reason).toMatch(/^QEMU died during the case \(killed by SIGKILL\), not a kernel crash: /);
    const cut = byId(report.results, CUT);
    expect(cut.reason).toMatch(/^lost the ssh connection to the guest \(.*closed.*\): the guest was running `\S+\/run-case\.sh .*; task stacks \(sysrq w, t\) attached$/);
    expect(cut.klogMatches.join('\n')).toMatch(/sysrq: Show Blocked State/);
    console.log(`QEMU SIGKILL -> case recorded in ${detectMs} ms; ssh cut -> case recorded ${cutMs} ms after the case began`);
    expect(detectMs).toBeLessThan(5_000);
    expect(cutMs).toBeLessThan(20_000);
    expect(run.runDirs.size, 'three boots').toBe(3);
    await expectNoLeftovers(run);
  });
});
