import { describe, expect, it } from 'vitest';
import { cutAroundCase, formatRecord, parseKmsgDump, type KmsgRecord } from '../../../src/results/kmsg.js';

const ID = 'ext4/pin-race/index=5,pin=pread,race=truncate#1';

const rec = (seq: number, text: string): KmsgRecord => ({ seq, level: 6, usec: seq * 1000, text });
const texts = (rs: KmsgRecord[]) => rs.map((r) => r.text);

describe('parseKmsgDump', () => {
  it("reads kmsg-read's header and records, levels without the facility, escapes undone", () => {
    const out = [
      'KMSG from=40 first=42 next=45 lost=2',
      '4,42,1234567,-;WARNING: CPU: 0 PID: 1 at fs/dax.c:1 f',
      '14,43,1234600,-;daxlab: begin a#1',
      '6,44,1300000,c;tab\\x09and \\x01 bell',
      'not a record',
    ].join('\n');
    expect(parseKmsgDump(out)).toEqual({
      from: 40, next: 45, lost: 2,
      records: [
        { seq: 42, level: 4, usec: 1234567, text: 'WARNING: CPU: 0 PID: 1 at fs/dax.c:1 f' },
        { seq: 43, level: 6, usec: 1234600, text: 'daxlab: begin a#1' },
        { seq: 44, level: 6, usec: 1300000, text: 'tab\tand \\x01 bell' },
      ],
    });
  });

  it('is null without the header (kmsg-read did not run)', () => {
    expect(parseKmsgDump('4,42,1,-;x')).toBeNull();
  });
});

describe('formatRecord', () => {
  it('prints like dmesg', () => {
    expect(formatRecord({ seq: 1, level: 4, usec: 12345678, text: 'hello' })).toBe('[   12.345678] hello');
    expect(formatRecord({ seq: 1, level: 4, usec: 5, text: 'x' })).toBe('[    0.000005] x');
  });
});

describe('cutAroundCase', () => {
  it('splits records before, between and after the markers', () => {
    const rs = [rec(1, 'boot'), rec(2, `daxlab: begin ${ID}`), rec(3, 'inside'), rec(4, `daxlab: end ${ID}`), rec(5, 'after')];
    const cut = cutAroundCase(rs, ID);
    expect([texts(cut.before), texts(cut.inside), texts(cut.after), cut.marked]).toEqual([['boot'], ['inside'], ['after'], true]);
  });

  it('uses the last begin marker when a case id was run twice', () => {
    const rs = [`daxlab: begin ${ID}`, 'old', `daxlab: end ${ID}`, `daxlab: begin ${ID}`, 'new', `daxlab: end ${ID}`].map((t, i) => rec(i, t));
    const cut = cutAroundCase(rs, ID);
    expect(texts(cut.inside)).toEqual(['new']);
    expect(texts(cut.before)).toEqual([`daxlab: begin ${ID}`, 'old', `daxlab: end ${ID}`]);
  });

  it('runs to the end when the end marker is missing, and says the case is not marked', () => {
    const cut = cutAroundCase([rec(1, `daxlab: begin ${ID}`), rec(2, 'x')], ID);
    expect([texts(cut.inside), cut.marked]).toEqual([['x'], false]);
  });

  it('puts everything before when the begin marker is absent', () => {
    const cut = cutAroundCase([rec(1, 'boot'), rec(2, 'daxlab: begin other#1')], ID);
    expect([texts(cut.before), texts(cut.inside), cut.marked]).toEqual([['boot', 'daxlab: begin other#1'], [], false]);
  });

  it('does not confuse ids that are prefixes of each other', () => {
    const rs = ['daxlab: begin a/b#1', 'one', 'daxlab: end a/b#1', 'daxlab: begin a/b#10', 'ten', 'daxlab: end a/b#10'].map((t, i) => rec(i, t));
    expect(texts(cutAroundCase(rs, 'a/b#1').inside)).toEqual(['one']);
    expect(texts(cutAroundCase(rs, 'a/b#10').inside)).toEqual(['ten']);
  });
});
