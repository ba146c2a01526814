import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultResultsDir, prepareResultsDir } from '../../../src/cli/results-dir.js';

describe('results directory', () => {
  it('defaults to a timestamped directory named after the kernel label, made safe', () => {
    expect(defaultResultsDir(new Date('2026-11-25T15:40:12.345Z'), 'my series/$(x)')).toBe(
      join('daxlab-results', '20261125-154012-my_series___x_'),
    );
  });

  it('refuses a directory that already holds a run journal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxlab-rd-'));
    expect(prepareResultsDir(dir, 'stock')).toBe(dir);
    writeFileSync(join(dir, 'events.jsonl'), '');
    expect(() => prepareResultsDir(dir, 'stock')).toThrow(/already holds a run/);
  });
});
