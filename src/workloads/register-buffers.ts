// The "register-buffers" workload: io_uring must refuse to long-term pin fsdax memory.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { checkResult, errnoName, errorVerdict, intFields } from './guest-json.js';
import { caseFilePath } from './params.js';
import type { GuestEnv, GuestOutput, Workload } from './types.js';

/** -EOPNOTSUPP, what IORING_REGISTER_BUFFERS returns for a buffer in an fsdax mapping. */
export const EXPECTED_DAX_RET = -95;

/** Pages of the DAX file that regbuf maps and tries to register. */
export const REGBUF_PAGES = 4;

function command(tc: TestCase, env: GuestEnv): string[] {
  return [
    `${env.binDir}/regbuf`,
    '--file', caseFilePath(env.mountPoint, 'regbuf', tc.id),
    '--pages', String(REGBUF_PAGES),
  ];
}

function judge(_tc: TestCase, out: GuestOutput): Verdict {
  const checked = checkResult('regbuf', out);
  if ('verdict' in checked) return checked.verdict;
  const { values: v, missing } = intFields(checked.line, ['dax_ret', 'anon_ret'] as const);
  if (missing.length > 0) return errorVerdict(`regbuf result lacks ${missing.join(', ')}`, out);
  const details = { daxRet: v.dax_ret, anonRet: v.anon_ret };
  if (v.anon_ret !== 0) {
    return {
      ...errorVerdict(`control failed: registering anonymous memory returned ${errnoName(v.anon_ret)}`, out),
      details,
    };
  }
  if (v.dax_ret === EXPECTED_DAX_RET) {
    return {
      status: 'pass',
      reason: 'IORING_REGISTER_BUFFERS on an fsdax mapping was refused with EOPNOTSUPP',
      timings: {},
      details,
    };
  }
  const reason =
    v.dax_ret === 0
      ? 'IORING_REGISTER_BUFFERS on an fsdax mapping succeeded (long-term pin of DAX memory must be refused)'
      : `IORING_REGISTER_BUFFERS on an fsdax mapping failed with ${errnoName(v.dax_ret)}, expected EOPNOTSUPP (95)`;
  return { status: 'fail', reason, timings: {}, details };
}

/** io_uring fixed-buffer registration (a FOLL_LONGTERM pin) of fsdax memory must fail. */
export const registerBuffers: Workload = {
  name: 'register-buffers',
  description:
    'Maps a file on the DAX filesystem and calls io_uring_register_buffers (IORING_REGISTER_BUFFERS) ' +
    'on a buffer inside that mapping. Registration takes a long-term pin (pin_user_pages with ' +
    'FOLL_LONGTERM), which the kernel must refuse for fsdax pages because the filesystem could never ' +
    'reclaim or move those blocks. Oracle: the DAX registration returns -EOPNOTSUPP, and a control ' +
    'registration of anonymous memory succeeds (if the control fails the case is an error).',
  params: {},
  command,
  judge,
};
