import { describe, expect, it } from 'vitest';
import { parseKlogState, splitCaseOutput } from '../../../src/run/case-trailer.js';

describe('splitCaseOutput', () => {
  it("separates the workload's stdout from run-case.sh's trailer", () => {
    const stdout = '{"a":1}\n\nDAXLAB-CASE-TRAILER\nSTATUS 0\nTAINT-BEFORE 0\nTAINT 512\nKMSG from=3 first=3 next=5 lost=0\n6,3,10,-;daxlab: begin x#1\n6,4,20,-;daxlab: end x#1\n';
    const out = splitCaseOutput(stdout);
    expect(out.stdout).toBe('{"a":1}\n');
    expect(out.trailer).toMatchObject({ taintBefore: 0, taint: 512, kmsg: { from: 3, next: 5, lost: 0 } });
    expect(out.trailer?.kmsg?.records.map((r) => r.text)).toEqual(['daxlab: begin x#1', 'daxlab: end x#1']);
  });

  it('takes the taint read before the end marker (TAINT-AFTER) over the one read with the log', () => {
    const stdout = '{}\nDAXLAB-CASE-TRAILER\nSTATUS 0\nTAINT-BEFORE 0\nTAINT-AFTER 0\nTAINT 512\nKMSG from=0 first=-1 next=0 lost=0\n';
    expect(splitCaseOutput(stdout).trailer).toMatchObject({ taintBefore: 0, taint: 0 });
  });

  it('uses the last trailer mark, and has no trailer when run-case.sh printed none', () => {
    expect(splitCaseOutput('x\nno trailer\n').trailer).toBeNull();
    expect(splitCaseOutput('x\nDAXLAB-CASE-TRAILER\ny').trailer).toMatchObject({ kmsg: null, taint: -1, taintBefore: -1 });
    const twice = splitCaseOutput('a\nDAXLAB-CASE-TRAILER\nfake\n\nDAXLAB-CASE-TRAILER\nTAINT 0\nKMSG from=0 first=-1 next=0 lost=0\n');
    expect(twice.stdout).toBe('a\nDAXLAB-CASE-TRAILER\nfake\n');
  });
});

describe('parseKlogState', () => {
  it('reports a failed read or a missing header, never an empty log', () => {
    expect(parseKlogState('TAINT 0\nKMSG-READ-FAILED 3\n')).toEqual({ taint: 0, kmsg: null, kmsgError: 'kmsg-read failed (exit 3)' });
    expect(parseKlogState('TAINT 4\n')).toEqual({ taint: 4, kmsg: null, kmsgError: 'kmsg-read printed no records header' });
    expect(parseKlogState('').taint).toBe(-1);
  });
});
