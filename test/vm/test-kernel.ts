// The kernel VM tests boot: the default plan's kernel, built through daxlab's own cache (a hit
// after the first run; on a fresh machine the first call builds it). DAXLAB_TEST_KERNEL overrides.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIGS_DIR } from '../../src/cli/paths.js';
import { buildKernel } from '../../src/kernel/build.js';
import { cacheRoot } from '../../src/kernel/cache-dir.js';
import { defaultPlan } from '../../src/plan/defaults.js';
import { defaultWorkloadParamDefs } from '../../src/workloads/catalogue.js';

/** Path of a bootable bzImage for tests. */
export async function testKernel(): Promise<string> {
  if (process.env.DAXLAB_TEST_KERNEL) return process.env.DAXLAB_TEST_KERNEL;
  const plan = defaultPlan({ configsDir: CONFIGS_DIR, knownWorkloads: defaultWorkloadParamDefs() });
  const r = await buildKernel(plan.kernel, { cacheRoot: cacheRoot(), logDir: mkdtempSync(join(tmpdir(), 'daxlab-test-build-')) });
  return r.artifact.image;
}
