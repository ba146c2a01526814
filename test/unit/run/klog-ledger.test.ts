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
    expect(a.outside).toEqual([{ phase: 'between', after: 'a#1', serialLog: 'serial.log', lines: ['[    6.000000] WARNING: CPU: 0 PID: 1 at fs/x.c:1 f'] }]);
    const b = l.takeCase(dump(7, [WARN, 'daxlab: begin b#1', 'daxlab: end b#1']), 'b#1');
    expect(b.outside).toEqual([{ phase: 'between', after: 'a#1', before: 'b#1', serialLog: 'serial.log', lines: ['[    7.000000] WARNING: CPU: 0 PID: 1 at fs/x.c:1 f'] }]);
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
    expect(l.takeCase(dump(0, []), 'c#1')).toEqual({ lines: [], marked: false, lost: 0, outside: [] });
  });
});
