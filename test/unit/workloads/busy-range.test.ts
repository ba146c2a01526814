import { describe, expect, it } from 'vitest';
import { probeSkipReason } from '../../../src/kernel/probe-modules.js';
import { busyRange } from '../../../src/workloads/busy-range.js';
import { busyRanges, entryPagesFrom, expectBusy, rangeArg, type ByteRange } from '../../../src/workloads/busy-range-queries.js';
import { ENV, output, testCase } from './fixtures.js';

const P = 4096;
const tc = testCase('busy-range', { index: 5, pages: 1024 });

type Answer = [number, number, number, number, Array<[number, number]>];

/** A kernel's answers: found when the scan reaches the page (per `reach`), the scanned pages unmapped. */
function answers(index: number, pages: number, reach: (r: ByteRange) => [number, number] | null, busy: boolean): Answer[] {
  const ranges: Array<ByteRange | 'whole'> = [...busyRanges(index, pages), 'whole'];
  return ranges.map((r) => {
    const s = r === 'whole' ? ([0, pages - 1] as [number, number]) : reach(r);
    const found = busy && s !== null && s[0] <= index && index <= s[1];
    return [found ? 1 : 0, found ? 777 : 0, found ? index : -1, 1, s ? [s] : []];
  });
}

/** Hand-written contract for PTE entries: pages start>>12 .. end>>12 (inclusive), clamped to the file. */
function pteScan(pages: number) {
  return (r: ByteRange): [number, number] | null => {
    const a = Math.floor(r.start / P);
    const b = r.end === 'max' ? pages - 1 : Math.min(Math.floor(r.end / P), pages - 1);
    return a <= b ? [a, b] : null;
  };
}

function line(index: number, pages: number, reach = pteScan(pages), over: Record<string, unknown> = {}) {
  return {
    dax: true, pages, index, map_faults: pages * 2, pin_pfn: 777,
    before: answers(index, pages, reach, false),
    pinned: answers(index, pages, reach, true),
    released: answers(index, pages, reach, false),
    ...over,
  };
}

describe('busy-range queries', () => {
  it('asks every boundary around the page: alone, first and last byte, just outside on both sides, open ends, 2 MiB windows', () => {
    const r = busyRanges(5, 1024).map(rangeArg);
    const b = 5 * P;
    for (const want of [`0:max`, `${b}:${b}`, `${b + P - 1}:${b + P - 1}`, `0:${b - 1}`, `0:${b}`, `${b + P}:max`, `${b + P - 1}:max`, `${b - 1}:${b}`, `0:${2 * 1024 * 1024 - 1}`, `${2 * 1024 * 1024}:${4 * 1024 * 1024 - 1}`]) {
      expect(r).toContain(want);
    }
    expect(new Set(r).size).toBe(r.length);
  });

  it('drops the ranges that would start below byte 0 for page 0', () => {
    const r = busyRanges(0, 16);
    expect(r.every((x) => x.start >= 0)).toBe(true);
    expect(r.map(rangeArg)).toContain('4096:max');
  });

  it('says busy exactly when the inclusive range reaches the page (PTE) or its 2 MiB entry (PMD)', () => {
    const b = 5 * P;
    expect(expectBusy({ start: 0, end: b - 1 }, 5, 1024, 1)).toBe(false);
    expect(expectBusy({ start: 0, end: b }, 5, 1024, 1)).toBe(true);
    expect(expectBusy({ start: b + P - 1, end: 'max' }, 5, 1024, 1)).toBe(true);
    expect(expectBusy({ start: b + P, end: 'max' }, 5, 1024, 1)).toBe(false);
    expect(expectBusy({ start: b + P, end: 'max' }, 5, 1024, 512)).toBe(true);
    expect(expectBusy({ start: 512 * P, end: 'max' }, 5, 1024, 512)).toBe(false);
    expect(expectBusy({ start: 0, end: 512 * P - 1 }, 600, 1024, 512)).toBe(false);
    expect(expectBusy({ start: 0, end: 512 * P }, 600, 1024, 512)).toBe(true);
  });

  it('tells PMD from PTE mappings by faults per page', () => {
    expect(entryPagesFrom(4, 1024)).toBe(512);
    expect(entryPagesFrom(2048, 1024)).toBe(1);
    expect(entryPagesFrom(1, 16)).toBe(1);
    expect(entryPagesFrom(-1, 1024)).toBe(1);
  });
});

describe('busy-range', () => {
  it('runs busyrange with the module and every range, as an argv', () => {
    const argv = busyRange.command(tc, ENV);
    expect(argv.slice(0, 9)).toEqual([
      `${ENV.binDir}/busyrange`, '--file', '/mnt/dax/busyrange-ext4_busy-range_index_5_pages_1024_0',
      '--pages', '1024', '--index', '5', '--module', `${ENV.binDir}/daxlab_busy.ko`,
    ]);
    expect(argv.filter((a) => a === '--range')).toHaveLength(busyRanges(5, 1024).length);
  });

  it('passes a kernel that follows the contract', () => {
    const v = busyRange.judge(tc, output(line(5, 1024)), ENV);
    expect(v.status, v.reason).toBe('pass');
    expect(v.details?.entry).toBe('4 KiB (PTE)');
  });

  it('fails a scan that stops one page short of an inclusive end', () => {
    const short = (r: ByteRange): [number, number] | null => {
      const s = pteScan(1024)(r);
      if (!s || r.end === 'max') return s;
      return s[1] - 1 >= s[0] ? [s[0], s[1] - 1] : null;
    };
    // The scan misses its last page, but unmaps the whole range (as the kill patch does).
    const l = line(5, 1024);
    const pinned = answers(5, 1024, short, true).map((a, k) => [a[0], a[1], a[2], a[3], (l.pinned[k]!)[4]]);
    const v = busyRange.judge(tc, output({ ...l, pinned }), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/^pinned: range \[20480, 20480\] found no busy page though page 5 is referenced inside it/);
  });

  it("fails the seed's bug: the whole-file wrapper scans page 0 only", () => {
    const l = line(5, 1024);
    const n = l.pinned.length;
    const seeded = (a: Answer[]) => a.map((x, k) => (k === n - 1 ? [0, 0, -1, 1, [[0, 0]]] : x));
    const v = busyRange.judge(tc, output({ ...l, pinned: seeded(l.pinned) }), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/^pinned: dax_layout_busy_page\(\) \(whole file\) found no busy page though page 5 is referenced inside it/);
  });

  it('fails a page reported busy with no reference, or a wrong pfn', () => {
    const l = line(5, 1024);
    const before = l.before.map((a, k) => (k === 0 ? [1, 777, 5, 1, a[4]] : a));
    expect(busyRange.judge(tc, output({ ...l, before }), ENV).reason).toMatch(/before: range \[0, LLONG_MAX\] reported a busy page \(pfn 777\) though no page is referenced yet/);
    const pinned = l.pinned.map((a) => (a[0] === 1 ? [1, 778, 5, 1, a[4]] : a));
    expect(busyRange.judge(tc, output({ ...l, pinned }), ENV).reason).toMatch(/returned pfn 778, not the referenced page's pfn 777/);
  });

  it('judges a PMD-mapped file by whole 2 MiB entries', () => {
    const pmd = (r: ByteRange): [number, number] | null => {
      const s = pteScan(1024)(r);
      return s ? [Math.floor(s[0] / 512) * 512, Math.floor(s[1] / 512) * 512 + 511] : null;
    };
    const v = busyRange.judge(tc, output(line(5, 1024, pmd, { map_faults: 4 })), ENV);
    expect(v.status, v.reason).toBe('pass');
    expect(v.details?.entry).toBe('2 MiB (PMD)');
    // The same answers read as a PTE mapping are wrong: [24576, max] reaches page 5's PMD only.
    expect(busyRange.judge(tc, output(line(5, 1024, pmd)), ENV).status).toBe('fail');
  });

  it('is an error when the file was not mapped, or answers are missing; a skip passes through', () => {
    const l = line(5, 1024);
    const unmapped = l.pinned.map((a) => [a[0], a[1], a[2], 0, a[4]]);
    expect(busyRange.judge(tc, output({ ...l, pinned: unmapped }), ENV).status).toBe('error');
    expect(busyRange.judge(tc, output({ ...l, released: [] }), ENV).reason).toMatch(/no \d+ answers for phase "released"/);
    expect(busyRange.judge(tc, output({ skip: 'no module' }), ENV).status).toBe('skip');
  });

  it('builds the probe module only for a kernel with modules, fsdax and the range scan', () => {
    expect(probeSkipReason('CONFIG_MODULES=y\nCONFIG_FS_DAX=y\n', true)).toBeNull();
    expect(probeSkipReason('# CONFIG_MODULES is not set\nCONFIG_FS_DAX=y\n', true)).toMatch(/CONFIG_MODULES/);
    expect(probeSkipReason('CONFIG_MODULES=y\n', true)).toMatch(/CONFIG_FS_DAX/);
    expect(probeSkipReason('CONFIG_MODULES=y\nCONFIG_FS_DAX=y\n', false)).toMatch(/v5\.10/);
  });
});
