import { describe, expect, it } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import { leadMs, pinRace } from '../../../src/workloads/pin-race.js';
import { ENV, output, pinraceLine, testCase, waitSamples } from './fixtures.js';

const trunc5 = testCase('pin-race', { pin: 'pread', race: 'truncate', index: 5, pages: 16 });
const punch5 = testCase('pin-race', { pin: 'io_uring', race: 'punch', index: 5, pages: 16 });

describe('pin-race command()', () => {
  it('builds the exact pinrace argv', () => {
    expect(pinRace.command(trunc5, ENV)).toEqual([
      '/var/cache/daxlab/bin/0123456789abcdef/pinrace',
      '--file', '/mnt/dax/pinrace-ext4_pin-race_pin_pread_race_truncate_index_5_pages_16_0',
      '--pages', '16',
      '--index', '5',
      '--pin', 'pread',
      '--race', 'truncate',
      '--dev', '/dev/nullb0',
      '--lead-ms', '100',
    ]);
  });

  it('makes a safe file name from a case id with shell metacharacters', () => {
    const tc = testCase('pin-race', { pin: 'pread', race: 'punch', index: 0, pages: 16 },
      'xfs/pin-race/$(reboot);rm -rf / `id` "a b"|&>x/../..#3');
    const argv = pinRace.command(tc, ENV);
    const file = argv[2]!;
    expect(file.startsWith('/mnt/dax/')).toBe(true);
    const name = file.slice('/mnt/dax/'.length);
    expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(name).not.toContain('/');
  });

  it('cuts very long ids and keeps them distinct with a hash', () => {
    const a = pinRace.command(testCase('pin-race', {}, `ext4/${'x'.repeat(400)}#0`), ENV)[2]!;
    const b = pinRace.command(testCase('pin-race', {}, `ext4/${'x'.repeat(400)}#1`), ENV)[2]!;
    expect(a.length).toBeLessThan(230);
    expect(a).not.toBe(b);
  });

  it('uses the first defaults for absent params and scales the lead to short pins', () => {
    const argv = pinRace.command(testCase('pin-race', {}), { ...ENV, pinMs: 200 });
    expect(argv.slice(3)).toEqual(['--pages', '16', '--index', '0', '--pin', 'pread', '--race', 'truncate',
      '--dev', '/dev/nullb0', '--lead-ms', '40']);
    expect(leadMs(2000)).toBe(100);
  });

  it('rejects a pin value outside its definition', () => {
    expect(() => pinRace.command(testCase('pin-race', { pin: 'mmap' }), ENV)).toThrow(DaxlabError);
    expect(() => pinRace.command(testCase('pin-race', { index: '5; reboot' }), ENV)).toThrow(/non-negative integer/);
  });
});

describe('pin-race judge(): pass', () => {
  it('passes when ftruncate returned after the read completed', () => {
    const v = pinRace.judge(trunc5, output(pinraceLine()), ENV);
    expect(v.status).toBe('pass');
    expect(v.reason).toBe('ftruncate waited for the pin (returned 5.5 ms after the read completed; seen asleep in the layout-break wait for ~403.3 ms)');
    expect(v.timings.waitSeenMs).toBe(403.3);
    expect(v.details?.wait).toBe('S ext4_break_layouts x200, R 0 x2');
    expect(v.timings).toMatchObject({ readMs: 502.4, raceMs: 405.3, raceAfterReadMs: 3.1, pinMs: 500 });
  });

  it('passes a punch that waited and left zeros', () => {
    const v = pinRace.judge(punch5, output(pinraceLine({ race: 'punch', pin: 'io_uring', raceAfterReadMs: 0.4 })), ENV);
    expect(v.status).toBe('pass');
    expect(v.reason).toContain('fallocate(PUNCH_HOLE) waited for the pin');
  });

  it('passes a racer seen slightly before the reader thread recorded completion', () => {
    const v = pinRace.judge(trunc5, output(pinraceLine({ raceAfterReadMs: -12 })), ENV);
    expect(v.status).toBe('pass');
    expect(v.reason).toContain('9.6 ms before');
  });
});

describe('pin-race judge(): scheduler noise', () => {
  it('judges against the device completion, not the reader thread waking 41 ms late', () => {
    // Seen on a loaded TCG host: the read's end stamp lagged the device completion by up to 41 ms.
    const v = pinRace.judge(trunc5, output(pinraceLine({ readMs: 541, raceAfterReadMs: -40 })), ENV);
    expect(v.status).toBe('pass');
    expect(v.reason).toBe('ftruncate waited for the pin (returned 1 ms after the read completed; seen asleep in the layout-break wait for ~398.8 ms)');
    expect(v.timings).toMatchObject({ raceAfterReadMs: -40, raceAfterPinMs: 1 });
  });
});

describe('pin-race judge(): fail', () => {
  it('fails when ftruncate returned long before the pinned read completed (the seed bug)', () => {
    const v = pinRace.judge(trunc5, output(pinraceLine({ raceAfterReadMs: -394.1 })), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toBe('ftruncate returned 391.7 ms before the pinned read completed (pin at page 5)');
    expect(v.timings.raceAfterReadMs).toBe(-394.1);
  });

  it('names fallocate(PUNCH_HOLE) for an early punch', () => {
    const v = pinRace.judge(punch5, output(pinraceLine({ race: 'punch', raceAfterReadMs: -380 })), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/^fallocate\(PUNCH_HOLE\) returned 377.6 ms before/);
  });

  it('fails when the racing call itself failed, with the errno name', () => {
    const line = pinraceLine({ race: 'punch', over: { race_ret: -1, race_errno: 95 } });
    const v = pinRace.judge(punch5, output(line), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toBe('fallocate(PUNCH_HOLE) failed with EOPNOTSUPP (95)');
  });

  it('fails when the punched range did not read back as zeros', () => {
    const v = pinRace.judge(punch5, output(pinraceLine({ race: 'punch', over: { data_ok: false } })), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toBe('punched range did not read back as zeros');
  });

  it('fails on a wrong size after truncate or punch', () => {
    const t = pinRace.judge(trunc5, output(pinraceLine({ over: { size_after: 65536 } })), ENV);
    expect(t.status).toBe('fail');
    expect(t.reason).toBe('file size after ftruncate is 65536, expected 0');
    const p = pinRace.judge(punch5, output(pinraceLine({ race: 'punch', over: { size_after: 0 } })), ENV);
    expect(p.reason).toBe('file size after fallocate(PUNCH_HOLE) is 0, expected 65536');
  });

  it('reports every failure found, joined', () => {
    const line = pinraceLine({ race: 'punch', raceAfterReadMs: -400, over: { data_ok: false } });
    const v = pinRace.judge(punch5, output(line), ENV);
    expect(v.reason.split('; ')).toHaveLength(2);
  });
});

describe('pin-race judge(): a wait nothing woke (the guest watchdog fired)', () => {
  // 6.1: the bio's page references are dropped without the fsdax wakeup; the truncate sleeps on
  // until the program's watchdog interrupts it, 2 s after the read completed (EINTR).
  const stuck = (race: 'truncate' | 'punch', ms: number) =>
    pinraceLine({ race, raceAfterReadMs: 2003.4, over: { race_ret: -1, race_errno: 4, size_after: 65536, race_watchdog_ms: ms } });

  it('fails with the time past the pin, not as "failed with EINTR"', () => {
    const v = pinRace.judge(trunc5, output(stuck('truncate', 2001)), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toBe('ftruncate never returned after the pinned read completed: still waiting 2001 ms later, when the ' +
      "guest's watchdog interrupted it with a signal (the pin was released but nothing woke the layout-break wait)");
    expect(v.details).toMatchObject({ watchdogMs: 2001, raceRet: -1, raceErrno: 4 });
    expect(pinRace.judge(punch5, output(stuck('punch', 2000)), ENV).reason).toMatch(/^fallocate\(PUNCH_HOLE\) never returned after the pinned read completed/);
  });

  it('a watchdog that did not fire (-1) changes nothing', () => {
    const v = pinRace.judge(trunc5, output(pinraceLine({ over: { race_watchdog_ms: -1 } })), ENV);
    expect(v.status).toBe('pass');
    expect(v.details).toMatchObject({ watchdogMs: -1 });
  });

  it('an invalid pin stays an error even when the watchdog fired', () => {
    const v = pinRace.judge(trunc5, output(pinraceLine({ readMs: 20, over: { race_watchdog_ms: 2000 } })), ENV);
    expect(v.status).toBe('error');
  });
});

describe('pin-race judge(): error', () => {
  it('errors on garbage output, with the stderr tail', () => {
    const v = pinRace.judge(trunc5, output('Segmentation fault\n', { exitCode: 139, stderr: 'x\nboom\n' }), ENV);
    expect(v.status).toBe('error');
    expect(v.reason).toBe('pinrace printed no JSON result (exit 139); stderr: x | boom');
  });

  it('errors on a setup failure line', () => {
    const out = output({ error: 'cannot open the delay device O_DIRECT', errno: 2 }, { exitCode: 3 });
    const v = pinRace.judge(trunc5, out, ENV);
    expect(v.status).toBe('error');
    expect(v.reason).toBe('pinrace: cannot open the delay device O_DIRECT: ENOENT (2)');
  });

  it('errors when the file is not DAX', () => {
    const v = pinRace.judge(trunc5, output({ error: 'file is not DAX', dax: false }, { exitCode: 3 }), ENV);
    expect(v.status).toBe('error');
    expect(v.reason).toContain('file is not DAX');
    const w = pinRace.judge(trunc5, output(pinraceLine({ over: { dax: false } })), ENV);
    expect(w).toMatchObject({ status: 'error', reason: 'file is not DAX' });
  });

  it('errors on a non-zero exit even with a result line', () => {
    const v = pinRace.judge(trunc5, output(pinraceLine(), { exitCode: 1 }), ENV);
    expect(v).toMatchObject({ status: 'error', reason: 'pinrace exited with 1' });
  });

  it('errors on a timeout', () => {
    const v = pinRace.judge(trunc5, output('', { exitCode: null, timedOut: true }), ENV);
    expect(v).toMatchObject({ status: 'error', reason: 'pinrace timed out' });
  });

  it('errors when fields are missing', () => {
    const line = pinraceLine();
    delete line.race_end_ns;
    delete line.data_ok;
    const v = pinRace.judge(trunc5, output(line), ENV);
    expect(v).toMatchObject({ status: 'error', reason: 'pinrace result lacks race_end_ns, data_ok' });
  });

  it('errors when the delay device did not hold the pin', () => {
    const v = pinRace.judge(trunc5, output(pinraceLine({ readMs: 2.5, leadMs: 1 })), ENV);
    expect(v.status).toBe('error');
    expect(v.reason).toBe('delay device did not hold the pin: read took 2.5 ms, expected ~500 ms');
  });

  it('errors when the pinned read failed', () => {
    const v = pinRace.judge(trunc5, output(pinraceLine({ over: { read_ret: -1, read_errno: 14 } })), ENV);
    expect(v).toMatchObject({ status: 'error', reason: 'the pinned O_DIRECT read failed: EFAULT (14)' });
  });

  it('errors when the race started too late to overlap the read', () => {
    const v = pinRace.judge(trunc5, output(pinraceLine({ leadMs: 480 })), ENV);
    expect(v.status).toBe('error');
    expect(v.reason).toMatch(/^race started too late: ftruncate started 22\.4 ms before the read completed/);
    expect(v.inconclusive).toBe(true);
  });
});

describe('pin-race judge(): how the file was mapped', () => {
  it('keeps the fault count and the 2 MiB alignment of the mapping when the program reports them', () => {
    const pmd = pinRace.judge(trunc5, output(pinraceLine({ over: { map_faults: 4, map_2m_aligned: true } })), ENV);
    expect(pmd.details).toMatchObject({ mapFaults: 4, map2mAligned: true });
    const none = pinRace.judge(trunc5, output(pinraceLine({ over: { map_faults: -1 } })), ENV);
    expect(none.details).not.toHaveProperty('mapFaults');
    expect(none.details).not.toHaveProperty('map2mAligned');
  });
});

describe('pin-race judge(): proof of blocking', () => {
  const MS = 1_000_000;
  const base = pinraceLine();
  const start = base.race_start_ns as number;
  const end = base.race_end_ns as number;

  it('errors a racer that returned late but slept elsewhere (merely slow), naming what it was seen doing', () => {
    const line = pinraceLine({ over: { race_wait: waitSamples(start, end, 'do_nanosleep') } });
    const v = pinRace.judge(trunc5, output(line), ENV);
    expect(v.status).toBe('error');
    expect(v.inconclusive).toBe(true);
    expect(v.reason).toMatch(/^ftruncate returned after the pin was released but was not seen waiting for it: 0 of 202 samples in the layout-break wait \(need 3; seen: S do_nanosleep x200, R 0 x2\), so it may merely have been slow/);
  });

  it('errors a late racer without wait samples, and one seen running the whole time', () => {
    const none = pinRace.judge(trunc5, output(pinraceLine({ over: { race_wait: undefined } })), ENV);
    expect(none.status).toBe('error');
    expect(none.reason).toContain('no wait-channel samples were recorded');
    const running = pinRace.judge(trunc5, output(pinraceLine({ over: { race_wait: waitSamples(start, end, 'ext4_break_layouts', 'R') } })), ENV);
    expect(running.status).toBe('error');
  });

  it('accepts the xfs and remap wait channels, and a wait seen only 3 times', () => {
    for (const wchan of ['xfs_break_dax_layouts', 'xfs_wait_dax_page', 'xfs_mmaplock_two_inodes_and_break_dax_layout', 'ext4_wait_dax_page']) {
      const v = pinRace.judge(trunc5, output(pinraceLine({ over: { race_wait: waitSamples(start, end, wchan) } })), ENV);
      expect(v.status, wchan).toBe('pass');
    }
    const three = { interval_ms: 2, samples: 3, unreadable: 0, chans: [{ state: 'D', wchan: 'ext4_break_layouts', n: 3, first_ns: start, last_ns: start + 4 * MS }] };
    expect(pinRace.judge(trunc5, output(pinraceLine({ over: { race_wait: three } })), ENV).status).toBe('pass');
    const two = { ...three, samples: 2, chans: [{ ...three.chans[0]!, n: 2 }] };
    expect(pinRace.judge(trunc5, output(pinraceLine({ over: { race_wait: two } })), ENV).status).toBe('error');
  });

  it('accepts an xfs remap seen running in the kernel until the pin went (the two-inode lock spins), and nothing else', () => {
    const xfs = (race: string) => testCase('pin-race', { pin: 'pread', race, index: 5, pages: 16 }, undefined, 'xfs');
    const spinning = (r: string) => pinraceLine({ race: r as 'clone', over: { race_wait: waitSamples(start, end, '0', 'R') } });
    for (const race of ['clone', 'dedupe']) {
      const v = pinRace.judge(xfs(race), output(spinning(race)), ENV);
      expect(v.status, race).toBe('pass');
      expect(v.reason).toMatch(/seen running in the kernel for ~[\d.]+ ms: xfs's two-inode remap lock retries without sleeping/);
    }
    // A truncate seen running is not a spin this kernel has: still inconclusive.
    expect(pinRace.judge(xfs('truncate'), output(spinning('truncate')), ENV).status).toBe('error');
    // Running for only the last part of the pin window proves nothing.
    const late = { interval_ms: 2, samples: 20, unreadable: 0, chans: [{ state: 'R', wchan: '0', n: 20, first_ns: end - 40 * MS, last_ns: end }] };
    expect(pinRace.judge(xfs('dedupe'), output(pinraceLine({ race: 'dedupe', over: { race_wait: late } })), ENV).status).toBe('error');
    // Seen running at both ends but asleep elsewhere in between is not a spin.
    const ends = {
      interval_ms: 2, samples: 200, unreadable: 0,
      chans: [
        { state: 'R', wchan: '0', n: 4, first_ns: start, last_ns: end },
        { state: 'S', wchan: 'do_nanosleep', n: 196, first_ns: start + 4 * MS, last_ns: end - 4 * MS },
      ],
    };
    expect(pinRace.judge(xfs('clone'), output(pinraceLine({ race: 'clone', over: { race_wait: ends } })), ENV).status).toBe('error');
  });

  it('fails an early return whatever the samples say', () => {
    const v = pinRace.judge(trunc5, output(pinraceLine({ raceAfterReadMs: -390, over: { race_wait: waitSamples(start, start + 5 * MS) } })), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/returned [\d.]+ ms before the pinned read completed \(pin at page 5\)/);
  });
});
