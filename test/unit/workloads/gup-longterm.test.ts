import { describe, expect, it } from 'vitest';
import { gupLongterm, readGupRun } from '../../../src/workloads/gup-longterm.js';
import { ENV, output, testCase } from './fixtures.js';

const tc = testCase('gup-longterm', { mib: 2 }, 'xfs/gup-longterm/mib=2#0');
const BYTES = 2 * 1024 * 1024;

/** gup_test's output (6.12) for one run; size is what it pinned (undefined: all of it). */
function ktap(cmd: string, size?: number, status = 0): string {
  const time = cmd === 'PIN_BASIC_TEST' ? `# ${cmd}: done` : `# ${cmd}: Time: get:1200 put:300 us`;
  const trunc = size === undefined ? '' : cmd === 'PIN_BASIC_TEST' ? `\n# Truncated (size: ${size})` : `, truncated (size: ${size})`;
  return `TAP version 13\n1..1\n${time}${trunc}\n${status === 0 ? 'ok' : 'not ok'} 1 ioctl status ${status}\n# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0`;
}

function stdout(runs: { anon?: string; basic?: string; longterm?: string }, exits = { anon: 0, basic: 0, longterm: 0 }): string {
  const part = (name: string, text?: string) => (text === undefined ? '' : `DAXLAB-KTAP-BEGIN ${name}\n${text}\nDAXLAB-KTAP-END ${name}\n`);
  return (
    part('anon-longterm', runs.anon) +
    part('dax-basic', runs.basic) +
    part('dax-longterm', runs.longterm) +
    `{"anon_exit":${exits.anon},"basic_exit":${exits.basic},"longterm_exit":${exits.longterm},"bytes":${BYTES}}\n`
  );
}

const judge = (text: string) => gupLongterm.judge(tc, output(text), ENV);
const GOOD = { anon: ktap('PIN_LONGTERM_BENCHMARK'), basic: ktap('PIN_BASIC_TEST'), longterm: ktap('PIN_LONGTERM_BENCHMARK', 0) };

describe('gup-longterm', () => {
  it('runs the guest script with the bin dir, a per-case file and the size', () => {
    expect(gupLongterm.command(tc, ENV)).toEqual([
      '/var/cache/daxlab/bin/0123456789abcdef/gup-longterm.sh',
      '/var/cache/daxlab/bin/0123456789abcdef',
      '/mnt/dax/guplt-xfs_gup-longterm_mib_2_0',
      '2',
    ]);
  });

  it('reads the pinned size and times of one run', () => {
    expect(readGupRun(ktap('PIN_LONGTERM_BENCHMARK', 0), BYTES)).toMatchObject({ pinnedBytes: 0, getUs: 1200, putUs: 300 });
    expect(readGupRun(ktap('PIN_LONGTERM_BENCHMARK'), BYTES).pinnedBytes).toBe(BYTES);
    expect(readGupRun(ktap('PIN_BASIC_TEST', 4096), BYTES).pinnedBytes).toBe(4096);
  });

  it('passes when the long-term pin of the DAX mapping pinned nothing and both controls pinned all', () => {
    const v = judge(stdout(GOOD));
    expect(v.status).toBe('pass');
    expect(v.timings).toEqual({ anonLongtermGetMs: 1.2, daxLongtermGetMs: 1.2 });
    expect(v.details).toMatchObject({ daxLongtermPinnedBytes: 0, daxBasicPinnedBytes: BYTES });
  });

  it('fails when the long-term pin of the DAX mapping pinned pages', () => {
    const v = judge(stdout({ ...GOOD, longterm: ktap('PIN_LONGTERM_BENCHMARK') }));
    expect(v).toMatchObject({ status: 'fail', reason: `gup_test PIN_LONGTERM pinned ${BYTES} of ${BYTES} bytes of an fsdax mapping (FOLL_LONGTERM on fsdax must be refused)` });
    expect(judge(stdout({ ...GOOD, longterm: ktap('PIN_LONGTERM_BENCHMARK', 8192) })).status).toBe('fail');
  });

  it('is an error, never a pass, when a control fails', () => {
    expect(judge(stdout({ ...GOOD, anon: ktap('PIN_LONGTERM_BENCHMARK', 0) }))).toMatchObject({
      status: 'error',
      reason: `control failed: PIN_LONGTERM of anonymous memory pinned 0 of ${BYTES} bytes`,
    });
    expect(judge(stdout({ ...GOOD, basic: ktap('PIN_BASIC_TEST', 0) })).reason).toMatch(/^control failed: PIN_BASIC/);
  });

  it('is an error when a run is missing, incomplete or exits non-zero', () => {
    expect(judge(stdout({ anon: GOOD.anon, basic: GOOD.basic })).reason).toBe('gup_test -L (DAX) printed no output section');
    expect(judge(stdout({ ...GOOD, basic: 'TAP version 13\n1..1\nBail out! mmap: No such device' })).reason).toMatch(/^gup_test -b \(DAX\): bailed out/);
    expect(judge(stdout(GOOD, { anon: 0, basic: 0, longterm: 1 })).reason).toBe('gup_test -L (DAX) exited with 1');
  });

  it('reads the plain output of gup_test before 6.3 (selftests/vm, no KTAP), as 6.1 prints it', () => {
    const plain = (cmd: string, size?: number) => {
      if (cmd === 'PIN_BASIC_TEST') return `${cmd}: done${size === undefined ? '' : `\nTruncated (size: ${size})`}`;
      return `${cmd}: Time: get:1200 put:300 us${size === undefined ? '' : `, truncated (size: ${size})`}`;
    };
    expect(readGupRun(plain('PIN_LONGTERM_BENCHMARK', 0), BYTES)).toMatchObject({ format: 'plain', pinnedBytes: 0, getUs: 1200, putUs: 300 });
    expect(readGupRun(plain('PIN_BASIC_TEST', 4096), BYTES)).toMatchObject({ format: 'plain', pinnedBytes: 4096 });
    const good = { anon: plain('PIN_LONGTERM_BENCHMARK'), basic: plain('PIN_BASIC_TEST'), longterm: plain('PIN_LONGTERM_BENCHMARK', 0) };
    expect(judge(stdout(good))).toMatchObject({ status: 'pass', timings: { anonLongtermGetMs: 1.2, daxLongtermGetMs: 1.2 } });
    expect(judge(stdout({ ...good, longterm: plain('PIN_LONGTERM_BENCHMARK') })).status).toBe('fail');
    // A run that died before its result line (6.1 gup_test calls perror("ioctl") and exits 1).
    expect(judge(stdout({ ...good, basic: 'ioctl: Bad address' }, { anon: 0, basic: 1, longterm: 0 })).reason).toBe(
      'gup_test -b (DAX): printed neither KTAP nor a result line: ioctl: Bad address',
    );
  });

  it('skips with the reason the guest gives when the kernel has no gup_test', () => {
    const v = judge('{"skip":"the kernel under test has no gup_test selftest (built without CONFIG_GUP_TEST: add the gup_test config fragment)"}\n');
    expect(v.status).toBe('skip');
    expect(v.reason).toMatch(/CONFIG_GUP_TEST/);
  });
});
