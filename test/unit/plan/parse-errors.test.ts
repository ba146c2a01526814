import { describe, expect, it } from 'vitest';
import { parsePlanText } from '../../../src/plan/parse.js';
import { parseLines, planCtx, triples } from './fixtures.js';

const TOP = 'name, kernel, kernels, targets, backend, filesystems, workloads, repeats, timeouts, vm, known, expectedSkips, extends';

describe('parsePlanText: YAML syntax', () => {
  it('reports a duplicate key with its line', () => {
    const { plan, issues } = parseLines('name: a', 'repeats: 2', 'name: b');
    expect(plan).toBeUndefined();
    expect(triples(issues)).toEqual([[3, '', 'Map keys must be unique']]);
  });

  it('reports an unclosed flow sequence with a line number', () => {
    const { plan, issues } = parseLines('filesystems: [ext4, xfs', 'repeats: 2');
    expect(plan).toBeUndefined();
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ file: '/plans/plan.yaml', line: 2, field: '' });
    expect(issues[0]?.message).toMatch(/flow sequence/i);
  });

  it('reports bad indentation', () => {
    const { plan, issues } = parseLines('kernel:', '  label: x', ' patches: []');
    expect(plan).toBeUndefined();
    expect(issues.some((i) => i.line === 3 && i.field === '')).toBe(true);
  });

  it('reports a second document', () => {
    const { issues } = parseLines('name: a', '---', 'name: b');
    expect(triples(issues)).toEqual([[2, '', 'Source contains multiple documents; please use YAML.parseAllDocuments()']]);
  });

  it('reports an unknown tag', () => {
    const { issues } = parseLines('repeats: 1', 'name: !secret x');
    expect(triples(issues)).toEqual([[2, '', 'Unresolved tag: !secret']]);
  });

  it('keeps only the first line of parser messages', () => {
    const { issues } = parseLines('a: "unterminated');
    expect(issues.every((i) => !i.message.includes('\n'))).toBe(true);
  });
});

describe('parsePlanText: structure and types', () => {
  it('rejects a document that is not a mapping', () => {
    expect(triples(parseLines('- a', '- b').issues)).toEqual([[1, '', 'expected a mapping, got a list']]);
    expect(triples(parseLines('just text').issues)).toEqual([[1, '', "expected a mapping, got string 'just text'"]]);
  });

  it('reports every unknown key with the expected ones, at the key line', () => {
    const { issues } = parseLines('name: x', 'foo: 1', 'timeouts: { case: 1, kase: 2 }', 'vm:', '  cpu: 2');
    expect(triples(issues)).toEqual([
      [2, 'foo', `unknown key 'foo'; expected one of: ${TOP}`],
      [3, 'timeouts.kase', "unknown key 'kase'; expected one of: build, boot, case"],
      [5, 'vm.cpu', "unknown key 'cpu'; expected one of: cpus, memory, pmem, pinMs, logBuf, lanes, qemu, virtiofsd"],
    ]);
  });

  it('rejects non-scalar keys', () => {
    const { issues } = parseLines('? [a, b]', ': 1');
    expect(triples(issues)).toEqual([[1, '', 'expected a plain key, got a list']]);
  });

  it('names the expected type for wrong types', () => {
    const { issues } = parseLines(
      'name: 12',
      'kernel: [a]',
      'backend: { pmem: 1 }',
      'filesystems: { ext4: true }',
      'workloads: { idle: 1 }',
      'repeats: two',
      'timeouts: 5',
      'vm: yes',
    );
    expect(triples(issues)).toEqual([
      [1, 'name', 'expected a string, got number 12'],
      [2, 'kernel', 'expected a mapping, got a list'],
      [3, 'backend', 'expected a string, got a mapping'],
      [4, 'filesystems', 'expected a list, got a mapping'],
      [5, 'workloads', 'expected a list, got a mapping'],
      [6, 'repeats', "expected a positive integer, got string 'two'"],
      [7, 'timeouts', 'expected a mapping, got number 5'],
      [8, 'vm', "expected a mapping, got string 'yes'"],
    ]);
  });

  it('rejects an empty name and label', () => {
    const { issues } = parseLines("name: ''", 'kernel:', "  label: ''");
    expect(triples(issues)).toEqual([
      [1, 'name', 'expected a non-empty string'],
      [3, 'kernel.label', 'expected a non-empty string'],
    ]);
  });

  it('collects issues from every section in one pass, in line order', () => {
    const { plan, issues } = parseLines(
      'backend: nvme',
      'filesystems: [ext4, ext4, btrfs]',
      'repeats: 0',
      'timeouts: { build: -1, boot: 1.5, case: "60" }',
      'vm: { cpus: 0, memory: 1G, pmem: true, pinMs: null }',
      'kernel: { patches: [gone.patch] }',
      'workloads: [nope]',
    );
    expect(plan).toBeUndefined();
    expect(triples(issues)).toEqual([
      [1, 'backend', "unknown value 'nvme'; expected one of: pmem, virtio-pmem, virtiofs"],
      [2, 'filesystems[1]', "duplicate filesystem 'ext4'"],
      [2, 'filesystems[2]', "unknown value 'btrfs'; expected one of: ext4, xfs, virtiofs"],
      [3, 'repeats', 'expected a positive integer, got number 0'],
      [4, 'timeouts.build', 'expected a positive integer, got number -1'],
      [4, 'timeouts.boot', 'expected a positive integer, got number 1.5'],
      [4, 'timeouts.case', "expected a positive integer, got string '60'"],
      [5, 'vm.cpus', 'expected a positive integer, got number 0'],
      [5, 'vm.memory', "expected a positive integer, got string '1G'"],
      [5, 'vm.pmem', 'expected a positive integer, got boolean true'],
      [6, 'kernel.patches[0]', 'patch file not found: /plans/gone.patch'],
      [7, 'workloads[0]', "unknown workload 'nope'; expected one of: pin-race, idle"],
    ]);
  });

  it('rejects an empty filesystems list', () => {
    expect(triples(parseLines('filesystems: []').issues)).toEqual([[1, 'filesystems', 'expected at least one filesystem']]);
  });

  it('rejects a null list item', () => {
    expect(triples(parseLines('filesystems:', '  - ext4', '  -').issues)).toEqual([
      [3, 'filesystems[1]', "expected a string, got nothing"],
    ]);
  });

  it('reports a missing vm tool path but allows a bare command name', () => {
    const { issues } = parseLines('vm: { qemu: ./no-such-qemu, virtiofsd: /usr/libexec/virtiofsd }');
    expect(triples(issues)).toEqual([
      [1, 'vm.qemu', 'file not found: /plans/no-such-qemu'],
      [1, 'vm.virtiofsd', 'file not found: /usr/libexec/virtiofsd'],
    ]);
    expect(parseLines('vm: { qemu: qemu-system-x86_64 }').plan?.vm.qemu).toBe('qemu-system-x86_64');
  });

  it('names the file it was given in every issue', () => {
    const { issues } = parsePlanText('repeats: 0\n', 'plans/x.yaml', planCtx());
    expect(issues).toEqual([{ file: 'plans/x.yaml', line: 1, field: 'repeats', message: 'expected a positive integer, got number 0' }]);
  });
});
