import { describe, expect, it } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import {
  defaultWorkloadNames,
  defaultWorkloadParamDefs,
  getWorkload,
  WORKLOADS,
  workloadParamDefs,
} from '../../../src/workloads/catalogue.js';
import { errnoName, nsToMs, parseResultLine, stderrTail } from '../../../src/workloads/guest-json.js';
import { ENV, testCase } from './fixtures.js';

describe('catalogue', () => {
  it('lists the workloads by name', () => {
    expect(Object.keys(WORKLOADS).sort()).toEqual([
      'busy-locked', 'busy-range', 'fault', 'fio-fixedbufs', 'fio-race', 'gup-longterm', 'multi-pin', 'pin-fault', 'pin-munmap', 'pin-race', 'pin-reuse', 'pin-signal', 'pin-unlink', 'register-buffers', 'window-reclaim',
    ]);
    for (const [name, w] of Object.entries(WORKLOADS)) {
      expect(w.name).toBe(name);
      expect(w.description.length).toBeGreaterThan(100);
      expect(w.command(testCase(name, {}), ENV)[0]).toMatch(/^\//);
    }
  });

  it('throws PLAN_INVALID for an unknown workload, naming the known ones', () => {
    expect(getWorkload('pin-race').name).toBe('pin-race');
    try {
      getWorkload('toString');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DaxlabError);
      expect((e as DaxlabError).code).toBe('PLAN_INVALID');
      expect((e as DaxlabError).message).toContain('pin-race, register-buffers, gup-longterm, pin-unlink, pin-munmap, pin-fault, pin-signal, pin-reuse, fio-fixedbufs, fio-race, busy-range, busy-locked, multi-pin, window-reclaim');
    }
  });

  it('gives the param definitions for the plan validator', () => {
    const defs = workloadParamDefs();
    expect(Object.keys(defs['pin-race']!).sort()).toEqual(['index', 'pages', 'pin', 'race']);
    expect(defs['pin-race']!.pin!.values).toEqual(['pread', 'io_uring', 'pwrite', 'preadv', 'io_uring_write', 'aio']);
    expect(defs['pin-race']!.race!.values).toEqual(
      ['truncate', 'punch', 'otrunc', 'zero', 'collapse', 'insert', 'clone', 'dedupe', 'scrub', 'unshare'],
    );
    expect(defs['register-buffers']).toEqual({});
    expect(Object.keys(defs['pin-unlink']!).sort()).toEqual(['index', 'pages', 'umount']);
    expect(defs['pin-signal']!.mode!.values).toEqual(['eintr', 'restart', 'kill']);
    expect(Object.keys(defs['pin-reuse']!).sort()).toEqual(['index', 'pages', 'pin']);
    expect(defs['pin-reuse']!.pin!.values).toEqual(['iopoll', 'pread']);
    expect(Object.keys(defs['fio-fixedbufs']!)).toEqual(['reads']);
    expect(Object.keys(defs['fio-race']!).sort()).toEqual(['index', 'reads']);
  });

  it('keeps the pin-race defaults exactly (the default plan must not grow)', () => {
    const pr = workloadParamDefs()['pin-race']!;
    expect(pr.pin!.default).toEqual(['pread', 'io_uring']);
    expect(pr.race!.default).toEqual(['truncate', 'punch']);
    expect(pr.index!.default).toEqual([0, 5]);
    expect(pr.pages!.default).toEqual([16]);
  });

  it('leaves pin-unlink, pin-signal, pin-reuse and the fio workloads out of the default plan', () => {
    expect(defaultWorkloadNames()).toEqual(['pin-race', 'register-buffers', 'gup-longterm', 'busy-range', 'multi-pin']);
    expect(Object.keys(defaultWorkloadParamDefs())).toEqual(['pin-race', 'register-buffers', 'gup-longterm', 'busy-range', 'multi-pin']);
    expect(defaultWorkloadParamDefs()['pin-race']).toBe(workloadParamDefs()['pin-race']);
    expect(WORKLOADS['pin-unlink']!.inDefaultPlan).toBe(false);
    expect(WORKLOADS['pin-signal']!.inDefaultPlan).toBe(false);
    for (const n of ['pin-reuse', 'fio-fixedbufs', 'fio-race']) expect(WORKLOADS[n]!.inDefaultPlan, n).toBe(false);
  });
});

describe('guest-json helpers', () => {
  it('takes the last JSON object line among noise', () => {
    expect(parseResultLine('warning\n{"a":1}\n{bad\n{"b":2}\n[1]\n')).toEqual({ b: 2 });
    expect(parseResultLine('')).toBeNull();
  });

  it('names errnos the Linux way and rounds ns to 0.1 ms', () => {
    expect(errnoName(95)).toBe('EOPNOTSUPP (95)');
    expect(errnoName(-5)).toBe('EIO (5)');
    expect(errnoName(9999)).toBe('errno 9999');
    expect(nsToMs(412_345_678)).toBe(412.3);
    expect(nsToMs(-3_160_000)).toBe(-3.2);
    expect(stderrTail('a\n\nb\nc\n', 2)).toBe('b | c');
  });
});
