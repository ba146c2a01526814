import { describe, expect, it } from 'vitest';
import { classifyLostGuest, type LostGuestFacts } from '../../../src/run/lost-guest.js';
import { linesAfter } from '../../../src/run/stacks.js';

const base: LostGuestFacts = { panic: null, exit: null, timeoutSec: null, disconnected: false, stacks: [], message: 'the guest shell channel closed while running: x' };

describe('classifyLostGuest', () => {
  it('a panic is the kernel failing, with the panic line as reason and the block as detail', () => {
    const panic = '[ 1.0] sysrq: Trigger a crash\n[ 1.1] Kernel panic - not syncing: sysrq triggered crash\n[ 1.2] CPU: 0';
    const c = classifyLostGuest({ ...base, panic, exit: { code: 0, signal: null } });
    expect(c).toEqual({ status: 'fail', reason: 'guest kernel crashed: [ 1.1] Kernel panic - not syncing: sysrq triggered crash', detail: panic.split('\n') });
  });

  it('QEMU dying without a panic is the harness failing, naming the signal', () => {
    expect(classifyLostGuest({ ...base, exit: { code: null, signal: 'SIGKILL' } })).toEqual({
      status: 'error',
      reason: 'QEMU died during the case (killed by SIGKILL), not a kernel crash: the guest shell channel closed while running: x',
      detail: [],
    });
    expect(classifyLostGuest({ ...base, exit: { code: 1, signal: null } }).reason).toMatch(/^QEMU died during the case \(exit code 1\)/);
  });

  it('a timeout and a cut connection are errors with the stacks attached', () => {
    const stacks = ['sysrq: Show Blocked State', 'task:fault.sh state:D'];
    expect(classifyLostGuest({ ...base, timeoutSec: 10, stacks })).toEqual({
      status: 'error',
      reason: 'case timed out after 10 s (plan timeouts.case); task stacks (sysrq w, t) attached',
      detail: stacks,
    });
    expect(classifyLostGuest({ ...base, disconnected: true }).reason).toBe(
      'lost the ssh connection to the guest (the guest shell channel closed while running: x); no task stacks could be collected',
    );
  });

  it('anything else keeps its own message', () => {
    expect(classifyLostGuest({ ...base, message: 'null_blk setup failed (exit 1)' })).toEqual({ status: 'error', reason: 'null_blk setup failed (exit 1)', detail: [] });
  });
});

describe('linesAfter', () => {
  it('returns the non-empty lines written after an offset, without carriage returns', () => {
    const before = 'old line\r\n';
    expect(linesAfter(`${before}[ 2.0] sysrq: Show State\r\n\r\n[ 2.1] task:init\r\n`, before.length)).toEqual(['[ 2.0] sysrq: Show State', '[ 2.1] task:init']);
  });
});
