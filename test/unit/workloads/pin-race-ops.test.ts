// pin-race with the added pin sources and racing operations.
import { describe, expect, it } from 'vitest';
import { pinRace } from '../../../src/workloads/pin-race.js';
import type { PinName, RaceName } from '../../../src/workloads/pin-race-params.js';
import { ENV, output, pinraceLine, testCase } from './fixtures.js';

const tc = (race: RaceName, opts: { pin?: PinName; index?: number; pages?: number; fs?: 'ext4' | 'xfs' } = {}) =>
  testCase('pin-race', { pin: opts.pin ?? 'pread', race, index: opts.index ?? 5, pages: opts.pages ?? 16 },
    undefined, opts.fs ?? 'ext4');

describe('pin-race command() with the new values', () => {
  it('passes every pin source and racer through to pinrace', () => {
    const argv = pinRace.command(tc('collapse', { pin: 'io_uring_write', index: 513, pages: 1024, fs: 'xfs' }), ENV);
    expect(argv[2]).toBe('/mnt/dax/pinrace-xfs_pin-race_pin_io_uring_write_race_collapse_index_513_pages_1024_0');
    expect(argv.slice(3)).toEqual(['--pages', '1024', '--index', '513', '--pin', 'io_uring_write',
      '--race', 'collapse', '--dev', '/dev/nullb0', '--lead-ms', '100']);
    for (const pin of ['pwrite', 'preadv', 'aio'] as const) {
      expect(pinRace.command(tc('otrunc', { pin }), ENV)).toContain(pin);
    }
    for (const race of ['otrunc', 'zero', 'insert', 'clone', 'dedupe'] as const) {
      expect(pinRace.command(tc(race), ENV)).toContain(race);
    }
  });
});

describe('pin-race judge(): index and file size', () => {
  it('errors when the index is outside the file, before looking at the output', () => {
    const v = pinRace.judge(tc('truncate', { index: 16, pages: 16 }), output('garbage'), ENV);
    expect(v).toMatchObject({ status: 'error', reason: 'index outside the file: page 16 of a 16-page file' });
  });

  it('errors on a collapse of a one-page file', () => {
    const v = pinRace.judge(tc('collapse', { index: 0, pages: 1 }), output('garbage'), ENV);
    expect(v).toMatchObject({ status: 'error', reason: 'collapse needs a file of at least 2 pages' });
  });

  it('passes the last page of a file larger than 2 MiB', () => {
    const line = pinraceLine({ race: 'punch', index: 599, pages: 600 });
    expect(pinRace.judge(tc('punch', { index: 599, pages: 600 }), output(line), ENV).status).toBe('pass');
  });
});

describe('pin-race judge(): unsupported racers', () => {
  it('skips clone and dedupe on ext4 with the reason, whatever the program printed', () => {
    for (const race of ['clone', 'dedupe'] as const) {
      const line = pinraceLine({ race, over: { race_ret: -1, race_errno: 95 } });
      const v = pinRace.judge(tc(race), output(line), ENV);
      expect(v.status).toBe('skip');
      expect(v.reason).toBe(`${race === 'clone' ? 'FICLONERANGE' : 'FIDEDUPERANGE'} is not supported on ext4`);
    }
  });

  it('fails an EOPNOTSUPP from xfs clone (supported there), naming the errno and the reflink hint', () => {
    const line = pinraceLine({ race: 'clone', over: { race_ret: -1, race_errno: 95 } });
    const v = pinRace.judge(tc('clone', { fs: 'xfs' }), output(line), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toBe('ioctl(FICLONERANGE) failed with EOPNOTSUPP (95) (is the filesystem formatted with reflink=1?)');
  });

  it('fails an EINVAL from an ext4 collapse', () => {
    const line = pinraceLine({ race: 'collapse', over: { race_ret: -1, race_errno: 22 } });
    const v = pinRace.judge(tc('collapse'), output(line), ENV);
    expect(v).toMatchObject({ status: 'fail', reason: 'fallocate(COLLAPSE_RANGE) failed with EINVAL (22)' });
  });
});

describe('pin-race judge(): new racers', () => {
  it('passes each racer that waited and left the right size', () => {
    for (const race of ['otrunc', 'zero', 'collapse', 'insert', 'clone', 'dedupe'] as const) {
      const v = pinRace.judge(tc(race, { fs: 'xfs' }), output(pinraceLine({ race })), ENV);
      expect(v.status, `${race}: ${v.reason}`).toBe('pass');
      expect(v.reason).toContain('waited for the pin (returned 5.5 ms after the read completed; seen asleep in the layout-break wait for ~403.3 ms)');
    }
  });

  it('fails an open(O_TRUNC) that returned early', () => {
    const v = pinRace.judge(tc('otrunc'), output(pinraceLine({ race: 'otrunc', raceAfterReadMs: -380 })), ENV);
    expect(v).toMatchObject({
      status: 'fail', reason: 'open(O_TRUNC) returned 377.6 ms before the pinned read completed (pin at page 5)',
    });
  });

  it('checks the size each racer must leave', () => {
    const cases: Array<[RaceName, number, string]> = [
      ['otrunc', 65536, 'file size after open(O_TRUNC) is 65536, expected 0'],
      ['zero', 0, 'file size after fallocate(ZERO_RANGE) is 0, expected 65536'],
      ['collapse', 65536, 'file size after fallocate(COLLAPSE_RANGE) is 65536, expected 32768'],
      ['insert', 65536, 'file size after fallocate(INSERT_RANGE) is 65536, expected 69632'],
      ['clone', 4096, 'file size after ioctl(FICLONERANGE) is 4096, expected 65536'],
      ['dedupe', 0, 'file size after ioctl(FIDEDUPERANGE) is 0, expected 65536'],
    ];
    for (const [race, size, reason] of cases) {
      const v = pinRace.judge(tc(race, { fs: 'xfs' }), output(pinraceLine({ race, over: { size_after: size } })), ENV);
      expect(v).toMatchObject({ status: 'fail', reason });
    }
  });

  it('names the content check that failed', () => {
    const cases: Array<[RaceName, RegExp]> = [
      ['zero', /^zeroed range did not read back as zeros$/],
      ['collapse', /^data after the collapse is not the rest of the file shifted/],
      ['insert', /^data after the insert is not a zero block followed by the whole file$/],
      ['clone', /^cloned page does not hold the source file's data/],
      ['dedupe', /^deduped page lost its data/],
    ];
    for (const [race, reason] of cases) {
      const v = pinRace.judge(tc(race, { fs: 'xfs' }), output(pinraceLine({ race, over: { data_ok: false } })), ENV);
      expect(v.status).toBe('fail');
      expect(v.reason).toMatch(reason);
    }
    const t = pinRace.judge(tc('otrunc'), output(pinraceLine({ race: 'otrunc', over: { data_ok: false } })), ENV);
    expect(t.status).toBe('pass'); // nothing to read back after a truncation to 0
  });

  it('notes a pin outside the collapsed range, which must still be waited for', () => {
    const pass = pinRace.judge(tc('collapse', { index: 12 }), output(pinraceLine({ race: 'collapse', index: 12 })), ENV);
    expect(pass.status).toBe('pass');
    expect(pass.reason).toContain('the pin lay outside the changed range');
    expect(pass.details).toMatchObject({ pinInChangedRange: false });
    const inside = pinRace.judge(tc('collapse', { index: 5 }), output(pinraceLine({ race: 'collapse' })), ENV);
    expect(inside.details).toMatchObject({ pinInChangedRange: true });
    const early = pinraceLine({ race: 'collapse', index: 12, raceAfterReadMs: -400 });
    expect(pinRace.judge(tc('collapse', { index: 12 }), output(early), ENV).status).toBe('fail');
  });
});

describe('pin-race judge(): new pin sources', () => {
  it('expects 8 KiB from preadv and 4 KiB from the others', () => {
    expect(pinRace.judge(tc('truncate', { pin: 'preadv' }), output(pinraceLine({ pin: 'preadv' })), ENV).status)
      .toBe('pass');
    const short = pinraceLine({ pin: 'preadv', over: { read_ret: 4096 } });
    expect(pinRace.judge(tc('truncate', { pin: 'preadv' }), output(short), ENV)).toMatchObject({
      status: 'error', reason: 'the pinned O_DIRECT read failed: 4096 bytes of 8192',
    });
    expect(pinRace.judge(tc('punch', { pin: 'aio' }), output(pinraceLine({ race: 'punch', pin: 'aio' })), ENV).status)
      .toBe('pass');
  });

  it('speaks of a write for pwrite and io_uring_write pins', () => {
    const ok = pinRace.judge(tc('truncate', { pin: 'pwrite' }), output(pinraceLine({ pin: 'pwrite' })), ENV);
    expect(ok.reason).toBe('ftruncate waited for the pin (returned 5.5 ms after the write completed; seen asleep in the layout-break wait for ~403.3 ms)');
    const early = pinraceLine({ pin: 'io_uring_write', raceAfterReadMs: -300 });
    expect(pinRace.judge(tc('truncate', { pin: 'io_uring_write' }), output(early), ENV).reason)
      .toBe('ftruncate returned 297.6 ms before the pinned write completed (pin at page 5)');
    const failed = pinraceLine({ pin: 'pwrite', over: { read_ret: -1, read_errno: 5 } });
    expect(pinRace.judge(tc('truncate', { pin: 'pwrite' }), output(failed), ENV).reason)
      .toBe('the pinned O_DIRECT write failed: EIO (5)');
    const quick = pinraceLine({ pin: 'pwrite', readMs: 3, leadMs: 1 });
    expect(pinRace.judge(tc('truncate', { pin: 'pwrite' }), output(quick), ENV).reason)
      .toBe('delay device did not hold the pin: write took 3 ms, expected ~500 ms');
  });
});
