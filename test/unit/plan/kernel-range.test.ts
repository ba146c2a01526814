import { describe, expect, it } from 'vitest';
import { rangeProblem, releaseInRanges, releaseParts } from '../../../src/plan/kernel-range.js';

describe('releaseParts', () => {
  it('reads major, minor and patch from release strings, with suffixes', () => {
    expect(releaseParts('6.1.192')).toEqual([6, 1, 192]);
    expect(releaseParts('6.12.118-dirty')).toEqual([6, 12, 118]);
    expect(releaseParts('6.15-rc3')).toEqual([6, 15, 0]);
    expect(releaseParts('6.15.0-rc3-00012-gabcdef')).toEqual([6, 15, 0]);
    expect(releaseParts('vmlinuz')).toBeNull();
  });
});

describe('releaseInRanges', () => {
  it('a bare version is a prefix on whole components: 6.1 is every 6.1.x, not 6.12', () => {
    expect(releaseInRanges('6.1.192', ['6.1'])).toBe(true);
    expect(releaseInRanges('6.1.0', ['=6.1'])).toBe(true);
    expect(releaseInRanges('6.12.118', ['6.1'])).toBe(false);
    expect(releaseInRanges('6.1.192', ['6.1.192'])).toBe(true);
    expect(releaseInRanges('6.1.191', ['6.1.192'])).toBe(false);
    expect(releaseInRanges('6.1.192', ['6'])).toBe(true);
  });

  it('comparators in one range must all hold', () => {
    const r = ['>=6.12 <6.15'];
    expect(releaseInRanges('6.12.0', r)).toBe(true);
    expect(releaseInRanges('6.12.118', r)).toBe(true);
    expect(releaseInRanges('6.14.11', r)).toBe(true);
    expect(releaseInRanges('6.15.0', r)).toBe(false);
    expect(releaseInRanges('6.15.0-rc1', r)).toBe(false);
    expect(releaseInRanges('6.11.9', r)).toBe(false);
    expect(releaseInRanges('6.1.192', ['>6.1'])).toBe(false);
    expect(releaseInRanges('6.2.0', ['>6.1'])).toBe(true);
    expect(releaseInRanges('6.1.192', ['<=6.1'])).toBe(true);
    expect(releaseInRanges('6.1.192', ['>6.1.100 <6.1.200'])).toBe(true);
  });

  it('a list is a choice: any range may hold', () => {
    expect(releaseInRanges('6.1.192', ['6.1', '>=6.12 <6.15'])).toBe(true);
    expect(releaseInRanges('6.12.118', ['6.1', '>=6.12 <6.15'])).toBe(true);
    expect(releaseInRanges('6.6.60', ['6.1', '>=6.12 <6.15'])).toBe(false);
    expect(releaseInRanges('6.1.192', [])).toBe(false);
  });

  it('an unparsable release matches nothing', () => {
    expect(releaseInRanges('unknown', ['>=0'])).toBe(false);
  });
});

describe('rangeProblem', () => {
  it('accepts versions with optional operators, separated by spaces', () => {
    for (const ok of ['6.1', '=6.1', '>=6.12 <6.15', '  <6.15  ', '6.1.192', '>=6']) expect(rangeProblem(ok)).toBeNull();
  });

  it('names the first word that is not a comparator', () => {
    expect(rangeProblem('>=6.x')).toBe("'>=6.x' is not a version comparator; expected a version (6.1, 6.12.3), optionally after =, >=, >, <= or <");
    expect(rangeProblem('>=6.12,<6.15')).toMatch(/^'>=6.12,<6.15' is not/);
    expect(rangeProblem('6.1 || 6.12')).toMatch(/^'\|\|' is not/);
    expect(rangeProblem('v6.1')).toMatch(/^'v6.1' is not/);
    expect(rangeProblem('6.1.2.3')).toMatch(/^'6.1.2.3' is not/);
    expect(rangeProblem('   ')).toBe('expected a version range such as 6.1, >=6.12 or ">=6.12 <6.15"');
  });
});
