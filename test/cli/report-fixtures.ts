// Synthetic results directories for the report tests: a stock-like run and a seed-bug-like run of
// the default plan's pin-race cases with 3 repeats, with logs, a flaky case, kernel-log lines, a
// harness error, a skip, and a reason carrying markup (it must be escaped).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../src/results/inference/prng.js';
import type { CaseResult, RunSummary } from '../../src/results/types.js';
import { countStatuses, exitCodeFor } from '../../src/run/exit-code.js';

export const PIN_RACE_CASES = ['ext4', 'xfs'].flatMap((fs) => ['truncate', 'punch'].flatMap((race) => [0, 5].map((index) => ({ fs, race, index }))));
export const REPEATS = 3;

/** Write a results directory (results.json, serial.log, build/build.log); returns its results. */
export function writeRun(dir: string, kernel: 'stock' | 'seed', startedAt: string, seed: number): CaseResult[] {
  const random = mulberry32(seed);
  const results: CaseResult[] = [];
  for (let repeat = 1; repeat <= REPEATS; repeat++) {
    for (const c of PIN_RACE_CASES) {
      const broken = kernel === 'seed' && c.index > 0;
      const after = broken ? -390 - random() * 8 : 1 + random() * 4;
      const v = Math.round(after * 10) / 10;
      results.push({
        id: `${c.fs}/pin-race/index=${c.index},pages=16,pin=pread,race=${c.race}#${repeat}`,
        kernel, backend: 'pmem', fs: c.fs, workload: 'pin-race', params: { index: c.index, pages: 16, pin: 'pread', race: c.race }, repeat,
        status: broken ? 'fail' : 'pass',
        reason: broken ? `${c.race === 'truncate' ? 'ftruncate' : 'fallocate(PUNCH_HOLE)'} returned ${-v} ms before the pinned read completed (pin at page ${c.index})`
          : `waited for the pin (returned ${v} ms after the read completed)`,
        timings: { pinMs: 500, readMs: 500.4, raceAfterPinMs: v, raceAfterReadMs: v - 0.3 },
        klogMatches: [], startedAt, durationMs: 640,
      });
    }
  }
  results.push({
    id: 'ext4/register-buffers#1', kernel, backend: 'pmem', fs: 'ext4', workload: 'register-buffers', params: {}, repeat: 1,
    status: 'flaky', reason: 'failed 1 of 2 attempts: <script>alert(1)</script> & "quoted"',
    timings: {}, klogMatches: ['[   42.1] WARNING: CPU: 1 PID: 215 at fs/dax.c:397 dax_disassociate_entry'],
    attempts: [{ status: 'fail', reason: '<script>alert(1)</script>', durationMs: 30 }, { status: 'pass', reason: 'EOPNOTSUPP', durationMs: 31 }],
    startedAt, durationMs: 61,
  });
  results.push({
    id: 'xfs/register-buffers#1', kernel, backend: 'pmem', fs: 'xfs', workload: 'register-buffers', params: {}, repeat: 1,
    status: 'error', reason: 'lost the ssh connection to the guest', harnessError: true, timings: {}, klogMatches: [],
    details: { serialLog: 'serial.2.log' }, startedAt, durationMs: 5000,
  });
  results.push({
    id: 'ext4/fio-fixedbufs#1', kernel, backend: 'pmem', fs: 'ext4', workload: 'fio-fixedbufs', params: {}, repeat: 1,
    status: 'skip', reason: 'fio is not installed in the guest', timings: {}, klogMatches: [], startedAt, durationMs: 0,
  });
  const counts = countStatuses(results);
  const summary: RunSummary = {
    plan: 'default', kernel, startedAt, durationMs: 95_000, counts, stages: { buildMs: 300 }, accel: 'tcg', exitCode: exitCodeFor(counts),
    kernels: [{
      label: kernel, source: 'debian linux-source-6.12 6.12.57-1', patches: kernel === 'seed' ? ['seed-busy-page-range-end-0.patch'] : [],
      ...(kernel === 'seed' ? { patchSha256: ['a'.repeat(64)] } : {}), configs: ['base', 'pmem', 'nullblk', 'io_uring', 'watchdog', 'gup_test'],
      buildSeconds: 21.5, cacheKey: kernel === 'seed' ? '0123456789abcdef' : 'fedcba9876543210', cached: false,
    }],
  };
  mkdirSync(join(dir, 'build'), { recursive: true });
  writeFileSync(join(dir, 'results.json'), JSON.stringify({ schema: 'daxlab/1', summary, stats: {}, results }, null, 2));
  writeFileSync(join(dir, 'serial.log'), 'Linux version 6.12\n');
  writeFileSync(join(dir, 'serial.2.log'), 'Linux version 6.12 (second boot)\n');
  writeFileSync(join(dir, 'build', 'build.log'), 'make -j2\n');
  return results;
}
