import { describe, expect, it } from 'vitest';
import { pinReuse } from '../../../src/workloads/pin-reuse.js';
import { ENV, output, testCase, waitSamples } from './fixtures.js';

const MS = 1_000_000;
const ns = (ms: number) => Math.round(ms * MS);
const tc = testCase('pin-reuse', { index: 5, pages: 16, pin: 'iopoll' });

/** A pinreuse line: read 12.3 -> 514.7 ms; truncate 112.5 -> 516.1 ms; G done at 540 ms and intact. */
function line(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pin: 'iopoll', index: 5, pages: 16, lead_ms: 100, hold_ms: 500, dev_ok: true,
    read_start_ns: ns(12.3), read_end_ns: ns(514.7), read_ret: 4096, read_errno: 0,
    trunc_start_ns: ns(112.5), trunc_end_ns: ns(516.1), trunc_ret: 0, trunc_errno: 0,
    fill_bytes: 1004179456, free_blocks: 80, g_done_ns: ns(540), g_pages: 79, g_errno: 0,
    pin_phys: 138113024, reused_page: 21, corrupt_page: -1, corrupt_stale: false, dax: true,
    trunc_wait: waitSamples(ns(112.5), ns(516.1)),
    ...over,
  };
}
/** The seed bug: the truncate returns 15 ms after it started, G is written before the read ends. */
const early = { trunc_end_ns: ns(127.5), g_done_ns: ns(150) };
const judge = (over: Record<string, unknown> = {}, t = tc) => pinReuse.judge(t, output(line(over)), ENV);

describe('pin-reuse', () => {
  it('builds the exact pinreuse argv', () => {
    expect(pinReuse.command(tc, ENV)).toEqual([
      '/var/cache/daxlab/bin/0123456789abcdef/pinreuse',
      '--file', '/mnt/dax/pinreuse-ext4_pin-reuse_index_5_pages_16_pin_iopoll_0',
      '--pages', '16', '--index', '5', '--dev', '/dev/nullb0', '--pin', 'iopoll',
      '--hold-ms', '500', '--lead-ms', '100',
    ]);
    expect(pinReuse.inDefaultPlan).toBe(false);
    expect(pinReuse.params.pin!.default).toEqual(['iopoll']);
  });

  it('passes when the truncate waited and the new file kept its data in the reused block', () => {
    const v = judge();
    expect(v.status).toBe('pass');
    expect(v.reason).toBe('ftruncate waited for the pin (returned 3.8 ms after the read completed; seen asleep in the layout-break wait for ~401.6 ms); ' +
      'the new file reused the pinned block (its page 21) and kept its data');
    expect(v.timings).toMatchObject({ readMs: 502.4, truncMs: 403.6, truncAfterReadMs: 1.4, truncStartBeforeReadEndMs: 402.2 });
    expect(v.details).toMatchObject({ reusedPage: 21, corruptPage: -1, corruptStale: false, secondFilePages: 79 });
  });

  it('fails when the truncate never woke after the read and the watchdog interrupted it', () => {
    const v = judge({ trunc_end_ns: ns(2516), trunc_ret: -1, trunc_errno: 4, trunc_watchdog_ms: 2001 });
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/^ftruncate never returned after the pinned read completed: still waiting 2001 ms later/);
    expect(judge({ trunc_watchdog_ms: -1 }).status).toBe('pass');
  });

  it('passes but says so when the pinned block was not reused', () => {
    const v = judge({ reused_page: -1 });
    expect(v.status).toBe('pass');
    expect(v.reason).toContain('the pinned block was not reused by the new file (data check inconclusive)');
  });

  it('fails with the stale-DMA reason when the new file holds the device data, plus the early return', () => {
    const v = judge({ ...early, corrupt_page: 21, corrupt_stale: true });
    expect(v).toMatchObject({
      status: 'fail',
      reason: 'stale DMA from the pinned read overwrote page 21 of another file (block reused after truncate); ' +
        'ftruncate returned 384.8 ms before the pinned read completed (pin at page 5)',
    });
  });

  it('fails on corruption alone, and names a page that holds neither pattern', () => {
    expect(judge({ corrupt_page: 3, corrupt_stale: true }).reason)
      .toBe('stale DMA from the pinned read overwrote page 3 of another file (block reused after truncate)');
    expect(judge({ corrupt_page: 3, corrupt_stale: false })).toMatchObject({
      status: 'fail',
      reason: "page 3 of another file, written after the truncate, lost its data (it holds neither its own nor the device's)",
    });
  });

  it('fails on an early return without corruption, saying why no stale data could show', () => {
    expect(judge({ ...early, reused_page: -1 }).reason).toBe('ftruncate returned 384.8 ms before the pinned read ' +
      'completed (pin at page 5); the pinned block was not reused by the new file, so no stale data could show');
    const pread = testCase('pin-reuse', { index: 5, pages: 16, pin: 'pread' });
    expect(judge({ ...early, pin: 'pread' }, pread).reason)
      .toBe('ftruncate returned 384.8 ms before the pinned read completed (pin at page 5); ' +
        'pread copies at submission, so no stale data could show');
    expect(judge(early).reason).toBe('ftruncate returned 384.8 ms before the pinned read completed (pin at page 5)');
  });

  it('accepts a return up to 50 ms early', () => {
    expect(judge({ trunc_end_ns: ns(470) }).status).toBe('pass');
    expect(judge({ trunc_end_ns: ns(462) }).status).toBe('fail');
  });

  it('fails when ftruncate failed', () => {
    expect(judge({ trunc_ret: -1, trunc_errno: 1 })).toMatchObject({ status: 'fail', reason: 'ftruncate failed with EPERM (1)' });
  });

  it('errors when the device holds no data, the pin was not held, or the truncate came too late', () => {
    expect(judge({ dev_ok: false })).toMatchObject({
      status: 'error',
      reason: 'the delay device did not read back what was written to it (memory_backed=1 not set?)',
    });
    expect(judge({ read_end_ns: ns(30) }).reason).toBe('delay device did not hold the pin: read took 17.7 ms, expected ~500 ms');
    expect(judge({ read_ret: -1, read_errno: 95 }).reason).toBe('the pinned O_DIRECT read failed: EOPNOTSUPP (95)');
    expect(judge({ trunc_start_ns: ns(480) }).reason).toMatch(/^race started too late: ftruncate started 34.7 ms/);
  });

  it('errors when the second file could not be written over as many pages as the first', () => {
    expect(judge({ g_pages: -1, g_errno: 5 }).reason).toBe('could not write the second file over 16 pages: EIO (5)');
    expect(judge({ g_pages: 9 }).reason).toBe('could not write the second file over 16 pages: only 9 pages fit');
  });

  it('errors on a bad index, missing fields, a setup failure or a non-DAX file', () => {
    expect(judge({}, testCase('pin-reuse', { index: 16, pages: 16, pin: 'iopoll' })).reason)
      .toBe('index outside the file: page 16 of a 16-page file');
    const { g_pages: _g, dev_ok: _d, ...partial } = line();
    expect(pinReuse.judge(tc, output(partial), ENV).reason).toBe('pinreuse result lacks g_pages, dev_ok');
    expect(pinReuse.judge(tc, output({ error: 'control read on the IOPOLL ring failed', errno: 95 }, { exitCode: 3 }), ENV).reason)
      .toBe('pinreuse: control read on the IOPOLL ring failed: EOPNOTSUPP (95)');
    expect(judge({ dax: false })).toMatchObject({ status: 'error', reason: 'file is not DAX' });
  });
});
