import { defineConfig } from 'vitest/config';

// Three projects: unit (pure, milliseconds), cli (the built CLI against fake
// executables), vm (real kernels under QEMU; slow, one file at a time).
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
    ],
  },
});
