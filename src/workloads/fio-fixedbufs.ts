// The "fio-fixedbufs" workload: fio's io_uring fixed buffers (IORING_REGISTER_BUFFERS, a
// long-term pin) placed in an fsdax mapping must be refused with EOPNOTSUPP.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { checkResult, errnoName, errorVerdict } from './guest-json.js';
import { fioSection, parseFioJob } from './fio-output.js';
import { join } from 'node:path';
import { caseFilePath, intParam } from './params.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

/** EOPNOTSUPP, what registering a buffer in an fsdax mapping must give. */
export const EOPNOTSUPP = 95;

const PARAMS: Record<string, ParamDef> = {
  reads: { default: [4], description: '4 KiB reads fio would do from the delay device (each held the pin time).' },
};

function command(tc: TestCase, env: GuestEnv): string[] {
  return [
    join(env.binDir, 'fio-fixedbufs.sh'),
    env.binDir,
    env.delayDevice,
    caseFilePath(env.mountPoint, 'fiofixed', tc.id),
    String(intParam(tc, 'reads', PARAMS.reads!)),
  ];
}

function judge(_tc: TestCase, out: GuestOutput): Verdict {
  const checked = checkResult('fio-fixedbufs.sh', out);
  if ('verdict' in checked) return checked.verdict;
  const control = parseFioJob(fioSection(out.stdout, 'JSON', 'control'));
  const dax = parseFioJob(fioSection(out.stdout, 'JSON', 'fixedbufs'));
  if (!control || !dax) {
    return errorVerdict(`fio printed no JSON report for the ${control ? 'fsdax' : 'control'} run`, out);
  }
  const timings: Record<string, number> = dax.reads > 0 ? { clatMeanMs: dax.clatMeanMs, clatMaxMs: dax.clatMaxMs } : {};
  const details = { fioError: dax.error, fioReads: dax.reads, controlError: control.error, controlReads: control.reads };
  if (control.error !== 0 || control.reads < 1) {
    const why = control.error !== 0 ? errnoName(control.error) : 'no read completed';
    return { ...errorVerdict(`control failed: fio with fixedbufs on anonymous memory: ${why}`, out), details };
  }
  if (dax.reads === 0 && dax.error === EOPNOTSUPP) {
    return {
      status: 'pass',
      reason: 'fio could not register its buffer in an fsdax mapping: EOPNOTSUPP (95), before any I/O',
      timings,
      details,
    };
  }
  if (dax.reads > 0) {
    const after = dax.error !== 0 ? `, then failed with ${errnoName(dax.error)}` : '';
    return {
      status: 'fail',
      reason:
        `fio registered its buffer in an fsdax mapping (IORING_REGISTER_BUFFERS succeeded) and ran ${dax.reads} ` +
        `reads${after}; a long-term pin of DAX memory must be refused`,
      timings,
      details,
    };
  }
  const why = dax.error !== 0 ? errnoName(dax.error) : 'no error and no I/O';
  return {
    status: 'fail',
    reason: `fio's fixed-buffer setup on an fsdax mapping failed with ${why}, expected EOPNOTSUPP (95)`,
    timings,
    details,
  };
}

/** fio (io_uring, fixedbufs=1, iomem=mmapshared on a DAX file) must fail to register its buffers. */
export const fioFixedbufs: Workload = {
  name: 'fio-fixedbufs',
  description:
    'Runs fio with ioengine=io_uring, fixedbufs=1 and iomem=mmapshared:<file on the DAX filesystem>, ' +
    'reading from the delay device (guest-scripts/fio-fixedbufs.sh). fio registers its I/O buffer with ' +
    'IORING_REGISTER_BUFFERS, a long-term pin (FOLL_LONGTERM) that the kernel must refuse for fsdax ' +
    'pages. Oracle: fio fails in its setup with EOPNOTSUPP and no I/O (pass); fio runs the reads (fail: ' +
    'the registration was accepted); another setup errno fails too. A control run of the same job on ' +
    'anonymous memory (iomem=mmap, one read) must work, else the case is an error. fio\'s JSON report ' +
    'gives the job error and read count; fio needs System V shm, which daxlab kernels lack, so the ' +
    'script preloads guest-scripts/shmshim.so.c when /proc/sysvipc is absent.',
  params: PARAMS,
  command,
  judge,
  inDefaultPlan: false,
};
