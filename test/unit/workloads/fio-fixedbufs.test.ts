import { describe, expect, it } from 'vitest';
import { fioFixedbufs } from '../../../src/workloads/fio-fixedbufs.js';
import { fioReport, section } from './fio-fixtures.js';
import { ENV, output, testCase } from './fixtures.js';

const tc = testCase('fio-fixedbufs', { reads: 4 });

/** The script's stdout: the control run's report, the fsdax run's report, the exit line. */
function stdout(dax: string | null, control: string | null = fioReport({ reads: 1 })): string {
  return (control === null ? '' : section('JSON', 'control', control)) +
    (dax === null ? '' : section('JSON', 'fixedbufs', dax)) + '{"control_exit":0,"fio_exit":1}\n';
}
const judge = (dax: string | null, control?: string | null) =>
  fioFixedbufs.judge(tc, output(stdout(dax, control)), ENV);

describe('fio-fixedbufs', () => {
  it('runs the guest script with the bin dir, device, a DAX file and the read count', () => {
    const argv = fioFixedbufs.command(tc, ENV);
    expect(argv[0]).toBe('/var/cache/daxlab/bin/0123456789abcdef/fio-fixedbufs.sh');
    expect(argv.slice(1)).toEqual([ENV.binDir, '/dev/nullb0', '/mnt/dax/fiofixed-ext4_fio-fixedbufs_reads_4_0', '4']);
    expect(fioFixedbufs.inDefaultPlan).toBe(false);
  });

  it('passes when fio failed with EOPNOTSUPP before any I/O', () => {
    const v = judge(fioReport({ error: 95, reads: 0 }));
    expect(v).toMatchObject({
      status: 'pass',
      reason: 'fio could not register its buffer in an fsdax mapping: EOPNOTSUPP (95), before any I/O',
      timings: {},
      details: { fioError: 95, fioReads: 0, controlError: 0, controlReads: 1 },
    });
  });

  it('fails when fio registered the buffer and ran the reads', () => {
    const v = judge(fioReport({ error: 0, reads: 4, clatMeanNs: 500_700_000, clatMaxNs: 502_100_000 }));
    expect(v).toMatchObject({
      status: 'fail',
      reason: 'fio registered its buffer in an fsdax mapping (IORING_REGISTER_BUFFERS succeeded) and ran 4 reads; ' +
        'a long-term pin of DAX memory must be refused',
      timings: { clatMeanMs: 500.7, clatMaxMs: 502.1 },
    });
    expect(judge(fioReport({ error: 5, reads: 2 })).reason).toContain('ran 2 reads, then failed with EIO (5);');
  });

  it('fails when the setup failed with another errno, or neither failed nor read', () => {
    expect(judge(fioReport({ error: 14, reads: 0 }))).toMatchObject({
      status: 'fail', reason: "fio's fixed-buffer setup on an fsdax mapping failed with EFAULT (14), expected EOPNOTSUPP (95)",
    });
    expect(judge(fioReport({ error: 0, reads: 0 })).reason).toContain('failed with no error and no I/O');
  });

  it('errors when the anonymous-memory control failed', () => {
    expect(judge(fioReport({ error: 95, reads: 0 }), fioReport({ error: 12, reads: 0 }))).toMatchObject({
      status: 'error', reason: 'control failed: fio with fixedbufs on anonymous memory: ENOMEM (12)',
    });
    expect(judge(fioReport({ error: 95, reads: 0 }), fioReport({ reads: 0 })).reason).toContain('no read completed');
  });

  it('errors when a report is missing or does not parse, or the script failed', () => {
    expect(judge(null).reason).toBe('fio printed no JSON report for the fsdax run');
    expect(judge(fioReport(), null).reason).toBe('fio printed no JSON report for the control run');
    expect(judge('{ "jobs": [ {').reason).toBe('fio printed no JSON report for the fsdax run');
    const v = fioFixedbufs.judge(tc, output('{"error":"fio is not installed (apt-get install fio)","errno":0}\n', { exitCode: 3 }), ENV);
    expect(v).toMatchObject({ status: 'error', reason: 'fio-fixedbufs.sh: fio is not installed (apt-get install fio)' });
  });
});
