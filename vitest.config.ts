import { defineConfig } from 'vitest/config';

// Four projects: unit (pure, milliseconds), cli (the built CLI against fake
// executables), vm (real kernels under QEMU; slow, one file at a time, run by CI), nightly (proofs
// too long for CI: many repeats, a second kernel version, a second configuration; run by hand or by cron).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { test: { name: 'cli', include: ['test/cli/**/*.test.ts'], testTimeout: 120_000 } },
      {
        test: {
          name: 'vm',
          include: ['test/vm/**/*.test.ts'],
          testTimeout: 3_600_000,
          hookTimeout: 3_600_000,
          fileParallelism: false,
          maxWorkers: 1,
        },
      },
      {
        test: {
          name: 'nightly',
          include: ['test/nightly/**/*.test.ts'],
          testTimeout: 4 * 3_600_000,
          hookTimeout: 4 * 3_600_000,
          fileParallelism: false,
          maxWorkers: 1,
        },
      },
    ],
  },
});
