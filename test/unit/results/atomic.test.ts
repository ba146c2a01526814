import { describe, it, expect, afterEach } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DaxlabError } from '../../../src/errors.js';
import { writeFileAtomic } from '../../../src/results/atomic.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'daxlab-atomic-'));
  dirs.push(d);
  return d;
}

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an old one, leaving no temporary file', () => {
    const dir = tmp();
    const file = path.join(dir, 'results.json');
    writeFileAtomic(file, 'first');
    writeFileAtomic(file, Buffer.from('second'));
    expect(fs.readFileSync(file, 'utf8')).toBe('second');
    expect(fs.readdirSync(dir)).toEqual(['results.json']);
  });

  it('keeps the old file and cleans up when the rename fails', () => {
    const dir = tmp();
    const file = path.join(dir, 'target');
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'keep'), 'x');
    try {
      writeFileAtomic(file, 'data');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DaxlabError);
      expect((err as DaxlabError).code).toBe('RESULTS_IO');
      expect((err as DaxlabError).message).toContain(file);
    }
    expect(fs.readdirSync(dir)).toEqual(['target']);
  });

  it('throws RESULTS_IO with the errno when the directory is missing', () => {
    expect(() => writeFileAtomic('/nonexistent/daxlab/junit.xml', 'x')).toThrow(/junit\.xml: ENOENT/);
  });
});
