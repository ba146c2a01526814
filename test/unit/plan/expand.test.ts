import { describe, expect, it } from 'vitest';
import { caseId, expandPlan, paramCombos } from '../../../src/plan/expand.js';
import { parseLines } from './fixtures.js';

describe('expandPlan', () => {
  it('expands fs x workload x params x repeat, grouped by fs', () => {
    const plan = parseLines(
      'filesystems: [ext4, xfs]',
      'repeats: 2',
      'timeouts: { case: 42 }',
      'workloads:',
      '  - idle',
      '  - name: pin-race',
      '    params: { race: [truncate, punch], pin: [pread, io_uring], index: 5 }',
    ).plan!;
    const cases = expandPlan(plan);
    // per fs: idle (1 combo) + pin-race (2 x 2 x 1 combos), each x 2 repeats
    expect(cases).toHaveLength(2 * (1 + 4) * 2);
    expect(cases.slice(0, 10).map((c) => c.id)).toEqual([
      'ext4/idle/-#1',
      'ext4/idle/-#2',
      'ext4/pin-race/index=5,pin=pread,race=truncate#1',
      'ext4/pin-race/index=5,pin=pread,race=truncate#2',
      'ext4/pin-race/index=5,pin=pread,race=punch#1',
      'ext4/pin-race/index=5,pin=pread,race=punch#2',
      'ext4/pin-race/index=5,pin=io_uring,race=truncate#1',
      'ext4/pin-race/index=5,pin=io_uring,race=truncate#2',
      'ext4/pin-race/index=5,pin=io_uring,race=punch#1',
      'ext4/pin-race/index=5,pin=io_uring,race=punch#2',
    ]);
    expect(cases.slice(10).every((c) => c.fs === 'xfs')).toBe(true);
    expect(cases[2]).toEqual({
      id: 'ext4/pin-race/index=5,pin=pread,race=truncate#1',
      fs: 'ext4',
      workload: 'pin-race',
      params: { index: 5, pin: 'pread', race: 'truncate' },
      repeat: 1,
      timeoutSec: 42,
    });
  });

  it('gives unique ids, running a case listed twice once', () => {
    const plan = parseLines('filesystems: [xfs]', 'workloads:', '  - idle', '  - idle', '  - { name: pin-race, params: { index: [0, 1] } }', '  - { name: pin-race, params: { index: [1, 2] } }').plan!;
    const ids = expandPlan(plan).map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id.startsWith('xfs/pin-race/index=1,'))).toHaveLength(2); // pread + io_uring
    expect(ids).toHaveLength(1 + 3 * 2);
  });

  it('cases do not share params objects', () => {
    const cases = expandPlan(parseLines('repeats: 2', 'filesystems: [ext4]', 'workloads: [pin-race]').plan!);
    cases[0]!.params['index'] = 99;
    expect(cases[1]!.params['index']).toBe(0);
  });

  it('the default plan expands every workload on both filesystems', () => {
    expect(expandPlan(parseLines('').plan!).map((c) => c.id)).toEqual([
      'ext4/pin-race/index=0,pin=pread,race=truncate#1',
      'ext4/pin-race/index=0,pin=io_uring,race=truncate#1',
      'ext4/idle/-#1',
      'xfs/pin-race/index=0,pin=pread,race=truncate#1',
      'xfs/pin-race/index=0,pin=io_uring,race=truncate#1',
      'xfs/idle/-#1',
    ]);
  });
});

describe('paramCombos and caseId', () => {
  it('no params is one empty combination', () => {
    expect(paramCombos({})).toEqual([{}]);
    expect(caseId('ext4', 'idle', {}, 3)).toBe('ext4/idle/-#3');
  });

  it('orders keys by name whatever the insertion order', () => {
    expect(caseId('xfs', 'w', { z: 1, a: 'x' }, 1)).toBe('xfs/w/a=x,z=1#1');
    expect(paramCombos({ b: [1, 2], a: ['x'] })).toEqual([{ a: 'x', b: 1 }, { a: 'x', b: 2 }]);
  });

  it('an empty value list yields no combinations', () => {
    expect(paramCombos({ a: [] })).toEqual([]);
  });
});
