import { describe, it, expect } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import { resultsIoError } from '../../../src/results/ioerror.js';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: something, open '/x'`), { code });
}

describe('resultsIoError', () => {
  it.each(['ENOSPC', 'EROFS', 'EACCES'])('names the file and %s with a hint', (code) => {
    const e = resultsIoError('write', '/results/events.jsonl', errno(code));
    expect(e).toBeInstanceOf(DaxlabError);
    expect(e.code).toBe('RESULTS_IO');
    expect(e.exitCode).toBe(69);
    expect(e.message).toMatch(new RegExp(`^cannot write /results/events\\.jsonl: ${code} \\(`));
    expect(e.detail).toHaveLength(1);
  });

  it('passes DaxlabErrors through and copes with non-errno values', () => {
    const d = new DaxlabError('RESULTS_IO', 'already wrapped');
    expect(resultsIoError('write', '/x', d)).toBe(d);
    expect(resultsIoError('read', '/x', 'weird').message).toBe('cannot read /x: EIO (weird)');
  });
});
