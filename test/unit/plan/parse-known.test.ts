import { dirname, join, resolve } from 'node:path';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandPlan } from '../../../src/plan/expand.js';
import { globMatches } from '../../../src/plan/glob.js';
import { parsePlanText } from '../../../src/plan/parse.js';
import { workloadParamDefs } from '../../../src/workloads/catalogue.js';
import { parseLines, triples } from './fixtures.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('globMatches', () => {
  it('* matches any run of characters, slashes included; the whole id must match', () => {
    expect(globMatches('*/pin-unlink/*', 'ext4/pin-unlink/-#1')).toBe(true);
    expect(globMatches('*/pin-unlink/*', 'xfs/pin-unlink/mode=close#3')).toBe(true);
    expect(globMatches('*pin-unlink*', 'a/b/pin-unlink/c')).toBe(true);
    expect(globMatches('*/pin-unlink/*', 'ext4/pin-unlinked/-#1')).toBe(false);
    expect(globMatches('ext4/*', 'xfs/ext4/-#1')).toBe(false);
    expect(globMatches('*', '')).toBe(true);
  });

  it('treats every other character literally', () => {
    expect(globMatches('ext4/pin-race/index=5,pin=pread,race=truncate#1', 'ext4/pin-race/index=5,pin=pread,race=truncate#1')).toBe(true);
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('a?b', 'axb')).toBe(false);
    expect(globMatches('a?b', 'a?b')).toBe(true);
    expect(globMatches('(x)+[y]{1}|^$\\', '(x)+[y]{1}|^$\\')).toBe(true);
    expect(globMatches('a*b', 'a\nb')).toBe(true);
  });
});

describe('parsePlanText: known', () => {
  it('defaults to an empty list (absent or null)', () => {
    expect(parseLines('name: x').plan?.known).toEqual([]);
    expect(parseLines('known:').plan?.known).toEqual([]);
    expect(parseLines('known: []').plan?.known).toEqual([]);
  });

  it('reads entries in order', () => {
    const { plan, issues } = parseLines(
      'known:',
      '  - case: "*/pin-race/*race=punch*"',
      '    reason: punch does not wait',
      '    ref: https://lore.kernel.org/x',
      '  - { case: ext4/idle/-#1, reason: "r", ref: abc123 }',
    );
    expect(issues).toEqual([]);
    expect(plan?.known).toEqual([
      { case: '*/pin-race/*race=punch*', reason: 'punch does not wait', ref: 'https://lore.kernel.org/x' },
      { case: 'ext4/idle/-#1', reason: 'r', ref: 'abc123' },
    ]);
  });

  it('reports a non-list and non-mapping entries', () => {
    expect(triples(parseLines('known: { case: x }').issues)).toEqual([[1, 'known', 'expected a list, got a mapping']]);
    expect(triples(parseLines('known: "*"').issues)).toEqual([[1, 'known', "expected a mapping, got string '*'"]]);
    expect(triples(parseLines('known:', '  - [a]').issues)).toEqual([[2, 'known[0]', 'expected a mapping, got a list']]);
  });

  it('reports unknown keys and every missing required key at the entry line', () => {
    const { plan, issues } = parseLines('known:', '  - case: "*"', '    why: x', '  - ref: r');
    expect(plan).toBeUndefined();
    expect(triples(issues)).toEqual([
      [2, 'known[0].reason', "missing required key 'reason'"],
      [2, 'known[0].ref', "missing required key 'ref'"],
      [3, 'known[0].why', "unknown key 'why'; expected one of: case, reason, ref, kernels"],
      [4, 'known[1].case', "missing required key 'case'"],
      [4, 'known[1].reason', "missing required key 'reason'"],
    ]);
  });

  it('reports wrong types and empty or blank strings with their lines', () => {
    const { issues } = parseLines(
      'known:',
      '  - case: 5',
      '    reason: ""',
      '    ref: "   "',
      '  - case: "*"',
      '    reason: [a]',
      '    ref: true',
    );
    expect(triples(issues)).toEqual([
      [2, 'known[0].case', 'expected a string, got number 5'],
      [3, 'known[0].reason', 'expected a non-empty string'],
      [4, 'known[0].ref', 'expected a non-empty string'],
      [6, 'known[1].reason', 'expected a string, got a list'],
      [7, 'known[1].ref', 'expected a string, got boolean true'],
    ]);
  });

  it('catches a filesystem or workload that no case can have', () => {
    const { issues } = parseLines(
      'known:',
      '  - { case: "*/pin-unlnk/*", reason: r, ref: x }',
      '  - { case: "btrfs/pin-race/*", reason: r, ref: x }',
      '  - { case: "*/pin-ra*/*", reason: r, ref: x }',
      '  - { case: "*unlnk*", reason: r, ref: x }',
    );
    expect(triples(issues)).toEqual([
      [2, 'known[0].case', "'pin-unlnk' matches no workload; expected one of: pin-race, idle (or *)"],
      [3, 'known[1].case', "'btrfs' matches no filesystem; expected one of: ext4, xfs, virtiofs (or *)"],
    ]);
  });

  it('reports a duplicate case glob', () => {
    const { issues } = parseLines('known:', '  - { case: "*", reason: a, ref: x }', '  - { case: "*", reason: b, ref: y }');
    expect(triples(issues)).toEqual([[3, 'known[1].case', "duplicate known issue for case '*'"]]);
  });

  it('reads kernels: one range or a list of them, unquoted versions kept as written', () => {
    const { plan, issues } = parseLines(
      'known:',
      '  - { case: "*", reason: a, ref: x, kernels: ">=6.12   <6.15" }',
      '  - { case: "*", reason: b, ref: y, kernels: [6.1, 6.10, "=6.6.60"] }',
      '  - { case: "*", reason: c, ref: z }',
    );
    expect(issues).toEqual([]);
    expect(plan?.known.map((k) => k.kernels)).toEqual([['>=6.12 <6.15'], ['6.1', '6.10', '=6.6.60'], undefined]);
  });

  it('allows the same glob once per kernel scope, and reports a repeated scope', () => {
    const ok = parseLines('known:', '  - { case: "*", reason: a, ref: x, kernels: "6.1" }', '  - { case: "*", reason: b, ref: y, kernels: ">=6.12" }', '  - { case: "*", reason: c, ref: z }');
    expect(ok.issues).toEqual([]);
    const dup = parseLines('known:', '  - { case: "*", reason: a, ref: x, kernels: "6.1" }', '  - { case: "*", reason: b, ref: y, kernels: ["6.1"] }');
    expect(triples(dup.issues)).toEqual([[3, 'known[1].case', "duplicate known issue for case '*' and kernels 6.1"]]);
  });

  it('reports bad kernels values with file, line and field', () => {
    const { plan, issues } = parseLines(
      'known:',
      '  - case: "*"',
      '    reason: a',
      '    ref: x',
      '    kernels: ">=6.x <6.15"',
      '  - case: "*"',
      '    reason: b',
      '    ref: y',
      '    kernels:',
      '      - "6.1"',
      '      - true',
      '      - "6.1 || 6.12"',
      '  - { case: "*", reason: c, ref: z, kernels: [] }',
      '  - { case: "*", reason: d, ref: w, kernels: { min: 6.1 } }',
    );
    expect(plan).toBeUndefined();
    expect(issues.every((i) => i.file === '/plans/plan.yaml')).toBe(true);
    expect(triples(issues)).toEqual([
      [5, 'known[0].kernels', "'>=6.x' is not a version comparator; expected a version (6.1, 6.12.3), optionally after =, >=, >, <= or <"],
      [11, 'known[1].kernels[1]', 'expected a string, got boolean true'],
      [12, 'known[1].kernels[2]', "'||' is not a version comparator; expected a version (6.1, 6.12.3), optionally after =, >=, >, <= or <"],
      [13, 'known[2].kernels', 'expected at least one version range, such as 6.1 or ">=6.12 <6.15"'],
      [14, 'known[3].kernels', 'expected a list, got a mapping'],
    ]);
  });
});

describe('plans/catalogue.yaml', () => {
  const file = join(ROOT, 'plans/catalogue.yaml');
  const ctx = { baseDir: dirname(file), configsDir: join(ROOT, 'kernel-configs'), fileExists: existsSync, knownWorkloads: workloadParamDefs() };
  const { plan, issues } = parsePlanText(readFileSync(file, 'utf8'), file, ctx);

  it('parses and lists the pin-unlink eviction, pin-munmap and busy-locked issues, then the 6.1 lost wakeup', () => {
    expect(issues).toEqual([]);
    expect(plan?.known).toHaveLength(17);
    const for61 = plan!.known.slice(3);
    const waiting = ['truncate', 'otrunc', 'punch', 'zero', 'collapse', 'insert', 'clone', 'dedupe', 'unshare'];
    expect(for61.map((k) => k.case)).toEqual([...waiting.map((r) => `*/pin-race/*race=${r}*`),
      '*/pin-reuse/*', '*/fio-race/*', '*/pin-fault/*', '*/pin-signal/mode=restart*', '*/pin-signal/mode=kill*']);
    for (const k of for61) expect(JSON.stringify(k)).toMatch(/folio_put_refs/);
    expect(plan?.known[2]?.case).toBe('*/busy-locked/*');
    expect(plan?.known[2]?.reason).toContain('xas_find_conflict');
    expect(plan?.known[1]?.case).toBe('*/pin-munmap/*');
    expect(plan?.known[1]?.reason).toContain('mapping_mapped');
    expect(plan?.known[0]?.case).toBe('*/pin-unlink/*');
    expect(plan?.known[0]?.reason).toContain('dax_disassociate_entry');
    expect(plan?.known[0]?.ref).toContain('fs/dax: properly refcount fs dax pages');
  });

  it('scopes the 6.1 lost wakeup to the racers that wait: every pin-race case but race=scrub', () => {
    const cases = expandPlan(plan!).filter((c) => c.workload === 'pin-race');
    const hit = (id: string) => plan!.known.slice(3, 12).some((k) => globMatches(k.case, id));
    expect(cases.filter((c) => !hit(c.id)).every((c) => c.params.race === 'scrub')).toBe(true);
    expect(cases.filter((c) => c.params.race === 'scrub').some((c) => hit(c.id))).toBe(false);
  });

  it('matches exactly the pin-unlink cases, on ext4 and on xfs', () => {
    const cases = expandPlan(plan!);
    const matched = cases.filter((c) => globMatches(plan!.known[0]!.case, c.id));
    expect(matched.length).toBeGreaterThan(0);
    expect(matched.every((c) => c.workload === 'pin-unlink')).toBe(true);
    expect(matched.length).toBe(cases.filter((c) => c.workload === 'pin-unlink').length);
    expect(new Set(matched.map((c) => c.fs))).toEqual(new Set(['ext4', 'xfs']));
  });
});
