import { describe, expect, it } from 'vitest';
import { registerBuffers } from '../../../src/workloads/register-buffers.js';
import { ENV, output, testCase } from './fixtures.js';

const tc = testCase('register-buffers', {}, 'xfs/register-buffers/#0');
const judge = (line: Record<string, unknown> | string, extra = {}) =>
  registerBuffers.judge(tc, output(line, extra), ENV);

describe('register-buffers', () => {
  it('builds the exact regbuf argv', () => {
    expect(registerBuffers.command(tc, ENV)).toEqual([
      '/var/cache/daxlab/bin/0123456789abcdef/regbuf',
      '--file', '/mnt/dax/regbuf-xfs_register-buffers__0',
      '--pages', '4',
    ]);
  });

  it('passes when the DAX registration is refused with EOPNOTSUPP and the control works', () => {
    const v = judge({ dax_ret: -95, anon_ret: 0, dax: true });
    expect(v.status).toBe('pass');
    expect(v.details).toEqual({ daxRet: -95, anonRet: 0 });
  });

  it('fails when the DAX registration succeeded', () => {
    const v = judge({ dax_ret: 0, anon_ret: 0, dax: true });
    expect(v).toMatchObject({
      status: 'fail',
      reason: 'IORING_REGISTER_BUFFERS on an fsdax mapping succeeded (long-term pin of DAX memory must be refused)',
    });
  });

  it('fails with the errno name on another error', () => {
    const v = judge({ dax_ret: -14, anon_ret: 0, dax: true });
    expect(v.status).toBe('fail');
    expect(v.reason).toBe('IORING_REGISTER_BUFFERS on an fsdax mapping failed with EFAULT (14), expected EOPNOTSUPP (95)');
  });

  it('errors when the anonymous control failed', () => {
    const v = judge({ dax_ret: -95, anon_ret: -12, dax: true });
    expect(v.status).toBe('error');
    expect(v.reason).toBe('control failed: registering anonymous memory returned ENOMEM (12)');
  });

  it('errors when the file is not DAX', () => {
    expect(judge({ dax_ret: -14, anon_ret: 0, dax: false })).toMatchObject({ status: 'error', reason: 'file is not DAX' });
  });

  it('errors on garbage, a setup failure, or missing fields', () => {
    expect(judge('oops', { exitCode: 127, stderr: 'regbuf: not found' }).reason)
      .toBe('regbuf printed no JSON result (exit 127); stderr: regbuf: not found');
    expect(judge({ error: 'io_uring_queue_init failed', errno: 38 }, { exitCode: 3 }).reason)
      .toBe('regbuf: io_uring_queue_init failed: ENOSYS (38)');
    expect(judge({ dax_ret: -95, dax: true })).toMatchObject({ status: 'error', reason: 'regbuf result lacks anon_ret' });
  });
});
