import { describe, expect, it } from 'vitest';
import { parseLines, triples } from './fixtures.js';

describe('workloads', () => {
  it('takes bare names and {name, params} entries in order', () => {
    const { plan, issues } = parseLines(
      'workloads:',
      '  - idle',
      '  - name: pin-race',
      '    params:',
      '      pin: [vmsplice]',
      '      index: [0, 1, 2]',
    );
    expect(issues).toEqual([]);
    expect(plan?.workloads).toEqual([
      { name: 'idle', params: {} },
      { name: 'pin-race', params: { pin: ['vmsplice'], race: ['truncate'], index: [0, 1, 2] } },
    ]);
  });

  it('reports unknown workloads listing the valid ones', () => {
    expect(triples(parseLines('workloads:', '  - idle', '  - name: pin-rice').issues)).toEqual([
      [3, 'workloads[1].name', "unknown workload 'pin-rice'; expected one of: pin-race, idle"],
    ]);
  });

  it('does not treat Object prototype names as workloads', () => {
    expect(triples(parseLines('workloads: [constructor]').issues)).toEqual([
      [1, 'workloads[0]', "unknown workload 'constructor'; expected one of: pin-race, idle"],
    ]);
  });

  it('reports unknown params listing the valid ones', () => {
    expect(triples(parseLines('workloads:', '  - name: pin-race', '    params:', '      pins: [pread]').issues)).toEqual([
      [4, 'workloads[0].params.pins', "unknown key 'pins'; expected one of: pin, race, index"],
    ]);
  });

  it('reports params on a workload that has none', () => {
    expect(triples(parseLines('workloads:', '  - name: idle', '    params: { x: 1 }').issues)).toEqual([
      [3, 'workloads[0].params.x', "unknown key 'x'; no keys are allowed here"],
    ]);
  });

  it('reports values outside the allowed ones, each at its own line', () => {
    const { issues } = parseLines(
      'workloads:',
      '  - name: pin-race',
      '    params:',
      '      pin:',
      '        - pread',
      '        - splice',
      '      race:',
      '        - 3',
    );
    expect(triples(issues)).toEqual([
      [6, 'workloads[0].params.pin[1]', "unknown value 'splice'; expected one of: pread, io_uring, vmsplice"],
      [8, 'workloads[0].params.race[0]', "unknown value '3'; expected one of: truncate, punch"],
    ]);
  });

  it('integer params take only non-negative integers', () => {
    const { issues } = parseLines(
      'workloads:',
      '  - name: pin-race',
      '    params:',
      '      index: [0, -1, 1.5, "2", two, [3]]',
    );
    expect(triples(issues)).toEqual([
      [4, 'workloads[0].params.index[1]', 'expected a non-negative integer, got number -1'],
      [4, 'workloads[0].params.index[2]', 'expected a non-negative integer, got number 1.5'],
      [4, 'workloads[0].params.index[3]', "expected a non-negative integer, got string '2'"],
      [4, 'workloads[0].params.index[4]', "expected a non-negative integer, got string 'two'"],
      [4, 'workloads[0].params.index[5]', 'expected a non-negative integer, got a list'],
    ]);
  });

  it('the example path from the docs: workloads[1].params.index[0]', () => {
    const { issues } = parseLines('workloads:', '  - idle', '  - name: pin-race', '    params: { index: [x] }');
    expect(triples(issues)).toEqual([[4, 'workloads[1].params.index[0]', "expected a non-negative integer, got string 'x'"]]);
  });

  it('reports duplicate and empty value lists', () => {
    const { issues } = parseLines('workloads:', '  - name: pin-race', '    params: { pin: [pread, pread], index: [] }');
    expect(triples(issues)).toEqual([
      [3, 'workloads[0].params.pin[1]', "duplicate value 'pread'"],
      [3, 'workloads[0].params.index', 'expected at least one value'],
    ]);
  });

  it('reports a missing name, unknown entry keys and wrong entry types', () => {
    const { issues } = parseLines('workloads:', '  - params: { pin: pread }', '  - { name: idle, repeat: 2 }', '  - [idle]', '  - name: 5');
    expect(triples(issues)).toEqual([
      [2, 'workloads[0].name', "missing required key 'name'"],
      [3, 'workloads[1].repeat', "unknown key 'repeat'; expected one of: name, params"],
      [4, 'workloads[2]', 'expected a mapping, got a list'],
      [5, 'workloads[3].name', 'expected a string, got number 5'],
    ]);
  });

  it('reports a params value that is not a mapping', () => {
    expect(triples(parseLines('workloads:', '  - name: pin-race', '    params: [pin]').issues)).toEqual([
      [3, 'workloads[0].params', 'expected a mapping, got a list'],
    ]);
  });

  it('rejects an empty workloads list', () => {
    expect(triples(parseLines('workloads: []').issues)).toEqual([[1, 'workloads', 'expected at least one workload']]);
  });
});

describe('workloads absent', () => {
  it('runs only the default workloads, never opt-in ones like fault injection', async () => {
    const { parsePlanText } = await import('../../../src/plan/parse.js');
    const { planCtx } = await import('./fixtures.js');
    const { plan, issues } = parsePlanText('name: p\n', 'p.yaml', planCtx({ defaultWorkloadNames: ['idle'] }));
    expect(issues).toEqual([]);
    expect(plan?.workloads.map((w) => w.name)).toEqual(['idle']);
  });
});
