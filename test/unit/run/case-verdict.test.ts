import { describe, expect, it } from 'vitest';
import { caseVerdict, type KernelSide } from '../../../src/run/case-verdict.js';
import type { Verdict } from '../../../src/results/types.js';

const pass: Verdict = { status: 'pass', reason: 'ftruncate waited for the pin', timings: { pinMs: 500 } };
const clean: KernelSide = { lines: ['[    1.000000] EXT4-fs (pmem0): mounted'], marked: true, lost: 0, taintBefore: 0, taintAfter: 0 };
const W = 1 << 9;
const D = 1 << 7;

describe('caseVerdict', () => {
  it('keeps a pass when the log is clean, complete and the kernel untainted', () => {
    expect(caseVerdict(pass, clean)).toEqual({ verdict: pass, klogMatches: [], rebootAfter: false, rerunOnFreshBoot: false });
  });

  it('fails on a new taint with the flags decoded, and asks for a reboot', () => {
    const v = caseVerdict(pass, { ...clean, taintAfter: W | D });
    expect(v.verdict).toMatchObject({ status: 'fail', reason: 'kernel tainted during the case: D (kernel died recently (OOPS or BUG)), W (kernel issued a warning)' });
    expect(v.rebootAfter).toBe(true);
  });

  it('fails a skip that came with a KASAN line', () => {
    const v = caseVerdict({ status: 'skip', reason: 'not supported', timings: {} }, { ...clean, lines: ['[ 2.0] BUG: KASAN: slab-use-after-free in f'] });
    expect(v.verdict.status).toBe('fail');
    expect(v.verdict.reason).toBe('kernel log: BUG: KASAN: slab-use-after-free in f; the workload itself reported skip: not supported');
  });

  it('turns a pass into an error when the log could not be read, lacks the markers, or lost records', () => {
    expect(caseVerdict(pass, { ...clean, lines: null, kmsgError: 'kmsg-read failed (exit 3)' }).verdict)
      .toMatchObject({ status: 'error', reason: "the case's kernel log could not be read (kmsg-read failed (exit 3))" });
    expect(caseVerdict(pass, { ...clean, marked: false }).verdict.reason).toMatch(/^the case's begin and end markers are missing/);
    expect(caseVerdict(pass, { ...clean, lost: 7 }).verdict.reason).toMatch(/^7 kernel-log record\(s\) were overwritten before they could be read/);
    expect(caseVerdict({ status: 'skip', reason: 's', timings: {} }, { ...clean, lost: 1 }).verdict.status).toBe('error');
  });

  it('keeps a fail as a fail when the log is incomplete, adding why', () => {
    const v = caseVerdict({ status: 'fail', reason: 'returned early', timings: {} }, { ...clean, lost: 2 });
    expect(v.verdict).toMatchObject({ status: 'fail', reason: expect.stringMatching(/^returned early; also: 2 kernel-log record/) });
  });

  it('never passes a case that started on a tainted kernel: error, and run it again on a fresh boot', () => {
    const v = caseVerdict(pass, { ...clean, taintBefore: W, taintAfter: W });
    expect(v.verdict).toMatchObject({ status: 'error', reason: 'the kernel was already tainted when the case started (W (kernel issued a warning))' });
    expect(v.rerunOnFreshBoot).toBe(true);
    expect(v.rebootAfter).toBe(true);
  });

  it('ignores the taints of daxlab loading its own modules (O, E) and of in-kernel tests (N)', () => {
    const mine = (1 << 12) | (1 << 13) | (1 << 18);
    expect(caseVerdict(pass, { ...clean, taintBefore: mine, taintAfter: mine }).verdict).toEqual(pass);
  });

  it('errors a pass when the taint mask could not be read', () => {
    expect(caseVerdict(pass, { ...clean, taintAfter: -1 }).verdict.status).toBe('error');
  });
});
