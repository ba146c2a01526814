import { describe, expect, it } from 'vitest';
import { parseCaseId, planFor } from '../../../src/bisect/case-plan.js';
import { cleanRunsNeeded, failureRate, ruleText } from '../../../src/bisect/confidence.js';
import { parseJournal, type StepRecord } from '../../../src/bisect/journal.js';
import { buildBound, formatBisect, kernelsBuilt } from '../../../src/bisect/report.js';
import { stepArgs } from '../../../src/bisect/run-step.js';
import { lastError, stepVerdict } from '../../../src/bisect/step-verdict.js';
import type { CaseResult, RunSummary } from '../../../src/results/types.js';

function result(id: string, status: CaseResult['status'], reason = 'r'): CaseResult {
  return { id, status, reason } as unknown as CaseResult;
}
const summary = (cached: boolean) => ({ kernels: [{ label: 'k', source: 's', patches: [], configs: [], cached, buildSeconds: 41 }] }) as unknown as RunSummary;
const KEY = 'ext4/busy-range/index=5,pages=1024';

describe('bisect: the watched cases as a plan', () => {
  it('parses a case id with or without its repeat, numbers as numbers, "-" as no params', () => {
    expect(parseCaseId(`${KEY}#2`)).toEqual({ key: KEY, fs: 'ext4', workload: 'busy-range', params: { index: 5, pages: 1024 } });
    expect(parseCaseId('xfs/register-buffers/-').params).toEqual({});
    expect(parseCaseId('ext4/pin-race/pin=pread,race=punch').params).toEqual({ pin: 'pread', race: 'punch' });
    expect(() => parseCaseId('busy-range')).toThrow(/expected <fs>\/<workload>/);
    expect(() => parseCaseId('ext4/pin-race/pread')).toThrow(/"pread" is not k=v/);
  });

  it('writes a plan that runs exactly those cases', () => {
    expect(planFor([parseCaseId(KEY), parseCaseId('xfs/register-buffers/-')])).toEqual({
      name: 'bisect',
      filesystems: ['ext4', 'xfs'],
      workloads: [{ name: 'busy-range', params: { index: [5], pages: [1024] } }, { name: 'register-buffers', params: {} }],
    });
  });
});

describe('bisect: clean runs for a flaky case', () => {
  it('estimates the failure rate with Laplace and needs (1-p)^n <= 1 - confidence', () => {
    expect(failureRate(3, 3)).toBeCloseTo(0.8);
    expect(cleanRunsNeeded(0.8, 0.95)).toBe(2);
    // 1 of 3 failed: p = 0.4, and 0.6^5 = 0.078 > 0.05 >= 0.6^6 = 0.047.
    expect(cleanRunsNeeded(failureRate(1, 3), 0.95)).toBe(6);
    expect(cleanRunsNeeded(0.99, 0.5)).toBe(1);
    expect(() => cleanRunsNeeded(1, 0.95)).toThrow(RangeError);
    expect(ruleText(0.8, 2, 0.95)).toBe('p = 0.80 (Laplace from the bad commit\'s runs), (1 - 0.80)^2 = 0.040 <= 0.050');
  });
});

describe('bisect: a step verdict', () => {
  it('is bad on one failure of a watched case, good when every run passed, ignoring other cases', () => {
    const r = [result(`${KEY}#1`, 'pass'), result(`${KEY}#2`, 'fail', 'found no busy page'), result('xfs/pin-race/x=1#1', 'fail')];
    const bad = stepVerdict(1, { summary: summary(false), results: r }, [KEY], '');
    expect(bad).toMatchObject({ verdict: 'bad', runs: 2, failures: 1, failed: [KEY], cached: false, buildSeconds: 41 });
    expect(bad.reason).toBe(`${KEY}#2: found no busy page`);
    const good = stepVerdict(1, { summary: summary(true), results: [result(`${KEY}#1`, 'pass'), result('xfs/pin-race/x=1#1', 'fail')] }, [KEY], '');
    expect(good).toMatchObject({ verdict: 'good', runs: 1, failed: [], cached: true });
  });

  it('skips a commit that did not build, a harness error, or a missing case', () => {
    const noBuild = stepVerdict(69, null, [KEY], '[  12.0s] build: compiling\ndaxlab: error: kernel build failed (exit 2)\n  fs/dax.c:741: error: expected');
    expect(noBuild.verdict).toBe('skip');
    expect(noBuild.reason).toMatch(/^no case ran \(exit 69\): fs\/dax.c:741: error: expected|^no case ran \(exit 69\): daxlab: error: kernel build failed/);
    expect(stepVerdict(1, { summary: summary(true), results: [result(`${KEY}#1`, 'error', 'guest lost')] }, [KEY], '').reason).toMatch(/is error, not a verdict: guest lost/);
    expect(stepVerdict(0, { summary: summary(true), results: [result('xfs/other/-#1', 'pass')] }, [KEY], '').verdict).toBe('skip');
    expect(stepVerdict(2, null, [KEY], 'daxlab: error: patch x does not apply').reason).toMatch(/cannot be built as asked \(exit 2\): daxlab: error: patch x does not apply/);
  });

  it('counts every case when none is watched yet (--plan, on the bad commit)', () => {
    const all = stepVerdict(1, { summary: summary(true), results: [result('xfs/other/-#1', 'fail'), result('xfs/other/-#2', 'fail'), result('ext4/b/-#1', 'fail'), result('ext4/c/-#1', 'pass')] }, [], '');
    expect(all).toMatchObject({ verdict: 'bad', failed: ['xfs/other/-', 'ext4/b/-'] });
    expect(lastError('')).toBe('no output');
  });
});

describe('bisect: journal and report', () => {
  const start = { type: 'start', repo: '/r', good: 'g', bad: 'b', cases: [KEY], confidence: 0.95, badRuns: 3, configs: [], patches: [] };
  const step = (sha: string, role: StepRecord['role'], verdict: StepRecord['verdict'], cached: boolean): StepRecord => ({
    type: 'step', sha: sha.padEnd(40, '0'), role, verdict, runs: 2, failures: verdict === 'bad' ? 2 : 0, failed: [], reason: 'why', repeats: 2, seconds: 50.4, dir: '/d', cached, buildSeconds: 40,
  });

  it('reads the start and steps back, dropping a torn last line', () => {
    const text = [JSON.stringify(start), JSON.stringify(step('a', 'bad-endpoint', 'bad', false)), '{"type":"st'].join('\n');
    const j = parseJournal(text);
    expect(j.start.cases).toEqual([KEY]);
    expect(j.steps).toHaveLength(1);
    expect(() => parseJournal(`{"type":"step"}\n`)).toThrow(/no start record/);
    expect(() => parseJournal(`${JSON.stringify(start)}\nnot json\n{}\n`)).toThrow(/bisect.jsonl:2: not a JSON line/);
  });

  it('counts each commit built once, and bounds builds by ceil(log2 N) + 3', () => {
    const steps = [step('a', 'bad-endpoint', 'bad', false), step('b', 'good-endpoint', 'good', false), step('a', 'confirm-culprit', 'bad', true), step('c', 'step', 'skip', false)];
    expect(kernelsBuilt(steps)).toBe(3);
    const { cached: _, ...noBuild } = step('d', 'step', 'skip', false);
    expect(kernelsBuilt([...steps, noBuild, step('e', 'step', 'good', true)])).toBe(4);
    expect(buildBound(8)).toBe(6);
    expect(buildBound(9)).toBe(7);
    const text = formatBisect({
      outcome: { kind: 'found', culprit: { sha: 'c'.repeat(40), subject: 'dax: end = 0', author: 'A <a@b>' }, parent: 'p', confirmed: true, confirmation: 'fails again' },
      steps, rule: 'p = 0.80', cleanRuns: 2, commits: 8, built: 3, bound: 6, log: '/x/bisect.log', resultsDir: '/x',
    });
    expect(text).toMatch(/^first bad commit: c{40}\n  dax: end = 0\n  author: A <a@b>/);
    expect(text).toMatch(/bad-endpoint    a00000000000  bad   0\/2 passed, 50 s, built in 40 s: why/);
    expect(text).toMatch(/kernels built: 3 \(bound ceil\(log2 8\) \+ 3 = 6\)/);
  });

  it('runs each step as daxlab run of the cases plan on that commit, flags passed on as words', () => {
    expect(stepArgs({ repo: '/r', sha: 'f'.repeat(40), planFile: '/x/cases.yaml', watched: [KEY], repeats: 2, configs: ['thp'], patches: ['/p.patch'], dir: '/x/steps/01' })).toEqual([
      'run', '/x/cases.yaml', '--source', '/r', '--ref', 'f'.repeat(40), '--label', 'f'.repeat(12), '--repeats', '2', '--results', '/x/steps/01',
      '--config', 'thp', '--patch', '/p.patch',
    ]);
  });
});
