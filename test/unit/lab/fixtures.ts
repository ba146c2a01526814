// Shared by the lab unit tests: a stored run, and the USAGE error a call must throw.
import { expect } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import type { LabRun } from '../../../src/lab/store.js';

/** A run as submit stores it, with these case names. */
export function labRun(cases: string[], over: Partial<LabRun> = {}): LabRun {
  return {
    id: 'smoke-0123456789ab',
    planName: 'smoke',
    planPath: 'plans/smoke.yaml',
    planSha256: 'f'.repeat(64),
    backend: 'pmem',
    submittedAt: '2025-03-04T05:00:00.000Z',
    cases,
    shards: [],
    attempts: 3,
    ...over,
  };
}

/** The DaxlabError with code USAGE that f throws (fails the test when it throws nothing or another). */
export function usageError(f: () => unknown): DaxlabError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DaxlabError);
    expect((e as DaxlabError).code).toBe('USAGE');
    return e as DaxlabError;
  }
  throw new Error('expected a USAGE error');
}
