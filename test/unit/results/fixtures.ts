// Shared test data for the results tests: case results, summaries, kernel log excerpts.
import type { CaseResult, CaseStatus, RunSummary } from '../../../src/results/types.js';

export function result(over: Partial<CaseResult> = {}): CaseResult {
  return {
    id: 'ext4/pin-race/index=5,pin=pread,race=truncate#1',
    kernel: 'stock',
    backend: 'pmem',
    fs: 'ext4',
    workload: 'pin-race',
    params: { index: 5, pin: 'pread', race: 'truncate' },
    repeat: 1,
    status: 'pass',
    reason: 'racer waited 512 ms',
    timings: { pinMs: 520, raceReturnAfterReadMs: 3 },
    klogMatches: [],
    startedAt: '2025-01-02T03:04:05.000Z',
    durationMs: 520,
    ...over,
  };
}

export function summary(over: Partial<RunSummary> = {}, counts: Partial<Record<CaseStatus, number>> = {}): RunSummary {
  return {
    plan: 'smoke',
    kernel: 'stock',
    startedAt: '2025-01-02T03:04:00.000Z',
    durationMs: 65_000,
    counts: { pass: 0, fail: 0, skip: 0, error: 0, xfail: 0, xpass: 0, flaky: 0, ...counts },
    stages: {},
    accel: 'kvm',
    exitCode: 0,
    ...over,
  };
}

export function countsOf(results: CaseResult[]): Record<CaseStatus, number> {
  const c = { pass: 0, fail: 0, skip: 0, error: 0, xfail: 0, xpass: 0, flaky: 0 };
  for (const r of results) c[r.status]++;
  return c;
}

// A 6.12 WARN_ON in the DAX entry teardown during truncate.
export const WARN_612 = `[   42.118734] ------------[ cut here ]------------
[   42.118921] WARNING: CPU: 1 PID: 215 at fs/dax.c:397 dax_disassociate_entry.constprop.0+0x5d/0x70
[   42.119334] Modules linked in: nd_pmem dax_pmem nd_btt
[   42.119601] CPU: 1 UID: 0 PID: 215 Comm: truncate Not tainted 6.12.0-daxlab #1
[   42.119955] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.3-debian-1.16.3-2 04/01/2014
[   42.120402] RIP: 0010:dax_disassociate_entry.constprop.0+0x5d/0x70
[   42.120712] Code: 48 8b 43 08 48 85 c0 74 0b 48 8b 40 08 <0f> 0b 5b 5d c3 cc cc cc
[   42.121000] RSP: 0018:ffffb4c8c06bfc28 EFLAGS: 00010046
[   42.121300] Call Trace:
[   42.121400]  <TASK>
[   42.121500]  ? __warn+0x84/0x130
[   42.121550]  ? report_bug+0x18e/0x1a0
[   42.121600]  __dax_invalidate_entry+0xa1/0x120
[   42.121700]  dax_delete_mapping_entry+0x14/0x30
[   42.121800]  truncate_folio_batch_exceptionals+0x1a5/0x200
[   42.121900]  truncate_inode_pages_range+0xe2/0x4a0
[   42.122000]  ext4_setattr+0x4c1/0xa30
[   42.122100]  notify_change+0x1f2/0x4b0
[   42.122200]  do_truncate+0x98/0xf0
[   42.122300]  </TASK>
[   42.122400] ---[ end trace 0000000000000000 ]---`;

// A KASAN use-after-free report.
export const KASAN_UAF = `[   88.412201] ==================================================================
[   88.412780] BUG: KASAN: slab-use-after-free in dax_iomap_rw+0x3c2/0x5e0
[   88.413190] Read of size 8 at addr ffff88800a4c3e10 by task pin-race/301
[   88.413600]
[   88.413700] CPU: 0 UID: 0 PID: 301 Comm: pin-race Not tainted 6.12.0-daxlab #1
[   88.414000] Call Trace:
[   88.414100]  <TASK>
[   88.414200]  dump_stack_lvl+0x5d/0x80
[   88.414300]  print_report+0xc1/0x5e0
[   88.414400]  kasan_report+0xb9/0xf0
[   88.414500]  dax_iomap_rw+0x3c2/0x5e0
[   88.414600]  </TASK>
[   88.414800] Allocated by task 290:
[   88.414900]  kasan_save_stack+0x24/0x50
[   88.415000] Freed by task 301:
[   88.415100] The buggy address belongs to the object at ffff88800a4c3e00
[   88.415200]  which belongs to the cache kmalloc-64 of size 64
[   88.415300] ==================================================================
[   88.415400] Disabling lock debugging due to kernel taint`;

// A hung truncate (the racer never woke up).
export const HUNG_TASK = `[  245.331020] INFO: task truncate:123 blocked for more than 20 seconds.
[  245.331544]       Not tainted 6.12.0-daxlab #1
[  245.331890] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
[  245.332301] task:truncate        state:D stack:0     pid:123   tgid:123   ppid:101    flags:0x00004002
[  245.332800] Call Trace:
[  245.333000]  <TASK>
[  245.333100]  __schedule+0x3f5/0xb70
[  245.333200]  schedule+0x27/0xf0
[  245.333300]  ext4_break_layouts+0x9c/0x120
[  245.333400]  </TASK>
[  245.333500] INFO: lockdep is turned off.`;

// A lockdep circular dependency splat.
export const LOCKDEP = `[   30.100000] ======================================================
[   30.100001] WARNING: possible circular locking dependency detected
[   30.100002] 6.12.0-daxlab #1 Not tainted
[   30.100003] ------------------------------------------------------
[   30.100004] truncate/123 is trying to acquire lock:
[   30.100005] ffff888004a1b2c8 (mapping.invalidate_lock#2){++++}-{3:3}, at: ext4_dax_huge_fault+0x8f/0x2b0
[   30.100007] but task is already holding lock:
[   30.100008] ffff888004a1b0a0 (&mm->mmap_lock){++++}-{3:3}, at: do_user_addr_fault+0x1a3/0x8d0
[   30.100010] which lock already depends on the new lock.
[   30.100020]  *** DEADLOCK ***`;

// Benign boot and user lines that mention warnings or bugs without being one.
export const BENIGN = `[    0.000000] Linux version 6.12.0-daxlab (builder@host) (gcc 14.2.0) #1 SMP PREEMPT_DYNAMIC
[    0.012345] [Firmware Bug]: TSC_DEADLINE disabled due to Errata; please update microcode to version: 0x3a
[    0.020000] kasan: KernelAddressSanitizer initialized
[    0.101234] Spectre V2 : WARNING: Unprivileged eBPF is enabled with eIBRS on, data leaks possible via Spectre v2 BHB attacks!
[    0.301000] ACPI BIOS Error (bug): Could not resolve symbol [\\_SB.PCI0.S08], AE_NOT_FOUND (20240827/dswload2-162)
[    1.200000] nd_pmem namespace0.0: unable to guarantee persistence of writes
[    1.300000] EXT4-fs (pmem0): mounted filesystem with ordered data mode. Quota mode: none.
[    2.000000] daxlab: begin ext4/warning-test#1
[    2.100000] pin-race: no warnings, no BUG reports, racer waited 512 ms
[    2.200000] ------------[ cut here ]------------
[    2.300000] daxlab: end ext4/warning-test#1`;
