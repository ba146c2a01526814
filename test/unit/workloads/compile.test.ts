// Compiles the real guest programs with the host gcc and runs the ones that make
// sense on a non-DAX host filesystem.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import { classifyCompileFailure, compileGuestPrograms } from '../../../src/workloads/compile.js';
import { describeWait, layoutWait, parseWaitEvidence } from '../../../src/workloads/wait-evidence.js';
import { parseKmsgDump } from '../../../src/results/kmsg.js';
import { parseResultLine } from '../../../src/workloads/guest-json.js';
import { PIN_INFO, PINS, RACE_INFO, RACES } from '../../../src/workloads/pin-race-params.js';

const SRC = resolve(import.meta.dirname, '../../../guest-scripts');
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'daxlab-compile-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('compileGuestPrograms', { timeout: 60_000 }, () => {
  it('compiles every guest program, then reuses the output', async () => {
    const first = await compileGuestPrograms(SRC, join(work, 'out'));
    expect(first.programs).toEqual(
      ['busyrange', 'daxcheck', 'fiotrunc', 'kmsg-read', 'multipin', 'pinrace', 'pinreuse', 'pinsignal', 'pinunlink', 'regbuf', 'shmshim.so', 'windowreclaim'],
    );
    expect(first.binDir).toMatch(/\/out\/[0-9a-f]{16}$/);
    const before = (await stat(join(first.binDir, 'pinrace'))).mtimeMs;
    const again = await compileGuestPrograms(SRC, join(work, 'out'));
    expect(again).toEqual(first);
    expect((await stat(join(first.binDir, 'pinrace'))).mtimeMs).toBe(before);
    const other = await compileGuestPrograms(SRC, join(work, 'out'), { extraFlags: ['-DDAXLAB_ALLOW_NON_DAX'] });
    expect(other.binDir).not.toBe(first.binDir);
  });

  it('builds programs that run and print one JSON line on a non-DAX filesystem', async () => {
    const { binDir } = await compileGuestPrograms(SRC, join(work, 'out'));
    const dc = await execa(join(binDir, 'daxcheck'), [work], { reject: false });
    expect(dc.exitCode).toBe(1);
    expect(parseResultLine(dc.stdout)).toMatchObject({ dax: false, attributes: expect.stringMatching(/^0x/) });

    const rb = await execa(join(binDir, 'regbuf'), ['--file', join(work, 'rb'), '--pages', '4'], { reject: false });
    const rbLine = parseResultLine(rb.stdout);
    if (rb.exitCode === 3) {
      expect(rbLine?.error).toMatch(/io_uring/); // io_uring disabled on this host
    } else {
      expect(rb.exitCode).toBe(0);
      expect(rbLine).toMatchObject({ dax: false, anon_ret: 0, dax_ret: expect.any(Number) });
    }

    const pr = await execa(join(binDir, 'pinrace'), ['--file', join(work, 'pr'), '--pages', '4', '--index', '1',
      '--pin', 'pread', '--race', 'truncate', '--dev', '/dev/null'], { reject: false });
    expect(pr.exitCode).toBe(3);
    expect(parseResultLine(pr.stdout)).toEqual({ error: 'file is not DAX', dax: false });

    const usage = await execa(join(binDir, 'pinrace'), ['--file', join(work, 'usage-x'), '--pages', '4', '--index', '4',
      '--pin', 'pread', '--race', 'truncate', '--dev', '/dev/null'], { reject: false, cwd: work });
    expect(usage.exitCode).toBe(2);
    expect(parseResultLine(usage.stdout)?.error).toMatch(/--index/);

    const dev = join(work, 'nd-dev');
    await writeFile(dev, Buffer.alloc(65536));
    for (const [prog, args] of [
      ['pinunlink', ['--pages', '4', '--index', '1', '--dev', '/dev/null']],
      ['pinsignal', ['--mode', 'eintr', '--dev', '/dev/null']],
      ['pinreuse', ['--pages', '4', '--index', '1', '--dev', dev, '--pin', 'pread']],
    ] as const) {
      const r = await execa(join(binDir, prog), ['--file', join(work, `nd-${prog}`), ...args], { reject: false });
      expect(r.exitCode, prog).toBe(3);
      expect(parseResultLine(r.stdout)).toEqual({ error: 'file is not DAX', dax: false });
    }
  });

  it('rejects bad arguments of the new programs with exit 2 and a JSON error', async () => {
    const { binDir } = await compileGuestPrograms(SRC, join(work, 'out'));
    const cases: Array<[string, string[], RegExp]> = [
      ['pinrace', ['--file', 'x', '--pages', '1', '--index', '0', '--pin', 'pread', '--race', 'collapse',
        '--dev', '/dev/null'], /collapse needs --pages of at least 2/],
      ['pinrace', ['--file', 'x', '--pages', '4', '--index', '0', '--pin', 'mmap', '--race', 'truncate',
        '--dev', '/dev/null'], /--pin must be/],
      ['pinrace', ['--file', 'x', '--pages', '4', '--index', '0', '--pin', 'aio', '--race', 'rename',
        '--dev', '/dev/null'], /--race must be/],
      ['pinunlink', ['--file', 'x', '--pages', '4', '--index', '4', '--dev', '/dev/null'], /--index/],
      ['pinsignal', ['--file', 'x', '--mode', 'stop', '--dev', '/dev/null'], /--mode must be eintr, restart or kill/],
      ['pinreuse', ['--file', 'x', '--pages', '4', '--index', '4', '--dev', '/dev/null', '--pin', 'pread'], /--index/],
      ['pinreuse', ['--file', 'x', '--pages', '4', '--index', '0', '--dev', '/dev/null', '--pin', 'dma'], /--pin must be iopoll or pread/],
      ['pinreuse', ['--file', 'x', '--pages', '4', '--index', '0', '--dev', '/dev/null', '--pin', 'pread', '--hold-ms', '0'], /--hold-ms/],
      ['fiotrunc', ['--dev', '/dev/null', '--file', 'x'], /usage: fiotrunc/],
    ];
    // The --file of each case: in the temp dir (never the working directory, where a program that
    // got past its argument checks once left a 64 KiB file), and never created by a refused call.
    const file = join(work, 'bad-args-file');
    for (const [prog, args, msg] of cases) {
      const argv = args.map((a) => (a === 'x' ? file : a));
      const r = await execa(join(binDir, prog), argv, { reject: false, cwd: work });
      expect(r.exitCode, `${prog} ${argv.join(' ')}`).toBe(2);
      expect(parseResultLine(r.stdout)?.error).toMatch(msg);
      expect(existsSync(file), `${prog} created --file before refusing its arguments`).toBe(false);
    }
  });

  it('runs the pinrace race logic on the host when the DAX check is compiled out', async () => {
    const { binDir } = await compileGuestPrograms(SRC, join(work, 'out'), { extraFlags: ['-DDAXLAB_ALLOW_NON_DAX'] });
    const dev = join(work, 'fake-dev');
    await writeFile(dev, Buffer.alloc(65536));
    for (const race of ['truncate', 'punch']) {
      const r = await execa(join(binDir, 'pinrace'), ['--file', join(work, `f-${race}`), '--pages', '8',
        '--index', '3', '--pin', 'io_uring', '--race', race, '--dev', dev, '--lead-ms', '5'], { reject: false });
      expect(r.exitCode, r.stdout).toBe(0);
      const line = parseResultLine(r.stdout)!;
      // Nothing pins on the host: on a loaded host the racer can overtake the read, which then
      // ends in EFAULT (its buffer's file was truncated). That is the host's race, not a program bug.
      const overtaken = (line.read_end_ns as number) > (line.race_start_ns as number) && line.read_ret === -1;
      expect(line).toMatchObject({ pin: 'io_uring', race, index: 3, pages: 8, read_ret: overtaken ? -1 : 4096, race_ret: 0,
        size_after: race === 'truncate' ? 0 : 32768, dax: false });
      if (!overtaken) expect(line.data_ok).toBe(true);
      // The wait sampler's record adds up (it may have had no time to sample an instant racer).
      const wait = line.race_wait as { samples: number; chans: Array<{ state: string; wchan: string; n: number }> };
      expect(wait.chans.reduce((n, c) => n + c.n, 0)).toBe(wait.samples);
      expect(line.race_start_ns as number).toBeGreaterThan(line.read_start_ns as number);
      expect(line.race_end_ns as number).toBeGreaterThanOrEqual(line.race_start_ns as number);
    }
    // --fault-page: the faulting thread waits for a layout-break wait that never comes on the host.
    const f = await execa(join(binDir, 'pinrace'), ['--file', join(work, 'f-fault'), '--pages', '8', '--index', '3', '--pin', 'pread',
      '--race', 'punch', '--dev', dev, '--lead-ms', '5', '--fault-page', '0'], { reject: false });
    expect(f.exitCode, f.stdout).toBe(0);
    expect(parseResultLine(f.stdout)).toMatchObject({ fault_page: 0, fault_seen_wait: false, fault_start_ns: -1, fault_end_ns: -1, fault_minflt: 0 });
    const same = await execa(join(binDir, 'pinrace'), ['--file', join(work, 'f-fault2'), '--pages', '8', '--index', '3', '--pin', 'pread',
      '--race', 'punch', '--dev', dev, '--fault-page', '3'], { reject: false });
    expect(same.exitCode).toBe(2);
    expect(parseResultLine(same.stdout)).toMatchObject({ error: '--fault-page must be a page of the file other than --index, without --unmap' });
  });

  it('reads the kernel log by sequence number: kmsg-read on the host', async () => {
    const { binDir } = await compileGuestPrograms(SRC, join(work, 'out'));
    const all = await execa(join(binDir, 'kmsg-read'), ['0'], { reject: false });
    expect(all.exitCode, all.stderr).toBe(0);
    const dump = parseKmsgDump(all.stdout)!;
    expect(dump.from).toBe(0);
    expect(dump.records.length).toBeGreaterThan(0);
    for (let i = 1; i < dump.records.length; i++) expect(dump.records[i]!.seq).toBe(dump.records[i - 1]!.seq + 1);
    expect(dump.next).toBe(dump.records.at(-1)!.seq + 1);
    // Records before the buffer's oldest one are reported lost, never skipped silently.
    const first = dump.records[0]!.seq;
    expect(dump.lost).toBe(first);
    const rest = await execa(join(binDir, 'kmsg-read'), [String(dump.next + 1_000_000)]);
    expect(parseKmsgDump(rest.stdout)).toEqual({ from: dump.next + 1_000_000, next: dump.next + 1_000_000, lost: 0, records: [] });
    const bad = await execa(join(binDir, 'kmsg-read'), ['-1'], { reject: false });
    expect(bad.exitCode).toBe(2);
  });

  it("samples the racer's kernel wait channel: a slow racer is seen asleep in nanosleep, not in a layout break", async () => {
    const { binDir } = await compileGuestPrograms(SRC, join(work, 'out'), { extraFlags: ['-DDAXLAB_ALLOW_NON_DAX'] });
    const dev = join(work, 'fake-dev-slow');
    await writeFile(dev, Buffer.alloc(65536));
    const r = await execa(join(binDir, 'pinrace'), ['--file', join(work, 'f-slow'), '--pages', '8', '--index', '3',
      '--pin', 'pread', '--race', 'truncate', '--dev', dev, '--lead-ms', '5', '--test-slow-ms', '80'], { reject: false });
    expect(r.exitCode, r.stdout).toBe(0);
    const line = parseResultLine(r.stdout)!;
    expect((line.race_end_ns as number) - (line.race_start_ns as number)).toBeGreaterThanOrEqual(80e6);
    const e = parseWaitEvidence(line.race_wait)!;
    expect(e.chans.reduce((n, c) => n + c.n, 0)).toBe(e.samples);
    const asleep = e.chans.filter((c) => c.state === 'S' && /nanosleep/.test(c.wchan)).reduce((n, c) => n + c.n, 0);
    expect(asleep, describeWait(e)).toBeGreaterThanOrEqual(10);
    expect(layoutWait(e).n).toBe(0);
  });

  it('runs every pin source against every racer on the host, checking size and content', async () => {
    const { binDir } = await compileGuestPrograms(SRC, join(work, 'out'), { extraFlags: ['-DDAXLAB_ALLOW_NON_DAX'] });
    const dev = join(work, 'fake-dev-all');
    await writeFile(dev, Buffer.alloc(65536));
    for (const pin of PINS) {
      for (const race of RACES) {
        const r = await execa(join(binDir, 'pinrace'), ['--file', join(work, `a-${pin}-${race}`), '--pages', '8',
          '--index', race === 'collapse' ? '6' : '3', '--pin', pin, '--race', race, '--dev', dev,
          '--lead-ms', '25'], { reject: false });
        const what = `${pin}/${race}: ${r.stdout}`;
        expect(r.exitCode, what).toBe(0);
        const line = parseResultLine(r.stdout)!;
        // Nothing pins on the host: a read still running when the racer truncated the buffer's
        // file (a loaded host) ends in EFAULT. That is the host's race, not a program bug.
        const overtaken = (line.read_end_ns as number) > (line.race_start_ns as number);
        if (overtaken && line.read_ret === -1) expect(line.read_errno, what).toBe(14);
        else expect(line.read_ret, what).toBe(PIN_INFO[pin].bytes);
        expect(line.size_expected, what).toBe(RACE_INFO[race].sizeAfter(8));
        if (line.race_ret === 0) {
          expect(line, what).toMatchObject({ size_after: line.size_expected, data_ok: true });
        } else {
          // The host filesystem may not support it (tmpfs: collapse/insert/zero; ext4: clone/dedupe/
          // unshare; anything but xfs: the scrub ioctl, ENOTTY).
          expect(race === 'scrub' ? [25, 95] : [18, 22, 95], what).toContain(line.race_errno);
        }
      }
    }
  });

  it('runs pinunlink and pinsignal on the host when the DAX check is compiled out', async () => {
    const { binDir } = await compileGuestPrograms(SRC, join(work, 'out'), { extraFlags: ['-DDAXLAB_ALLOW_NON_DAX'] });
    const dev = join(work, 'fake-dev-2');
    await writeFile(dev, Buffer.alloc(65536));
    const file = join(work, 'unlinked');
    const u = await execa(join(binDir, 'pinunlink'), ['--file', file, '--pages', '16', '--index', '5',
      '--dev', dev, '--lead-ms', '2'], { reject: false });
    expect(u.exitCode, u.stdout).toBe(0);
    // Nothing pins on the host: on a loaded host the read can still be running when its buffer is
    // unmapped, and then ends in EFAULT. That is the host's race, not a program bug.
    const hostRead = (l: Record<string, unknown>) => (l.read_ret === -1 ? expect(l.read_errno).toBe(14) : expect(l.read_ret).toBe(4096));
    const ul = parseResultLine(u.stdout)!;
    hostRead(ul);
    expect(ul).toMatchObject({ index: 5, pages: 16, unlink_ret: 0, close_ret: 0, munmap_ret: 0, dax: false });
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });

    for (const mode of ['eintr', 'restart']) {
      const s = await execa(join(binDir, 'pinsignal'), ['--file', join(work, `sig-${mode}`), '--mode', mode,
        '--dev', dev, '--lead-ms', '2', '--signal-ms', '2'], { reject: false });
      expect(s.exitCode, s.stdout).toBe(0);
      // Nothing waits on the host: the truncate is over before the signal, which then finds no thread.
      const sl = parseResultLine(s.stdout)!;
      hostRead(sl);
      expect(sl).toMatchObject({ mode, index: 5, pages: 16, trunc_ret: 0, size_before: 65536, size_at_return: 0, size_after: 0, dax: false });
    }
    // kill: on the host the child's ftruncate does not wait, so it has exited 0 before the SIGKILL.
    const k = await execa(join(binDir, 'pinsignal'), ['--file', join(work, 'sig-kill'), '--mode', 'kill',
      '--dev', dev, '--lead-ms', '2', '--signal-ms', '200'], { reject: false });
    expect(k.exitCode, k.stdout).toBe(0);
    const kl = parseResultLine(k.stdout)!;
    hostRead(kl);
    expect(kl).toMatchObject({ mode: 'kill', child_killed: false, child_exit: 0, size_before: 65536, size_after_kill: 0, next_ret: 0, size_after: 0, dax: false });
  });

  it('runs pinreuse on the host when the DAX check is compiled out (no fill, G as long as F)', async () => {
    const { binDir } = await compileGuestPrograms(SRC, join(work, 'out'), { extraFlags: ['-DDAXLAB_ALLOW_NON_DAX'] });
    const dev = join(work, 'reuse-dev');
    await writeFile(dev, Buffer.alloc(65536));
    const file = join(work, 'reuse');
    const r = await execa(join(binDir, 'pinreuse'), ['--file', file, '--pages', '8', '--index', '3', '--dev', dev,
      '--pin', 'pread', '--lead-ms', '2'], { reject: false });
    expect(r.exitCode, r.stdout).toBe(0);
    expect(parseResultLine(r.stdout)).toMatchObject({ pin: 'pread', index: 3, pages: 8, dev_ok: true, read_ret: 4096,
      trunc_ret: 0, fill_bytes: 0, g_pages: 8, corrupt_page: -1, corrupt_stale: false, dax: false });
    // F, G and the filler are removed.
    expect((await execa('ls', ['-A', work])).stdout.split('\n').filter((n) => n.startsWith('reuse') || n.includes('fill')))
      .toEqual(['reuse-dev']);
  });

  it('runs windowreclaim on the host when the DAX check is compiled out (no window: nothing reclaimed)', async () => {
    const { binDir } = await compileGuestPrograms(SRC, join(work, 'out'), { extraFlags: ['-DDAXLAB_ALLOW_NON_DAX'] });
    const dev = join(work, 'window-dev');
    await writeFile(dev, Buffer.alloc(65536));
    const file = join(work, 'window');
    const r = await execa(join(binDir, 'windowreclaim'), ['--file', file, '--ranges', '4', '--index', '5', '--dev', dev,
      '--pin', 'pread', '--hold-ms', '20', '--lead-ms', '2'], { reject: false });
    expect(r.exitCode, r.stdout).toBe(0);
    // The host's page cache keeps range 0 mapped, and the read's data lands in page 5 only.
    expect(parseResultLine(r.stdout)).toMatchObject({ pin: 'pread', index: 5, ranges: 4, dev_ok: true, read_ret: 4096,
      mapped_after: 1, landed: true, misplaced_range: -1, dax: false });
    expect((await execa('ls', ['-A', work])).stdout.split('\n').filter((n) => n === 'window')).toEqual([]);
    const bad = await execa(join(binDir, 'windowreclaim'), ['--file', file, '--ranges', '4', '--index', '512', '--dev', dev, '--pin', 'pread'], { reject: false });
    expect(bad.exitCode).toBe(2);
  });

  it('builds fiotrunc, which refuses a non-block device, and the shm shim as a shared object', async () => {
    const { binDir } = await compileGuestPrograms(SRC, join(work, 'out'));
    const t = await execa(join(binDir, 'fiotrunc'), ['--dev', '/dev/null', '--file', 'x', '--pid', '1'], { reject: false });
    expect(t.exitCode).toBe(3);
    expect(parseResultLine(t.stdout)?.error).toBe('--dev is not a block device');
    const nm = await execa('nm', ['-D', '--defined-only', join(binDir, 'shmshim.so')]);
    for (const sym of ['shmget', 'shmat', 'shmdt', 'shmctl']) expect(nm.stdout).toMatch(new RegExp(`\\bT ${sym}$`, 'm'));
  });

  it('reports a missing gcc as HOST_MISSING', async () => {
    await expect(compileGuestPrograms(SRC, join(work, 'nogcc'), { gcc: '/nonexistent/gcc' }))
      .rejects.toMatchObject({ code: 'HOST_MISSING', message: expect.stringContaining('apt-get install gcc') });
  });

  it('reports a compiler error as BUILD_FAILED with the error lines', async () => {
    const src = join(work, 'broken');
    await execa('mkdir', ['-p', src]);
    await writeFile(join(src, 'bad.c'), 'int main(void) { return undeclared; }\n');
    const err = await compileGuestPrograms(src, join(work, 'badout')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DaxlabError);
    expect((err as DaxlabError).code).toBe('BUILD_FAILED');
    expect((err as DaxlabError).detail.join('\n')).toContain('undeclared');
  });
});

describe('classifyCompileFailure', () => {
  it('names the apt package for a missing liburing', () => {
    const e = classifyCompileFailure('pinrace.c', 'pinrace.c:12:10: fatal error: liburing.h: No such file or directory');
    expect(e.code).toBe('HOST_MISSING');
    expect(e.message).toContain('apt-get install liburing-dev');
    expect(classifyCompileFailure('x.c', '/usr/bin/ld: cannot find -luring: No such file or directory').message)
      .toContain('liburing-dev');
  });

  it('treats a missing system header as HOST_MISSING but a missing local one as BUILD_FAILED', () => {
    const sys = 'x.c:1:10: fatal error: stdio.h: No such file or directory';
    expect(classifyCompileFailure('x.c', sys).code).toBe('HOST_MISSING');
    const local = 'x.c:1:10: fatal error: daxlab-common.h: No such file or directory';
    expect(classifyCompileFailure('x.c', local, ['daxlab-common.h']).code).toBe('BUILD_FAILED');
  });
});
