import { describe, expect, it } from 'vitest';
import type { KmsgDump } from '../../../src/results/kmsg.js';
import { KlogLedger } from '../../../src/run/klog-ledger.js';

function dump(from: number, texts: string[], lost = 0): KmsgDump {
  return { from, next: from + lost + texts.length, lost, records: texts.map((text, i) => ({ seq: from + lost + i, level: 6, usec: (from + lost + i) * 1_000_000, text })) };
}
const WARN = 'WARNING: CPU: 0 PID: 1 at fs/x.c:1 f';

describe('KlogLedger', () => {
  it('attributes every record once: boot, the case, after it, between cases, and the end', () => {
    const l = new KlogLedger('serial.log');
    expect(l.takeOutside(dump(0, ['Linux version', WARN]), 'boot')).toEqual([
      { phase: 'boot', serialLog: 'serial.log', lines: ['[    1.000000] WARNING: CPU: 0 PID: 1 at fs/x.c:1 f'] },
    ]);
    expect(l.cursor).toBe(2);
    const a = l.takeCase(dump(2, ['mkfs line', 'daxlab: begin a#1', WARN, 'daxlab: end a#1', WARN]), 'a#1');
    expect(a.lines).toEqual(['[    4.000000] WARNING: CPU: 0 PID: 1 at fs/x.c:1 f']);
    expect(a.marked).toBe(true);
    // After a, before any next case: held until the next case begins, so it can say between which two.
    expect(a.outside).toEqual([]);
    const b = l.takeCase(dump(7, [WARN, 'daxlab: begin b#1', 'daxlab: end b#1']), 'b#1');
    expect(b.outside).toEqual([{
      phase: 'between', after: 'a#1', before: 'b#1', serialLog: 'serial.log',
      lines: ['[    6.000000] WARNING: CPU: 0 PID: 1 at fs/x.c:1 f', '[    7.000000] WARNING: CPU: 0 PID: 1 at fs/x.c:1 f'],
    }]);
    expect(l.takeOutside(dump(10, [WARN]), 'end')).toMatchObject([{ phase: 'end', after: 'b#1' }]);
    expect(l.cursor).toBe(11);
  });

  it('reports records lost outside any case, and counts those lost before a case', () => {
    const l = new KlogLedger('s');
    expect(l.takeOutside(dump(0, ['x'], 5), 'boot')).toEqual([{ phase: 'boot', serialLog: 's', lines: [], lost: 5 }]);
    const c = l.takeCase(dump(6, ['daxlab: begin c#1', 'daxlab: end c#1'], 3), 'c#1');
    expect(c.lost).toBe(3);
    expect(l.cursor).toBe(11);
  });

  it('says a case is not marked when its markers are missing', () => {
    const l = new KlogLedger('s');
    expect(l.takeCase(dump(0, []), 'c#1')).toEqual({ lines: [], marked: false, lost: 0, ambiguousWith: [], outside: [] });
  });
});

describe('KlogLedger with cases running at once', () => {
  it('blames a failing line on the one case whose window holds it, even while others run', () => {
    const l = new KlogLedger('s');
    // a and b overlap; the WARNING comes after b ended, inside a's window only.
    const first = l.takeCase(dump(0, ['daxlab: begin a#1', 'daxlab: begin b#1', 'daxlab: end b#1']), 'b#1');
    expect(first).toMatchObject({ marked: true, ambiguousWith: [], outside: [] });
    const second = l.takeCase(dump(0, ['daxlab: begin a#1', 'daxlab: begin b#1', 'daxlab: end b#1', WARN, 'daxlab: end a#1']), 'a#1');
    expect(second).toMatchObject({ marked: true, ambiguousWith: [], lines: ['[    3.000000] WARNING: CPU: 0 PID: 1 at fs/x.c:1 f'] });
  });

  it('reports a failing line inside two windows as ambiguous, to whichever of them ends first and to the other', () => {
    const l = new KlogLedger('s');
    const a = l.takeCase(dump(0, ['daxlab: begin a#1', 'daxlab: begin b#1', WARN, 'daxlab: end a#1']), 'a#1');
    expect(a).toMatchObject({ ambiguousWith: ['b#1'], lines: [] });
    const b = l.takeCase(dump(4, ['x', 'daxlab: end b#1']), 'b#1');
    expect(b).toMatchObject({ ambiguousWith: ['a#1'], lines: ['[    4.000000] x'] });
  });

  it('decides a line after an ended case only once no running case can claim it', () => {
    const l = new KlogLedger('s');
    // c is still running when a ends: the WARNING after a's end lies in c's window, not outside.
    const a = l.takeCase(dump(0, ['daxlab: begin c#1', 'daxlab: begin a#1', 'daxlab: end a#1', WARN]), 'a#1');
    expect(a.outside).toEqual([]);
    const c = l.takeCase(dump(4, ['daxlab: end c#1', WARN]), 'c#1');
    expect(c.lines).toEqual(['[    3.000000] WARNING: CPU: 0 PID: 1 at fs/x.c:1 f']);
    expect(c.ambiguousWith).toEqual([]);
    expect(c.outside).toEqual([]);
    expect(l.takeOutside(dump(6, []), 'end')).toMatchObject([{ phase: 'end', after: 'c#1', lines: ['[    5.000000] WARNING: CPU: 0 PID: 1 at fs/x.c:1 f'] }]);
  });

  it('keeps every record once when reads overlap, and counts only the records no read got', () => {
    const l = new KlogLedger('s');
    l.takeCase(dump(0, ['daxlab: begin a#1', 'daxlab: end a#1']), 'a#1');
    // A read from an older cursor sees records already taken: not lost, not counted twice.
    const again = l.takeCase(dump(0, ['daxlab: begin a#1', 'daxlab: end a#1', 'daxlab: begin b#1', 'daxlab: end b#1']), 'b#1');
    expect(again).toMatchObject({ marked: true, lost: 0 });
    expect(l.cursor).toBe(4);
    const gap = l.takeCase(dump(10, ['daxlab: begin z#1', 'daxlab: end z#1']), 'z#1');
    expect(gap.lost).toBe(6);
  });
});

describe('KlogLedger: lines seen while cases overlapped', () => {
  it('reports them once, as an overlap finding naming the cases, to whichever case ends first', () => {
    const l = new KlogLedger('s');
    const a = l.takeCase(dump(0, ['daxlab: begin a#1', 'daxlab: begin b#1', WARN, 'daxlab: end a#1']), 'a#1');
    expect(a.outside).toEqual([{ phase: 'overlap', cases: ['a#1', 'b#1'], serialLog: 's', lines: ['[    2.000000] WARNING: CPU: 0 PID: 1 at fs/x.c:1 f'] }]);
    const b = l.takeCase(dump(0, ['daxlab: begin a#1', 'daxlab: begin b#1', WARN, 'daxlab: end a#1', 'daxlab: end b#1']), 'b#1');
    expect(b.ambiguousWith).toEqual(['a#1']);
    expect(b.outside).toEqual([]);
    expect(l.overlapping('a#1')).toEqual(['b#1']);
  });
});
