// The kernel VM tests boot: the default plan's kernel, built through daxlab's own cache (a hit
// after the first run; on a fresh machine the first call builds it). DAXLAB_TEST_KERNEL overrides
// the pmem kernel; a backend with its own config fragment (virtio-pmem) gets its own kernel, while
// virtiofs shares the pmem one (its fragment is among the defaults).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIGS_DIR } from '../../src/cli/paths.js';
import { buildKernel } from '../../src/kernel/build.js';
import { cacheRoot } from '../../src/kernel/cache-dir.js';
import { defaultConfigPaths, defaultPlan } from '../../src/plan/defaults.js';
import type { BackendName } from '../../src/plan/types.js';
import { defaultWorkloadParamDefs } from '../../src/workloads/catalogue.js';

/** Path of a bootable bzImage for tests, with the default configs of `backend`. */
export async function testKernel(backend: BackendName = 'pmem'): Promise<string> {
  if (process.env.DAXLAB_TEST_KERNEL && backend === 'pmem') return process.env.DAXLAB_TEST_KERNEL;
  const plan = defaultPlan({ configsDir: CONFIGS_DIR, knownWorkloads: defaultWorkloadParamDefs() });
  const kernel = { ...plan.kernel, configs: defaultConfigPaths(backend, CONFIGS_DIR) };
  const logDir = mkdtempSync(join(tmpdir(), 'daxlab-test-build-'));
  const r = await buildKernel(kernel, { cacheRoot: cacheRoot(), logDir });
  // Kept when the build fails: its error points at the log there.
  rmSync(logDir, { recursive: true, force: true });
  return r.artifact.image;
}
