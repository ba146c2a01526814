import { describe, expect, it } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import { fullCaseName, parseCaseNames, selectCases } from '../../../src/plan/select.js';
import type { TestCase } from '../../../src/plan/types.js';

function tc(id: string, kernel?: string, target?: string): TestCase {
  return { id, fs: 'ext4', workload: 'pin-race', params: {}, repeat: 1, timeoutSec: 60, ...(kernel ? { kernel } : {}), ...(target ? { target } : {}) };
}

describe('fullCaseName', () => {
  it('joins kernel, target and id', () => {
    expect(fullCaseName(tc('ext4/pin-race/index=5#1', 'patched', 'arm64'))).toBe('patched@arm64:ext4/pin-race/index=5#1');
  });

  it('uses stock and local when the case has no kernel or target', () => {
    expect(fullCaseName(tc('xfs/idle/-#2'))).toBe('stock@local:xfs/idle/-#2');
    expect(fullCaseName(tc('xfs/idle/-#2', 'v6.12'))).toBe('v6.12@local:xfs/idle/-#2');
    expect(fullCaseName(tc('xfs/idle/-#2', undefined, 'box'))).toBe('stock@box:xfs/idle/-#2');
  });

  it('uses the given defaults', () => {
    expect(fullCaseName(tc('a#1'), 'k', 't')).toBe('k@t:a#1');
    expect(fullCaseName(tc('a#1', 'real', 'there'), 'k', 't')).toBe('real@there:a#1');
  });
});

describe('parseCaseNames', () => {
  it('keeps names in order, trimmed, dropping blank lines and # comments', () => {
    const text = '# cases of shard 1\n\nstock@local:ext4/a/-#1\n   \n  stock@local:xfs/b/x=1#2  \n\t# indented comment\nk@t:ext4/c/-#1\n';
    expect(parseCaseNames(text)).toEqual(['stock@local:ext4/a/-#1', 'stock@local:xfs/b/x=1#2', 'k@t:ext4/c/-#1']);
  });

  it('reads a last line without a newline and CRLF line ends', () => {
    expect(parseCaseNames('a@b:c#1\r\nd@e:f#1')).toEqual(['a@b:c#1', 'd@e:f#1']);
  });

  it('keeps a # that is not at the start of the line (ids end in #<repeat>)', () => {
    expect(parseCaseNames('stock@local:ext4/a/-#3')).toEqual(['stock@local:ext4/a/-#3']);
  });

  it('gives nothing for empty or comment-only text', () => {
    expect(parseCaseNames('')).toEqual([]);
    expect(parseCaseNames('\n\n# only\n')).toEqual([]);
  });
});

describe('selectCases', () => {
  const all = [tc('ext4/a/-#1', 'k1', 'x'), tc('ext4/b/-#1', 'k1', 'x'), tc('ext4/a/-#1', 'k2', 'x'), tc('xfs/c/-#1')];

  it('returns the named cases in plan order, whatever the order of the names', () => {
    const picked = selectCases(all, ['stock@local:xfs/c/-#1', 'k2@x:ext4/a/-#1', 'k1@x:ext4/a/-#1'], 'cases.txt');
    expect(picked).toEqual([all[0], all[2], all[3]]);
  });

  it('tells the same id on two kernels apart', () => {
    expect(selectCases(all, ['k2@x:ext4/a/-#1'], 'f')).toEqual([all[2]]);
  });

  it('tolerates a name listed twice, returning the case once', () => {
    expect(selectCases(all, ['k1@x:ext4/b/-#1', 'k1@x:ext4/b/-#1'], 'f')).toEqual([all[1]]);
  });

  it('returns nothing for no names', () => {
    expect(selectCases(all, [], 'f')).toEqual([]);
  });

  it('throws USAGE naming the source and the first unknown case', () => {
    let err: unknown;
    try {
      selectCases(all, ['k1@x:ext4/a/-#1', 'k3@x:ext4/a/-#1', 'k1@y:ext4/a/-#1'], 'shard-7.txt');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DaxlabError);
    const d = err as DaxlabError;
    expect(d.code).toBe('USAGE');
    expect(d.exitCode).toBe(2);
    expect(d.message).toContain('shard-7.txt');
    expect(d.message).toContain('k3@x:ext4/a/-#1');
    expect(d.message).not.toContain('k1@y');
  });

  it('does not match a bare id without its kernel and target', () => {
    expect(() => selectCases(all, ['xfs/c/-#1'], 'f')).toThrow(/no case xfs\/c\/-#1/);
  });
});
