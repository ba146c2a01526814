import { describe, expect, it } from 'vitest';
import { fioSection, parseFioJob, parseLatLog } from '../../../src/workloads/fio-output.js';
import { fioRace } from '../../../src/workloads/fio-race.js';
import { fioReport, latLine, section } from './fio-fixtures.js';
import { ENV, output, testCase, waitSamples } from './fixtures.js';

const tc = testCase('fio-race', { index: 5, reads: 4 });

/** fiotrunc's line: a read seen at 10000 ms, truncate 10100.5 -> 10501.3 ms (CLOCK_MONOTONIC). */
function trunc(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    inflight_seen_ns: 10_000_000_000, trunc_start_ns: 10_100_500_000, trunc_end_ns: 10_501_300_000,
    trunc_ret: 0, trunc_errno: 0, size_after: 0, dax: true,
    trunc_wait: waitSamples(10_100_500_000, Number(over.trunc_end_ns ?? 10_501_300_000)), ...over,
  };
}
/** The script's stdout; by default read 1 runs 9998 -> 10500 ms, then a read after the truncate fails (EFAULT). */
function stdout(o: { t?: unknown; report?: string | null; lat?: string | null } = {}): string {
  const report = o.report === undefined ? fioReport({ error: 14, reads: 1 }) : o.report;
  const lat = o.lat === undefined ? latLine(10500, 502_000_000) : o.lat;
  return (report === null ? '' : section('JSON', 'race', report)) + (lat === null ? '' : section('LAT', 'race', lat)) +
    `${JSON.stringify({ fio_exit: 1, trunc_exit: 0, trunc: o.t === undefined ? trunc() : o.t })}\n`;
}
const judge = (o: Parameters<typeof stdout>[0] = {}) => fioRace.judge(tc, output(stdout(o), { stderr: 'fio: io_u error' }), ENV);

describe('fio-race', () => {
  it('runs the guest script with the bin dir, device, DAX file, index, reads and lead', () => {
    const argv = fioRace.command(tc, ENV);
    expect(argv[0]).toBe('/var/cache/daxlab/bin/0123456789abcdef/fio-race.sh');
    expect(argv.slice(1)).toEqual([ENV.binDir, '/dev/nullb0', '/mnt/dax/fiorace-ext4_fio-race_index_5_reads_4_0', '5', '4', '100']);
    expect(fioRace.inDefaultPlan).toBe(false);
  });

  it('passes when the truncate returned after the read in flight completed', () => {
    const v = judge();
    expect(v.status).toBe('pass');
    // Judged against the device's completion (submission 9998 ms + 500 ms), not fio's 1 ms end stamp.
    expect(v.reason).toBe("truncate waited for fio's pinned read (returned 3.3 ms after the read completed; seen asleep in the " +
      'layout-break wait for ~398.8 ms); 399.5 ms of the pin remained when it started');
    expect(v.timings).toEqual({
      pinMs: 500, clatMeanMs: 506.4, clatMaxMs: 511.2, readMs: 502, truncMs: 400.8, pinRemainingMs: 399.5, truncAfterReadMs: 1.3,
      returnAfterPinMs: 3.3, waitSeenMs: 398.8,
    });
    expect(v.details).toEqual({ index: 5, fioReads: 1, fioError: 14, sizeAfter: 0, readOffset: 0, wait: 'S ext4_break_layouts x198, R 0 x2' });
  });

  it('fails when the truncate never woke after the reads and the watchdog interrupted it', () => {
    const v = judge({ t: trunc({ trunc_end_ns: 12_502_000_000, trunc_ret: -1, trunc_errno: 4, trunc_watchdog_ms: 2000 }) });
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/^truncate never returned after fio's reads completed: still waiting 2000 ms later/);
    expect(v.details).toMatchObject({ watchdogMs: 2000 });
  });

  it('passes within the tolerance, and picks the read in flight among several', () => {
    const lat = [latLine(9998, 501_000_000), latLine(10520, 521_000_000, 4096), latLine(11022, 501_000_000, 8192)].join('\n');
    const v = judge({ lat, t: trunc({ trunc_end_ns: 10_480_000_000 }) });
    expect(v.reason).toBe("truncate waited for fio's pinned read (returned 19 ms before the read was seen to complete, " +
      'within the 50 ms tolerance; seen asleep in the layout-break wait for ~377.5 ms); 419.5 ms of the pin remained when it started');
    expect(v.details).toMatchObject({ readOffset: 4096 });
  });

  it('fails when the truncate returned while the read was still in flight', () => {
    const v = judge({ t: trunc({ trunc_end_ns: 10_107_000_000 }) });
    expect(v).toMatchObject({
      status: 'fail',
      reason: "truncate returned 391 ms before fio's pinned read completed (399.5 ms of the pin remained when it " +
        'started; fio buffer at page 5)',
    });
  });

  it('fails when the truncate failed', () => {
    expect(judge({ t: trunc({ trunc_ret: -1, trunc_errno: 16 }) })).toMatchObject({ status: 'fail', reason: 'truncate failed with EBUSY (16)' });
  });

  it('errors when fiotrunc gave no result or an error, or the file is not DAX', () => {
    expect(judge({ t: null }).reason).toBe('fiotrunc printed no result; stderr: fio: io_u error');
    expect(judge({ t: { error: 'fio exited before a read was in flight', errno: 0 } }).reason)
      .toBe('fiotrunc: fio exited before a read was in flight; stderr: fio: io_u error');
    expect(judge({ t: trunc({ dax: false }) }).reason).toBe('file is not DAX; stderr: fio: io_u error');
    const { size_after: _s, ...partial } = trunc();
    expect(judge({ t: partial }).reason).toMatch(/^fiotrunc result lacks size_after/);
  });

  it("errors when fio's report or latency log is missing, or fio failed otherwise", () => {
    expect(judge({ report: null }).reason).toMatch(/^fio printed no JSON report/);
    expect(judge({ lat: null }).reason).toMatch(/^fio's latency log is missing or does not parse/);
    expect(judge({ lat: 'garbage' }).reason).toMatch(/^fio's latency log is missing/);
    expect(judge({ report: fioReport({ error: 5, reads: 1 }) }).reason).toMatch(/^fio failed with EIO \(5\)/);
    expect(judge({ report: fioReport({ error: 0, reads: 4 }) }).status).toBe('pass');
  });

  it('errors when no read was in flight, the pin was short, or the truncate started too late', () => {
    expect(judge({ lat: '' }).reason).toMatch(/^no fio read was in flight when the truncate started \(0 reads logged\)/);
    expect(judge({ lat: latLine(10200, 150_000_000) }).reason)
      .toMatch(/^delay device did not hold the pin: read took 150 ms, expected ~500 ms/);
    expect(judge({ t: trunc({ trunc_start_ns: 10_470_000_000, trunc_end_ns: 10_501_000_000 }) }).reason)
      .toMatch(/^race started too late: truncate started 30 ms before the read completed/);
  });
});

describe('fio output parsing', () => {
  it('finds a named section between its markers', () => {
    const out = `x\n${section('JSON', 'a', '{"a":1}')}${section('JSON', 'b', '{"b":2}')}`;
    expect(fioSection(out, 'JSON', 'b')).toBe('{"b":2}');
    expect(fioSection(out, 'LAT', 'a')).toBeNull();
    expect(fioSection('DAXLAB-FIO-JSON-BEGIN a\n{}', 'JSON', 'a')).toBeNull();
  });

  it("reads the first job of fio's JSON, skipping a preamble", () => {
    expect(parseFioJob(fioReport({ error: 95, reads: 0 }))).toEqual({
      error: 95, reads: 0, readBytes: 0, clatMeanMs: 506.4, clatMaxMs: 511.2,
    });
    expect(parseFioJob(null)).toBeNull();
    expect(parseFioJob('no json')).toBeNull();
    expect(parseFioJob('{"jobs":[{"error":0}]}')).toBeNull();
  });

  it('reads the latency log: reads only, start = end - latency', () => {
    expect(parseLatLog([latLine(10500, 502_040_000), latLine(10501, 1_000_000, 0, 1), '10502, 3, 0, 4096, 8192, 0'].join('\n')))
      .toEqual([
        { endMs: 10500, latMs: 502, startMs: 9998, bytes: 4096, offset: 0 },
        { endMs: 10502, latMs: 0, startMs: 10502, bytes: 4096, offset: 8192 },
      ]);
    expect(parseLatLog('1, 2, 3')).toBeNull();
    expect(parseLatLog(null)).toBeNull();
    expect(parseLatLog('')).toEqual([]);
  });
});
