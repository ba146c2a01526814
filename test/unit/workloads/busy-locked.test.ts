import { describe, expect, it } from 'vitest';
import { busyLocked } from '../../../src/workloads/busy-locked.js';
import { ENV, output, testCase } from './fixtures.js';

const tc = testCase('busy-locked', { index: 5, pages: 1024 });
// [entry_locked, early, asleep, found, pfn, index, mapped, wait_ms]: slept on the lock, then answered.
const WAITED = {
  locked_pinned: [[1, 0, 1, 1, 777, 5, 1, 4], [1, 0, 1, 1, 777, 5, 1, 6]],
  locked_released: [[1, 0, 1, 0, 0, -1, 1, 3], [1, 0, 1, 0, 0, -1, 1, 5]],
};
// What stock 6.12 answers: get_unlocked_entry() inside the scan's xas_for_each() returns no entry,
// so the scan goes on at once and misses the page.
const SKIPPED = [[1, 1, 0, 0, 0, -1, 1, -1], [1, 1, 0, 0, 0, -1, 1, -1]];

function line(over: Record<string, unknown> = {}) {
  return { dax: true, pages: 1024, index: 5, map_faults: 2048, pin_pfn: 777, ...WAITED, ...over };
}

describe('busy-locked', () => {
  it('runs busyrange in its locked mode, as an argv', () => {
    const argv = busyLocked.command(tc, ENV);
    expect(argv[0]).toBe(`${ENV.binDir}/busyrange`);
    expect(argv.slice(-3)).toEqual(['--module', `${ENV.binDir}/daxlab_busy.ko`, '--locked']);
    expect(argv).not.toContain('--range');
    expect(busyLocked.inDefaultPlan).toBe(false);
  });

  it('passes a scan that slept on the locked entry and answered after the unlock, with the longest wait', () => {
    const v = busyLocked.judge(tc, output(line()), ENV);
    expect(v.status, v.reason).toBe('pass');
    expect(v.timings.lockedWaitMaxMs).toBe(6);
    expect(v.details?.entry).toBe('4 KiB (PTE)');
  });

  it('fails a scan that skips a locked entry (returned while it was locked), pinned or not', () => {
    const v = busyLocked.judge(tc, output(line({ locked_pinned: SKIPPED })), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/^its own page range with page 5's DAX entry locked returned while the entry was still locked and found no busy page though the page is referenced: a locked entry must be waited for/);
    const released = busyLocked.judge(tc, output(line({ locked_released: SKIPPED })), ENV);
    expect(released.status).toBe('fail');
    expect(released.reason).toMatch(/returned while the entry was still locked and found no busy page: /);
    expect(busyLocked.judge(tc, output(line({ locked_pinned: SKIPPED, locked_released: SKIPPED })), ENV).reason).toMatch(/; and 2 more$/);
  });

  it('fails a scan that answers wrongly after the unlock', () => {
    const lost = busyLocked.judge(tc, output(line({ locked_pinned: [[1, 0, 1, 0, 0, -1, 1, 4], WAITED.locked_pinned[1]] })), ENV);
    expect(lost.reason).toMatch(/after the unlock the scan found no busy page though page 5 is referenced/);
    const stale = busyLocked.judge(tc, output(line({ locked_released: [[1, 0, 1, 1, 777, 5, 1, 4], WAITED.locked_released[1]] })), ENV);
    expect(stale.reason).toMatch(/after the unlock the scan reported a busy page \(pfn 777\) though the reference was dropped/);
    const pfn = busyLocked.judge(tc, output(line({ locked_pinned: [[1, 0, 1, 1, 778, 5, 1, 4], WAITED.locked_pinned[1]] })), ENV);
    expect(pfn.reason).toMatch(/returned pfn 778, not the referenced page's pfn 777/);
  });

  it('is an error, not a pass, when nothing was locked, the file was unmapped, or the scan neither returned nor slept', () => {
    const none = busyLocked.judge(tc, output(line({ locked_pinned: [[0, 0, 0, 0, 0, -1, 1, -1], WAITED.locked_pinned[1]] })), ENV);
    expect(none.status).toBe('error');
    expect(none.reason).toMatch(/found no DAX entry to lock at page 5/);
    const unmapped = busyLocked.judge(tc, output(line({ locked_pinned: [[1, 1, 0, 0, 0, -1, 0, -1], WAITED.locked_pinned[1]] })), ENV);
    expect(unmapped.status).toBe('error');
    const awake = busyLocked.judge(tc, output(line({ locked_released: [[1, 0, 0, 0, 0, -1, 1, 4], WAITED.locked_released[1]] })), ENV);
    expect(awake.status).toBe('error');
    expect(awake.reason).toMatch(/neither returned nor gone to sleep/);
    expect(busyLocked.judge(tc, output(line({ locked_released: [] })), ENV).reason).toMatch(/no 2 locked answers for phase "locked_released"/);
    expect(busyLocked.judge(tc, output({ skip: 'no module' }), ENV).status).toBe('skip');
  });
});
