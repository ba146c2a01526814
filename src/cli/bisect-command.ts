// `daxlab bisect`: from a case that fails on one commit and passes on another to the first commit
// that breaks it. Endpoints first (bad must fail, good must pass), then git bisect in daxlab's own
// bare clone, one `daxlab run` per step (the kernel cache makes each build incremental and never
// repeated), a journal for --resume, and a confirmation of the culprit and its parent.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { parseCaseId, planFor } from '../bisect/case-plan.js';
import { cleanRunsNeeded, failureRate, ruleText } from '../bisect/confidence.js';
import { GitBisect, resolveCommit, type BisectState } from '../bisect/git-bisect.js';
import { appendJournal, readJournal, type BisectStart, type StepRecord, type StepRole } from '../bisect/journal.js';
import { buildBound, formatBisect, kernelsBuilt, type BisectOutcome, type BisectReport } from '../bisect/report.js';
import { runStep } from '../bisect/run-step.js';
import { DaxlabError, EXIT } from '../errors.js';
import { prepareResultsDir } from './results-dir.js';

export interface BisectFlags {
  source?: string;
  good?: string;
  bad?: string;
  case?: string[];
  plan?: string;
  config?: string[];
  patch?: string[];
  confidence?: string;
  badRuns?: string;
  results?: string;
  resume?: string;
  json?: boolean;
}

/** The bisect's state while it runs: its journal, its judged steps, its step counter, the cases it watches. */
class Session {
  readonly steps: StepRecord[];
  /** --case ids; with --plan, empty until the bad endpoint ran (then the cases that failed there). */
  watched: string[];
  private n: number;
  constructor(readonly dir: string, readonly start: BisectStart, steps: StepRecord[], readonly planFile: string, readonly signal: AbortSignal) {
    this.steps = [...steps];
    this.watched = [...start.cases];
    // Numbered after every step dir there is, judged or not: a step interrupted before it was
    // judged left its dir, and its run again needs a new one.
    this.n = lastStepNumber(join(dir, 'steps'));
  }

  /** A commit's verdict for a role: from the journal when already judged, else a new run. */
  async judge(sha: string, role: StepRole, repeats: number, say: (m: string) => void): Promise<StepRecord> {
    const done = this.steps.find((s) => s.sha === sha && s.role === role);
    if (done) return done;
    const dir = join(this.dir, 'steps', `${String(++this.n).padStart(2, '0')}-${role}-${sha.slice(0, 12)}`);
    mkdirSync(join(this.dir, 'steps'), { recursive: true });
    say(`${role} ${sha.slice(0, 12)}: ${repeats} run${repeats > 1 ? 's' : ''} (log ${dir}.log)`);
    const v = await runStep({
      repo: this.start.repo, sha, planFile: this.planFile, watched: this.watched, repeats, configs: this.start.configs, patches: this.start.patches, dir, signal: this.signal,
    });
    if (this.signal.aborted) throw new DaxlabError('INTERRUPTED', `interrupted during ${role} ${sha.slice(0, 12)}; resume with: daxlab bisect --resume ${this.dir}`);
    const rec: StepRecord = { type: 'step', sha, role, repeats, dir, ...v };
    appendJournal(join(this.dir, 'bisect.jsonl'), rec);
    this.steps.push(rec);
    say(`${role} ${sha.slice(0, 12)}: ${v.verdict} (${v.reason})`);
    return rec;
  }
}

// The highest "<nn>-" prefix among the step dirs and logs in dir (0 when there are none).
function lastStepNumber(dir: string): number {
  const names = existsSync(dir) ? readdirSync(dir) : [];
  return names.reduce((n, name) => Math.max(n, Number(/^(\d+)-/.exec(name)?.[1] ?? 0)), 0);
}

function startRecord(flags: BisectFlags): Promise<BisectStart> | BisectStart {
  if (!flags.source || !flags.good || !flags.bad) throw new DaxlabError('USAGE', 'bisect needs --source REPO, --good REF and --bad REF (or --resume DIR)');
  if (!flags.case?.length && !flags.plan) throw new DaxlabError('USAGE', 'bisect needs --case ID (repeatable) or --plan FILE');
  const confidence = Number(flags.confidence ?? '0.95');
  if (!(confidence >= 0.5 && confidence <= 0.999)) throw new DaxlabError('USAGE', '--confidence must be a number from 0.5 to 0.999');
  const badRuns = Number(flags.badRuns ?? '3');
  if (!Number.isInteger(badRuns) || badRuns < 1 || badRuns > 20) throw new DaxlabError('USAGE', '--bad-runs must be an integer from 1 to 20');
  const repo = resolve(flags.source);
  return Promise.all([resolveCommit(repo, flags.good), resolveCommit(repo, flags.bad)]).then(([good, bad]) => ({
    type: 'start' as const, repo, good, bad, cases: (flags.case ?? []).map((c) => parseCaseId(c).key), confidence, badRuns,
    configs: flags.config ?? [], patches: (flags.patch ?? []).map((p) => resolve(p)),
  }));
}

/** The `bisect` command body; returns the exit code. */
export async function bisectCommand(flags: BisectFlags, signal: AbortSignal): Promise<number> {
  const say = (m: string) => process.stderr.write(`bisect: ${m}\n`);
  let dir: string;
  let session: Session;
  if (flags.resume) {
    dir = resolve(flags.resume);
    const { start, steps } = readJournal(join(dir, 'bisect.jsonl'));
    session = new Session(dir, start, steps, planPath(dir, start, flags), signal);
    say(`resuming ${dir}: ${steps.length} steps already judged`);
  } else {
    const start = await startRecord(flags);
    dir = prepareResultsDir(flags.results, 'bisect');
    appendJournal(join(dir, 'bisect.jsonl'), start);
    session = new Session(dir, start, [], planPath(dir, start, flags), signal);
  }
  const { start } = session;
  const git = new GitBisect(join(dir, 'repo.git'));
  await git.prepare(start.repo);

  const bad = await session.judge(start.bad, 'bad-endpoint', start.badRuns, say);
  if (bad.verdict !== 'bad') throw new DaxlabError('USAGE', `the bad commit ${start.bad.slice(0, 12)} does not fail: ${bad.reason}`);
  if (session.watched.length === 0) session.watched = bad.failed ?? [];
  const p = failureRate(bad.failures, bad.runs);
  const n = cleanRunsNeeded(p, start.confidence);
  say(`failure rate on bad ${bad.failures}/${bad.runs}: a step is good after ${n} clean runs (${ruleText(p, n, start.confidence)})`);
  const good = await session.judge(start.good, 'good-endpoint', n, say);
  if (good.verdict !== 'good') throw new DaxlabError('USAGE', `the good commit ${start.good.slice(0, 12)} does not pass: ${good.reason}`);

  let state: BisectState = await git.start(start.bad, start.good);
  for (const s of session.steps.filter((x) => x.role === 'step')) if (state.kind === 'next') state = await git.mark(s.sha, s.verdict);
  // bisect.log follows every state, so a look at it mid-bisect shows where git is.
  for (;;) {
    writeFileSync(join(dir, 'bisect.log'), await git.log());
    if (state.kind !== 'next') break;
    const step = await session.judge(state.sha, 'step', n, say);
    state = await git.mark(step.sha, step.verdict);
  }
  const outcome = await conclude(state, session, git, n, say);
  const commits = await git.count(start.good, start.bad);
  const report: BisectReport = {
    outcome, steps: session.steps, rule: ruleText(p, n, start.confidence), cleanRuns: n, commits,
    built: kernelsBuilt(session.steps), bound: buildBound(commits), log: join(dir, 'bisect.log'), resultsDir: dir,
  };
  writeFileSync(join(dir, 'bisect.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${formatBisect(report)}\n`);
  return outcome.kind === 'found' && outcome.confirmed ? EXIT.ok : EXIT.failed;
}

// The plan each step runs: --plan as given, or the watched cases written as a plan in the results.
function planPath(dir: string, start: BisectStart, flags: BisectFlags): string {
  if (flags.plan) return resolve(flags.plan);
  const file = join(dir, 'cases.yaml');
  if (!existsSync(file)) writeFileSync(file, stringify(planFor(start.cases.map((c) => parseCaseId(c)))));
  return file;
}

// The culprit confirmed (fails again, its parent passes twice the clean runs), or the candidates.
async function conclude(state: BisectState, s: Session, git: GitBisect, n: number, say: (m: string) => void): Promise<BisectOutcome> {
  if (state.kind === 'only-skipped') return { kind: 'only-skipped', candidates: await Promise.all(state.candidates.map((c) => git.info(c))) };
  if (state.kind !== 'found') throw new Error('bisect ended without an outcome');
  const culprit = await git.info(state.sha);
  const parent = await git.parent(state.sha);
  const again = await s.judge(state.sha, 'confirm-culprit', n, say);
  const before = await s.judge(parent, 'confirm-parent', 2 * n, say);
  const confirmed = again.verdict === 'bad' && before.verdict === 'good';
  const confirmation = `the culprit ${again.verdict === 'bad' ? 'fails again' : `did not fail again (${again.verdict})`} (${again.failures}/${again.runs} runs failed); ` +
    `its parent ${parent.slice(0, 12)} ${before.verdict === 'good' ? 'passes' : `is ${before.verdict}`} (${before.runs - before.failures}/${before.runs} runs passed)`;
  return { kind: 'found', culprit, parent, confirmed, confirmation };
}
