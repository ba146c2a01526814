import { describe, it, expect } from 'vitest';
import {
  applyKernelLog,
  classifyKernelLine,
  klogMessage,
  scanKernelLog,
  shortenKernelLine,
} from '../../../src/results/klog.js';
import type { Verdict } from '../../../src/results/types.js';
import { BENIGN, HUNG_TASK, KASAN_UAF, LOCKDEP, WARN_612 } from './fixtures.js';

describe('scanKernelLog', () => {
  it('finds the 6.12 DAX WARNING and not its cut-here or trace lines', () => {
    const scan = scanKernelLog(WARN_612);
    expect(scan.matches).toEqual([
      '[   42.118921] WARNING: CPU: 1 PID: 215 at fs/dax.c:397 dax_disassociate_entry.constprop.0+0x5d/0x70',
    ]);
    expect(scan.kinds).toEqual(['warning']);
  });

  it('classifies a KASAN use-after-free report once', () => {
    expect(scanKernelLog(KASAN_UAF)).toEqual({
      matches: ['[   88.412780] BUG: KASAN: slab-use-after-free in dax_iomap_rw+0x3c2/0x5e0'],
      kinds: ['kasan'],
    });
  });

  it('classifies a hung task and ignores "INFO: lockdep is turned off."', () => {
    expect(scanKernelLog(HUNG_TASK)).toEqual({
      matches: ['[  245.331020] INFO: task truncate:123 blocked for more than 20 seconds.'],
      kinds: ['hung-task'],
    });
  });

  it('classifies a lockdep splat as lockdep, not warning', () => {
    expect(scanKernelLog(LOCKDEP)).toEqual({
      matches: ['[   30.100001] WARNING: possible circular locking dependency detected'],
      kinds: ['lockdep'],
    });
  });

  it('finds nothing in benign boot lines and user text', () => {
    expect(scanKernelLog(BENIGN)).toEqual({ matches: [], kinds: [] });
  });

  it('keeps log order across several reports', () => {
    const scan = scanKernelLog(`${LOCKDEP}\n${WARN_612}\n${HUNG_TASK}`);
    expect(scan.kinds).toEqual(['lockdep', 'warning', 'hung-task']);
  });

  it.each([
    ['WARNING: CPU: 0 PID: 1 at fs/dax.c:398 dax_disassociate_entry+0x4f/0x60', 'warning'],
    ['WARNING: at mm/gup.c:123 try_grab_folio+0x1/0x2', 'warning'],
    ['BUG: KASAN: use-after-free in dax_layout_busy_page_range+0x12/0x340', 'kasan'],
    ['KASAN: null-ptr-deref in range [0x0000000000000008-0x000000000000000f]', 'kasan'],
    ['BUG: sleeping function called from invalid context at mm/memory.c:6307', 'bug'],
    ['BUG: soft lockup - CPU#1 stuck for 26s! [pin-race:301]', 'soft-lockup'],
    ['watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [pin-race:301]', 'soft-lockup'],
    ['BUG: unable to handle page fault for address: ffffeb0400000008', 'bug'],
    ['BUG: kernel NULL pointer dereference, address: 0000000000000008', 'bug'],
    ['BUG: scheduling while atomic: pin-race/301/0x00000002', 'bug'],
    ['kernel BUG at mm/truncate.c:72!', 'bug'],
    ['Oops: 0002 [#1] PREEMPT SMP NOPTI', 'oops'],
    ['Oops: general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN NOPTI', 'oops'],
    ['general protection fault: 0000 [#1] SMP', 'oops'],
    ['Internal error: Oops - BUG: 00000000f2000800 [#1] PREEMPT SMP', 'oops'],
    ['Kernel panic - not syncing: Fatal exception', 'panic'],
    ['UBSAN: shift-out-of-bounds in fs/dax.c:1123:20', 'ubsan'],
    ['WARNING: possible recursive locking detected', 'lockdep'],
    ['WARNING: inconsistent lock state', 'lockdep'],
    ['WARNING: suspicious RCU usage', 'lockdep'],
    ['INFO: task truncate:123 blocked for more than 120 seconds.', 'hung-task'],
    ['rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:', 'rcu-stall'],
    ['rcu: INFO: rcu_sched self-detected stall on CPU', 'rcu-stall'],
    ['INFO: rcu_sched self-detected stall on CPU', 'rcu-stall'],
    ['rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { 1-... } 21002 jiffies s: 269 root: 0x2/.', 'rcu-stall'],
    ['BUG: Bad page state in process truncate  pfn:10a2c3', 'bad-page'],
    ['BUG: Bad page map in process pin-race  pte:8000000107e2d025 pmd:10a4c067', 'bad-page'],
    ['page dumped because: nonzero _refcount', 'bad-page'],
    ['list_add corruption. prev->next should be next (ffff888004c2a0e8), but was ffff888004c2a0f0. (prev=ffff888004c2a0d8).', 'list-corruption'],
    ['list_del corruption, ffff888004c2a0e8->next is LIST_POISON1 (dead000000000100)', 'list-corruption'],
    ['refcount_t: underflow; use-after-free.', 'refcount'],
  ])('classifies %s', (line, kind) => {
    expect(classifyKernelLine(line)).toBe(kind);
    expect(classifyKernelLine(`[  123.456789] ${line}`)).toBe(kind);
    expect(classifyKernelLine(`[  123.456789][  T301] ${line}`)).toBe(kind);
  });

  it.each([
    '------------[ cut here ]------------',
    '---[ end trace 0000000000000000 ]---',
    '---[ end Kernel panic - not syncing: Fatal exception ]---',
    'daxlab: begin ext4/warning-test#1',
    'daxlab: end ext4/bug-hunt#1',
    'pin-race: no warnings',
    'racer: WARNING: this is user text',
    'ACPI: \\_SB_.PCI0: BUG? not really',
    '[Firmware Bug]: TSC_DEADLINE disabled due to Errata',
    'INFO: lockdep is turned off.',
    ' ? __warn+0x84/0x130',
    ' kasan_report+0xb9/0xf0',
    'The buggy address belongs to the object at ffff88800a4c3e00',
    '',
  ])('does not match %j', (line) => {
    expect(classifyKernelLine(line)).toBeUndefined();
  });

  it('matches lines in /dev/kmsg record and syslog-priority form, keeping them trimmed', () => {
    const scan = scanKernelLog('4,1234,42118921,-;WARNING: CPU: 1 PID: 2 at fs/dax.c:1 f+0x1/0x2\n<4>[   1.5] BUG: soft lockup - CPU#0 stuck for 22s!  \n');
    expect(scan.kinds).toEqual(['warning', 'soft-lockup']);
    expect(scan.matches[1]).toBe('<4>[   1.5] BUG: soft lockup - CPU#0 stuck for 22s!');
  });
});

describe('klogMessage and shortenKernelLine', () => {
  it('strips the time and caller prefixes', () => {
    expect(klogMessage('[   42.118921][  T215] WARNING: x')).toBe('WARNING: x');
    expect(klogMessage('WARNING: x')).toBe('WARNING: x');
  });

  it('shortens WARNING lines to file:line and function', () => {
    expect(shortenKernelLine('[    1.0] WARNING: CPU: 0 PID: 1 at fs/dax.c:398 dax_disassociate_entry+0x4f/0x60')).toBe(
      'WARNING at fs/dax.c:398 dax_disassociate_entry',
    );
    expect(shortenKernelLine('[   42.118921] WARNING: CPU: 1 PID: 215 at fs/dax.c:397 dax_disassociate_entry.constprop.0+0x5d/0x70')).toBe(
      'WARNING at fs/dax.c:397 dax_disassociate_entry',
    );
    expect(shortenKernelLine('WARNING: CPU: 0 PID: 9 at drivers/nvdimm/pmem.c:10 pmem_x+0x1/0x2 [nd_pmem]')).toBe(
      'WARNING at drivers/nvdimm/pmem.c:10 pmem_x',
    );
  });

  it('keeps other reports readable and caps the length', () => {
    expect(shortenKernelLine('[ 88.4] BUG: KASAN: slab-use-after-free in dax_iomap_rw+0x3c2/0x5e0')).toBe(
      'BUG: KASAN: slab-use-after-free in dax_iomap_rw',
    );
    const long = shortenKernelLine(`BUG: ${'x'.repeat(400)}`);
    expect(long.length).toBe(160);
    expect(long.endsWith('...')).toBe(true);
  });
});

describe('applyKernelLog', () => {
  const pass: Verdict = { status: 'pass', reason: 'racer waited 512 ms', timings: { pinMs: 512 } };
  const warn = scanKernelLog('[    1.0] WARNING: CPU: 0 PID: 1 at fs/dax.c:398 dax_disassociate_entry+0x4f/0x60');

  it('turns a pass into a fail naming the first match', () => {
    const out = applyKernelLog(pass, scanKernelLog(`${WARN_612}\n${HUNG_TASK}`));
    expect(out.verdict).toEqual({ status: 'fail', reason: 'kernel log: WARNING at fs/dax.c:397 dax_disassociate_entry', timings: { pinMs: 512 } });
    expect(out.klogMatches).toHaveLength(2);
    expect(applyKernelLog(pass, warn).verdict.reason).toBe('kernel log: WARNING at fs/dax.c:398 dax_disassociate_entry');
  });

  it('leaves a clean pass alone', () => {
    expect(applyKernelLog(pass, scanKernelLog(BENIGN))).toEqual({ verdict: pass, klogMatches: [] });
  });

  it('keeps a fail and its reason, but always returns the matches', () => {
    const v: Verdict = { status: 'fail', reason: 'original fail', timings: {} };
    const out = applyKernelLog(v, warn);
    expect(out.verdict).toEqual(v);
    expect(out.klogMatches).toEqual(warn.matches);
  });

  it('fails a skip or an error too: the kernel misbehaved whatever the workload concluded', () => {
    for (const status of ['skip', 'error'] as const) {
      const out = applyKernelLog({ status, reason: `original ${status}`, timings: {} }, warn);
      expect(out.verdict).toEqual({
        status: 'fail',
        reason: `kernel log: WARNING at fs/dax.c:398 dax_disassociate_entry; the workload itself reported ${status}: original ${status}`,
        timings: {},
      });
      expect(out.klogMatches).toEqual(warn.matches);
    }
  });

  it('does not mutate its inputs', () => {
    const v: Verdict = { ...pass, timings: { ...pass.timings } };
    const out = applyKernelLog(v, warn);
    expect(v.status).toBe('pass');
    out.klogMatches.push('x');
    expect(warn.matches).toHaveLength(1);
  });
});
