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
      reason:
        'QEMU died during the case (killed by SIGKILL), not a kernel crash: the guest shell channel closed while running: x; ' +
        'console last said nothing',
      detail: ['serial console (last 0 lines):'],
    });
    expect(classifyLostGuest({ ...base, exit: { code: 1, signal: null } }).reason).toMatch(/^QEMU died during the case \(exit code 1\)/);
  });

  it('a timeout and a cut connection are errors with the stacks attached', () => {
    const stacks = ['sysrq: Show Blocked State', 'task:fault.sh state:D'];
    expect(classifyLostGuest({ ...base, timeoutSec: 10, stacks })).toEqual({
      status: 'error',
      reason: 'case timed out after 10 s (plan timeouts.case): console last said nothing; task stacks (sysrq w, t) attached',
      detail: ['serial console (last 0 lines):', ...stacks],
    });
    expect(classifyLostGuest({ ...base, disconnected: true }).reason).toBe(
      'lost the ssh connection to the guest (the guest shell channel closed while running: x): console last said nothing; no task stacks could be collected',
    );
  });

  // What the 6.1 report lacked: which command hung, for how long, and what it and the console said last.
  const hung: LostGuestFacts = {
    ...base,
    timeoutSec: 120,
    command: {
      argv: ['/run/bin/run-case.sh', 'ext4/pin-race/index=0,pages=16,pin=pread,race=truncate#1', '/run/bin/pinrace', '--file', "/mnt/it's"],
      durationMs: 120_034,
      stdout: '',
      stderr: 'pinrace: preparing\npinrace: racing ftruncate\n',
    },
    console: ['[  12.1] daxlab: begin ext4/pin-race/index=0,pages=16,pin=pread,race=truncate#1', '', '[  13.0] null_blk: rq 0000 timed out  '],
    stacks: ['sysrq: Show Blocked State'],
  };

  it('a timeout names the guest command (quoted argv), how long it ran, its last output and the last console line', () => {
    const c = classifyLostGuest(hung);
    expect(c.status).toBe('error');
    expect(c.reason).toBe(
      'case timed out after 120 s (plan timeouts.case): the guest was running ' +
        "`/run/bin/run-case.sh 'ext4/pin-race/index=0,pages=16,pin=pread,race=truncate#1' /run/bin/pinrace --file '/mnt/it'\\''s'` " +
        'for 120.0 s; it last printed nothing on stdout and "pinrace: racing ftruncate" on stderr; ' +
        'console last said "[  13.0] null_blk: rq 0000 timed out"; task stacks (sysrq w, t) attached',
    );
    expect(c.detail).toEqual([
      "guest command: /run/bin/run-case.sh 'ext4/pin-race/index=0,pages=16,pin=pread,race=truncate#1' /run/bin/pinrace --file '/mnt/it'\\''s'",
      'ran for: 120.0 s',
      'stdout (last 0 of 0 lines):',
      'stderr (last 2 of 2 lines):',
      '  pinrace: preparing',
      '  pinrace: racing ftruncate',
      'serial console (last 2 lines):',
      '  [  12.1] daxlab: begin ext4/pin-race/index=0,pages=16,pin=pread,race=truncate#1',
      '  [  13.0] null_blk: rq 0000 timed out  ',
      'sysrq: Show Blocked State',
    ]);
  });

  it('keeps only the tails: 20 lines per stream, 30 of the console, and cuts a long last line in the reason', () => {
    const many = Array.from({ length: 50 }, (_, i) => `line ${i}`);
    const c = classifyLostGuest({
      ...hung,
      command: { ...hung.command!, stdout: `${many.join('\n')}\n${'x'.repeat(400)}` },
      console: many.map((l) => `console ${l}`),
    });
    expect(c.reason).toContain(`it last printed "${'x'.repeat(160)}..." on stdout`);
    expect(c.detail).toContain('stdout (last 20 of 51 lines):');
    expect(c.detail).toContain('  line 31');
    expect(c.detail).not.toContain('  line 30');
    expect(c.detail).toContain('serial console (last 30 lines):');
    expect(c.detail.filter((l) => /^ {2}line \d+$/.test(l))).toHaveLength(19);
    expect(c.detail.filter((l) => /^ {2}console line \d+$/.test(l))).toEqual(many.slice(20).map((l) => `  console ${l}`));
  });

  it('a cut connection during a command says which command, as does a lost guest between classifications', () => {
    const c = classifyLostGuest({ ...hung, timeoutSec: null, disconnected: true, message: 'the ssh connection closed while running: x' });
    expect(c.reason).toMatch(/^lost the ssh connection to the guest \(the ssh connection closed while running: x\): the guest was running `\/run\/bin\/run-case.sh /);
    expect(classifyLostGuest({ ...hung, timeoutSec: null, message: 'boom' }).reason).toMatch(/^boom: the guest was running `/);
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
