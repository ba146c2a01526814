import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../temp-dirs.js';
import { defaultResultsDir, prepareResultsDir } from '../../../src/cli/results-dir.js';

const tempDir = tempDirs('daxlab-rd-');

describe('results directory', () => {
  it('defaults to a timestamped directory named after the kernel label, made safe', () => {
    expect(defaultResultsDir(new Date('2026-11-25T15:40:12.345Z'), 'my series/$(x)')).toBe(
      join('daxlab-results', '20261125-154012-my_series___x_'),
    );
  });

  it('refuses a directory holding any output of a run, build or boot', () => {
    for (const f of ['results.json', 'serial.log', 'build/build.log']) {
      const dir = tempDir();
      mkdirSync(join(dir, 'build'));
      writeFileSync(join(dir, f), '');
      expect(() => prepareResultsDir(dir, 'stock')).toThrow(`already holds a run (${f})`);
      rmSync(dir, { recursive: true });
    }
  });

  it('never reuses a default directory: the same second and label get a numbered one', () => {
    const cwd = process.cwd();
    const tmp = tempDir();
    process.chdir(tmp);
    try {
      const now = new Date('2026-11-25T15:40:12Z');
      const a = prepareResultsDir(undefined, 'stock', now);
      const b = prepareResultsDir(undefined, 'stock', now);
      expect(a).toBe(join(tmp, 'daxlab-results', '20261125-154012-stock'));
      expect(b).toBe(`${a}-2`);
    } finally {
      process.chdir(cwd);
      rmSync(tmp, { recursive: true });
    }
  });

  it('refuses a directory that already holds a run journal', () => {
    const dir = tempDir();
    expect(prepareResultsDir(dir, 'stock')).toBe(dir);
    writeFileSync(join(dir, 'events.jsonl'), '');
    expect(() => prepareResultsDir(dir, 'stock')).toThrow(/already holds a run/);
  });
});
