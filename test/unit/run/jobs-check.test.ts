import { describe, expect, it } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import { checkGuestsFitCores } from '../../../src/run/jobs-check.js';

describe('checkGuestsFitCores', () => {
  it('refuses more guests than cores, naming the flag and the most it may be', () => {
    let err: unknown;
    try {
      checkGuestsFitCores('--jobs', 3, 2, 2);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DaxlabError);
    expect((err as DaxlabError).exitCode).toBe(2);
    expect((err as DaxlabError).message).toBe("--jobs 3: more guests at once than this host's 2 cores; timing oracles would end in errors");
    expect((err as DaxlabError).detail).toEqual(['fix: --jobs 2 or fewer']);
  });

  it('warns when the guests\' vCPUs outnumber the cores, and is silent when they fit or one guest runs', () => {
    expect(checkGuestsFitCores('--slots', 2, 2, 2)).toMatch(/^2 guests of 2 vCPUs on 2 cores: some timed cases may end in error/);
    expect(checkGuestsFitCores('--jobs', 2, 2, 4)).toBeNull();
    expect(checkGuestsFitCores('--jobs', 1, 4, 2)).toBeNull();
  });
});
