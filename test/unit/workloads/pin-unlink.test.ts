import { describe, expect, it } from 'vitest';
import { pinUnlink } from '../../../src/workloads/pin-unlink.js';
import { ENV, output, testCase, waitSamples } from './fixtures.js';

const MS = 1_000_000;
const ns = (ms: number) => Math.round(ms * MS);
const tc = testCase('pin-unlink', { index: 5, pages: 16 });

/** A pinunlink line: read 12.3 -> 514.7 ms; unlink at 112.5, close 113, munmap 114 ms. */
function line(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    index: 5, pages: 16, lead_ms: 100,
    read_start_ns: ns(12.3), read_end_ns: ns(514.7), read_ret: 4096, read_errno: 0,
    unlink_start_ns: ns(112.5), unlink_end_ns: ns(112.9), unlink_ret: 0, unlink_errno: 0,
    close_end_ns: ns(113), close_ret: 0, close_errno: 0,
    munmap_end_ns: ns(114), munmap_ret: 0, munmap_errno: 0, dax: true,
    ...over,
  };
}

describe('pin-unlink', () => {
  it('builds the exact pinunlink argv', () => {
    expect(pinUnlink.command(tc, ENV)).toEqual([
      '/var/cache/daxlab/bin/0123456789abcdef/pinunlink',
      '--file', '/mnt/dax/pinunlink-ext4_pin-unlink_index_5_pages_16_0',
      '--pages', '16', '--index', '5', '--dev', '/dev/nullb0', '--lead-ms', '100',
    ]);
    expect(pinUnlink.command(testCase('pin-unlink', {}), ENV).slice(3, 7)).toEqual(['--pages', '16', '--index', '5']);
  });

  it('says the kernel log is the main oracle', () => {
    expect(pinUnlink.description).toContain('kernel log scan');
    expect(pinUnlink.description).toContain('dax_disassociate_entry');
    expect(pinUnlink.description).toContain('Bad page state');
  });

  it('passes when the read completed and the program exited 0', () => {
    const v = pinUnlink.judge(tc, output(line()), ENV);
    expect(v.status).toBe('pass');
    expect(v.reason).toBe('the pinned read completed (4096 bytes) after unlink, close and munmap of the file; ' +
      'the kernel log scan decides the rest');
    expect(v.timings).toMatchObject({ readMs: 502.4, munmapAfterReadMs: -400.7, unlinkStartBeforeReadEndMs: 402.2 });
  });

  it('fails on a read error or a short read', () => {
    expect(pinUnlink.judge(tc, output(line({ read_ret: -1, read_errno: 5 })), ENV)).toMatchObject({
      status: 'fail', reason: 'the pinned read failed after unlink/close/munmap: EIO (5)',
    });
    expect(pinUnlink.judge(tc, output(line({ read_ret: 512 })), ENV).reason).toContain('512 bytes of 4096');
  });

  it('fails when unlink, close or munmap failed', () => {
    const v = pinUnlink.judge(tc, output(line({ munmap_ret: -1, munmap_errno: 22, close_ret: -1, close_errno: 9 })), ENV);
    expect(v).toMatchObject({ status: 'fail', reason: 'close failed with EBADF (9); munmap failed with EINVAL (22)' });
  });

  it('errors when the pin was not held, the unlink came too late, or the index is outside the file', () => {
    expect(pinUnlink.judge(tc, output(line({ read_end_ns: ns(20), unlink_start_ns: ns(13) })), ENV).reason)
      .toBe('delay device did not hold the pin: read took 7.7 ms, expected ~500 ms');
    expect(pinUnlink.judge(tc, output(line({ unlink_start_ns: ns(480) })), ENV).reason)
      .toMatch(/^race started too late: unlink started 34\.7 ms before the read completed/);
    const outside = testCase('pin-unlink', { index: 16, pages: 16 });
    expect(pinUnlink.judge(outside, output(line()), ENV))
      .toMatchObject({ status: 'error', reason: 'index outside the file: page 16 of a 16-page file' });
  });

  it('errors on a non-zero exit, missing fields, or a non-DAX file', () => {
    expect(pinUnlink.judge(tc, output(line(), { exitCode: 1 }), ENV).reason).toBe('pinunlink exited with 1');
    const partial = line();
    delete partial.munmap_ret;
    expect(pinUnlink.judge(tc, output(partial), ENV).reason).toBe('pinunlink result lacks munmap_ret');
    expect(pinUnlink.judge(tc, output(line({ dax: false })), ENV).reason).toBe('file is not DAX');
  });
});

describe('pin-unlink umount=yes', () => {
  const um = testCase('pin-unlink', { index: 5, pages: 16, umount: 'yes' });
  // The umount starts at 114.5 ms; the read completes at 512.3 ms (start + 500 ms pin).
  const umLine = (end: number, over: Record<string, unknown> = {}) =>
    line({ umount: true, umount_start_ns: ns(114.5), umount_end_ns: ns(end), umount_ret: 0, umount_errno: 0,
      remount_ret: 0, remount_errno: 0, umount_wait: waitSamples(ns(114.5), ns(end)), ...over });

  it('adds --umount to the argv', () => {
    expect(pinUnlink.command(um, ENV).at(-1)).toBe('--umount');
  });

  it('passes when umount returned after the pinned read completed', () => {
    const v = pinUnlink.judge(um, output(umLine(515)), ENV);
    expect(v.status).toBe('pass');
    expect(v.reason).toBe('umount waited for the pin (returned 2.7 ms after the read completed; seen asleep in the ' +
      'layout-break wait for ~398.5 ms); the kernel log scan decides the rest');
    expect(v.timings).toMatchObject({ umountMs: 400.5, umountAfterPinMs: 2.7 });
  });

  it('passes when umount only started after the pin was released (an earlier step waited for it)', () => {
    const v = pinUnlink.judge(um, output(umLine(520, { umount_start_ns: ns(513), munmap_end_ns: ns(512.9) })), ENV);
    expect(v.status).toBe('pass');
    expect(v.reason).toMatch(/^umount started after the pinned read had completed: the pin was waited for earlier/);
  });

  it('is an error when umount returned late without being seen waiting', () => {
    const v = pinUnlink.judge(um, output(umLine(515, { umount_wait: waitSamples(ns(114.5), ns(515), 'do_nanosleep') })), ENV);
    expect(v.status).toBe('error');
    expect(v.reason).toMatch(/^umount returned after the pin was released but was not seen waiting for it/);
  });

  it('fails when umount returned while the page was still pinned', () => {
    const v = pinUnlink.judge(um, output(umLine(120)), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toBe('umount returned 392.3 ms before the pinned read completed: the filesystem went away ' +
      'while DMA into its unlinked file was in flight');
  });

  it('is an error when umount or the remount failed', () => {
    expect(pinUnlink.judge(um, output(umLine(120, { umount_ret: -1, umount_errno: 16 })), ENV).reason)
      .toMatch(/^umount failed with EBUSY \(16\)/);
    expect(pinUnlink.judge(um, output(umLine(515, { remount_ret: -1, remount_errno: 22 })), ENV).reason)
      .toMatch(/^mounting the filesystem again failed with EINVAL \(22\)/);
  });
});
