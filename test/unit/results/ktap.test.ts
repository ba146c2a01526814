import { describe, expect, it } from 'vitest';
import { ktapProblem, parseKtap } from '../../../src/results/ktap.js';

// What tools/testing/selftests/mm/gup_test (6.12) prints for -L on an fsdax mapping.
const GUP_REFUSED = `TAP version 13
1..1
# PIN_LONGTERM_BENCHMARK: Time: get:3 put:0 us, truncated (size: 0)
ok 1 ioctl status 0
# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0
`;

describe('parseKtap', () => {
  it('reads version, plan, tests and diagnostics of kselftest output', () => {
    const d = parseKtap(GUP_REFUSED);
    expect(d.version).toBe('TAP version 13');
    expect(d.planned).toBe(1);
    expect(d.tests).toEqual([{ number: 1, ok: true, description: 'ioctl status 0' }]);
    expect(d.diagnostics[0]).toBe('PIN_LONGTERM_BENCHMARK: Time: get:3 put:0 us, truncated (size: 0)');
    expect(ktapProblem(d)).toBeNull();
  });

  it('reads not ok, SKIP and XFAIL directives and KTAP headers', () => {
    const d = parseKtap('KTAP version 1\n1..3\nnot ok 1 - first\nok 2 second # SKIP no gup_test\nnot ok 3 # xfail known\n');
    expect(d.version).toBe('KTAP version 1');
    expect(d.tests.map((t) => [t.number, t.ok, t.description, t.directive, t.directiveReason])).toEqual([
      [1, false, 'first', undefined, undefined],
      [2, true, 'second', 'SKIP', 'no gup_test'],
      [3, false, '', 'XFAIL', 'known'],
    ]);
  });

  it('names what is wrong with an incomplete document', () => {
    expect(ktapProblem(parseKtap(''))).toBe('no KTAP/TAP version line');
    expect(ktapProblem(parseKtap('TAP version 13\nok 1 x\n'))).toBe('no test plan line (1..N)');
    expect(ktapProblem(parseKtap('TAP version 13\n1..2\nok 1 x\n'))).toBe('planned 2 tests, saw 1');
    const bail = parseKtap('TAP version 13\n1..1\nBail out! no debugfs\n');
    expect(bail.bailedOut).toBe(true);
    expect(ktapProblem(bail)).toBe('bailed out: Bail out! no debugfs');
  });

  it('keeps stray output apart and does not treat indented subtests as top-level', () => {
    const d = parseKtap('TAP version 13\n1..1\nsome noise\n    ok 1 sub\nok 1 top\n');
    expect(d.tests).toHaveLength(1);
    expect(d.other).toEqual(['some noise', '    ok 1 sub']);
  });
});
