// Fault injection, real QEMU: the results directory fills up (a small tmpfs) or turns read-only
// (ext4 with errors=remount-ro after an injected error) right after the first case. daxlab must
// stop with a clear RESULTS_IO error and exit 69, stop the VM, and leave nothing half-written that
// reads as valid: the journal replays cleanly and results.json is either whole or absent.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectJournalMatchesReport, expectNoLeftovers, journal, qemuOf, startDaxlab, waitFor } from './faults.js';

const mounts: string[] = [];
afterEach(async () => {
  for (const m of mounts.splice(0)) {
    const r = await execa('umount', [m], { reject: false });
    if (r.exitCode !== 0) await execa('umount', ['-l', m], { reject: false });
    rmSync(m, { recursive: true, force: true });
  }
});

async function mountPoint(prefix: string, args: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `daxlab-fault-${prefix}-`));
  await execa('mount', [...args, dir]);
  mounts.push(dir);
  return dir;
}

// Run the plan into `results`, call `breakIt` once the first case is journaled, return the run.
async function runAndBreak(results: string, breakIt: () => Promise<void>) {
  const run = startDaxlab(['run', 'test/plans/fault-results-io.yaml'], results);
  await waitFor('the first case result', async () => {
    await qemuOf(run);
    return existsSync(join(results, 'events.jsonl')) && journal(results).results.length > 0;
  }, 120_000, run);
  const t0 = Date.now();
  await breakIt();
  const r = await run.child;
  return { run, r, output: String(r.all ?? ''), took: Date.now() - t0 };
}

// The journal replays, results.json is whole or absent, no temporary file is left.
function expectNothingHalfWritten(results: string): void {
  const j = journal(results);
  expect(j.results.length).toBeGreaterThanOrEqual(1);
  expect(readdirSync(results).filter((f) => f.includes('.tmp-'))).toEqual([]);
  if (existsSync(join(results, 'results.json'))) expectJournalMatchesReport(results);
}

describe('fault: results directory fails mid-run', () => {
  it('full disk: RESULTS_IO (ENOSPC), exit 69, journal intact', async () => {
    const mnt = await mountPoint('full', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs']);
    const results = join(mnt, 'results');
    const { run, r, output, took } = await runAndBreak(results, async () => {
      await execa('dd', ['if=/dev/zero', `of=${join(mnt, 'filler')}`, 'bs=64k'], { reject: false });
    });
    expect(r.exitCode, output.slice(-3000)).toBe(69);
    expect(output).toMatch(/daxlab: error: cannot write \S+: ENOSPC/);
    expect(output).toContain('the results file system is full; free space or pick another results directory');
    console.log(`full disk: daxlab exited ${took} ms after the disk filled:\n${output.split('\n').filter((l) => /^(daxlab: |  the )/.test(l)).join('\n')}`);
    expectNothingHalfWritten(results);
    await expectNoLeftovers(run);
  });

  it('read-only mid-run: RESULTS_IO (EROFS), exit 69, journal intact', async () => {
    const img = join(mkdtempSync(join(tmpdir(), 'daxlab-fault-img-')), 'results.img');
    await execa('truncate', ['-s', '64M', img]);
    await execa('mkfs.ext4', ['-q', '-F', img]);
    const mnt = await mountPoint('ro', ['-o', 'loop,errors=remount-ro', img]);
    const dev = basename((await execa('findmnt', ['-no', 'SOURCE', mnt])).stdout.trim());
    const results = join(mnt, 'results');
    try {
      const { run, r, output, took } = await runAndBreak(results, async () => {
        // An ext4 error with errors=remount-ro: the file system turns read-only under open files.
        await execa('sh', ['-c', `echo daxlab-fault-test > /sys/fs/ext4/${dev}/trigger_fs_error`]);
      });
      expect(r.exitCode, output.slice(-3000)).toBe(69);
      expect(output).toMatch(/daxlab: error: cannot write \S+: EROFS/);
      expect(output).toContain('the results directory is on a read-only file system; pick another results directory');
      console.log(`read-only: daxlab exited ${took} ms after the remount:\n${output.split('\n').filter((l) => /^(daxlab: |  the )/.test(l)).join('\n')}`);
      expectNothingHalfWritten(results);
      await expectNoLeftovers(run);
    } finally {
      rmSync(join(img, '..'), { recursive: true, force: true });
    }
  });

  it('read-only from the start: RESULTS_IO before anything starts', async () => {
    const mnt = await mountPoint('rostart', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs']);
    const run = startDaxlab(['run', 'test/plans/fault-results-io.yaml'], join(mnt, 'results'));
    const r = await run.child;
    const output = String(r.all ?? '');
    expect(r.exitCode, output).toBe(69);
    expect(output).toMatch(/^daxlab: error: cannot create the results directory \S+: EROFS/m);
    expect(output).not.toMatch(/booting|build:/);
    expect(Date.now() - run.startedAt).toBeLessThan(5_000);
    await expectNoLeftovers(run);
  });
});
