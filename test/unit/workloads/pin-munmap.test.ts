import { describe, expect, it } from 'vitest';
import { pinMunmap } from '../../../src/workloads/pin-munmap.js';
import { ENV, output, pinraceLine, testCase } from './fixtures.js';

const tc = testCase('pin-munmap', { pin: 'pread', race: 'truncate', index: 5, pages: 16 });

describe('pin-munmap', () => {
  it('runs pinrace with --unmap', () => {
    const argv = pinMunmap.command(tc, ENV);
    expect(argv[0]).toBe('/var/cache/daxlab/bin/0123456789abcdef/pinrace');
    expect(argv.slice(-3)).toEqual(['--lead-ms', '100', '--unmap']);
  });

  it('defaults to the pread pin at page 5 against truncate and punch', () => {
    expect(pinMunmap.params.pin!.default).toEqual(['pread']);
    expect(pinMunmap.params.race!.default).toEqual(['truncate', 'punch']);
    expect(pinMunmap.params.index!.default).toEqual([5]);
  });

  it('judges as pin-race and says the mapping was gone', () => {
    const waited = pinMunmap.judge(tc, output(pinraceLine({ over: { unmapped: true } })), ENV);
    expect(waited.status).toBe('pass');
    expect(waited.reason).toMatch(/^ftruncate waited for the pin .*\(mapping removed with munmap while the pin was held\)$/);
    const early = pinMunmap.judge(tc, output(pinraceLine({ raceAfterReadMs: -390 })), ENV);
    expect(early.status).toBe('fail');
    expect(early.reason).toMatch(/^ftruncate returned 387.6 ms before the pinned read completed \(pin at page 5\).*munmap/);
  });

  it('keeps errors as they are', () => {
    const v = pinMunmap.judge(tc, output({ error: 'munmap during the pin failed', errno: 22 }, { exitCode: 3 }), ENV);
    expect(v.status).toBe('error');
    expect(v.reason).not.toMatch(/mapping removed/);
  });
});
