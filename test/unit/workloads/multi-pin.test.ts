import { describe, expect, it } from 'vitest';
import { multiPin } from '../../../src/workloads/multi-pin.js';
import { ENV, output, testCase, waitSamples } from './fixtures.js';

const MS = 1_000_000;
const ns = (ms: number) => Math.round(ms * MS);
const tc = testCase('multi-pin', { race: 'truncate', order: 'forward' });

/** A multipin line: call at 20 ms, releases at 320 and 620 ms, return at `end` ms, asleep until then. */
function line(end = 621, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    race: 'truncate', order: 'forward', index: 3, index2: 11, pages: 16, hold_ms: 300,
    race_start_ns: ns(20), race_end_ns: ns(end), race_ret: 0, race_errno: 0,
    release1_start_ns: ns(320), release1_end_ns: ns(320.2), release2_start_ns: ns(620), release2_end_ns: ns(620.2),
    size_after: 0, size_expected: 0, data_ok: true, map_faults: 32, race_watchdog_ms: -1, dax: true,
    race_wait: waitSamples(ns(20), ns(end)),
    ...over,
  };
}

describe('multi-pin', () => {
  it('runs multipin with both pages, the hold time and the order, as an argv', () => {
    expect(multiPin.command(tc, ENV)).toEqual([
      `${ENV.binDir}/multipin`, '--file', '/mnt/dax/multipin-ext4_multi-pin_race_truncate_order_forward_0',
      '--pages', '16', '--index', '3', '--index2', '11', '--race', 'truncate', '--hold-ms', '300', '--order', 'forward',
    ]);
  });

  it('passes a call that returned after the last release and was seen waiting past the first', () => {
    const v = multiPin.judge(tc, output(line()), ENV);
    expect(v.status, v.reason).toBe('pass');
    expect(v.timings.returnAfterLastReleaseMs).toBe(1);
  });

  it('fails a call that returned between the releases (a wait that did not rescan), naming the page still held', () => {
    const v = multiPin.judge(tc, output(line(321)), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toBe('ftruncate returned 299 ms before the last reference was dropped, after page 3 was released but while page 11 was still referenced');
    const rev = multiPin.judge(testCase('multi-pin', { race: 'punch', order: 'reverse' }), output(line(100)), ENV);
    expect(rev.reason).toMatch(/^fallocate\(PUNCH_HOLE\) returned 520 ms before .* while both pages were still referenced/);
  });

  it('fails a wait that nothing woke, a failed call, and a wrong size', () => {
    expect(multiPin.judge(tc, output(line(5630, { race_watchdog_ms: 5000 })), ENV).reason).toMatch(/never returned after the last reference was dropped/);
    expect(multiPin.judge(tc, output(line(621, { race_ret: -1, race_errno: 5 })), ENV).reason).toBe('ftruncate failed with EIO (5)');
    expect(multiPin.judge(tc, output(line(621, { size_after: 65536 })), ENV).reason).toMatch(/left size 65536 \(expected 0\)/);
  });

  it('is an error when the call was late, or was not seen waiting after the first release', () => {
    expect(multiPin.judge(tc, output(line(621, { race_start_ns: ns(330) })), ENV).reason).toMatch(/started only after the first release/);
    const early = line(621, { race_wait: waitSamples(ns(20), ns(300)) });
    expect(multiPin.judge(tc, output(early), ENV).reason).toMatch(/last seen in the layout-break wait before the first one/);
    const slow = line(621, { race_wait: waitSamples(ns(20), ns(621), '0', 'R') });
    expect(multiPin.judge(tc, output(slow), ENV).status).toBe('error');
  });
});

describe('multi-pin race=reclaim', () => {
  const one = testCase('multi-pin', { race: 'reclaim', index: 0, index2: 0, pages: 1 });

  it('holds one page when index2 is 0, and runs alone on the guest', () => {
    const argv = multiPin.command(one, ENV);
    expect(argv).not.toContain('--index2');
    expect(argv.slice(argv.indexOf('--race'), argv.indexOf('--race') + 2)).toEqual(['--race', 'reclaim']);
    expect(multiPin.exclusive!(one)).toBe('guest');
    expect(multiPin.exclusive!(tc)).toBeUndefined();
  });

  it('passes whether drop_caches returned before or after the release (the kernel log decides), fails a size change', () => {
    const early = line(40, { race: 'reclaim', release2_start_ns: ns(320), release2_end_ns: ns(320.2), size_after: 4096, size_expected: 4096, race_wait: waitSamples(ns(20), ns(40), '0', 'R') });
    const v = multiPin.judge(one, output(early), ENV);
    expect(v.status, v.reason).toBe('pass');
    expect(v.reason).toMatch(/returned 280 ms before the last release \(the inode was kept, or evicted without waiting: the kernel log tells\)/);
    const late = line(321, { race: 'reclaim', release2_start_ns: ns(320), size_after: 4096, size_expected: 4096 });
    expect(multiPin.judge(one, output(late), ENV).reason).toMatch(/returned 1 ms after the last release, seen asleep in the layout-break wait/);
    expect(multiPin.judge(one, output({ ...late, size_after: 0 }), ENV).status).toBe('fail');
  });
});
