// JUnit XML report: one <testsuite> per kernel (and target)/backend/fs, one <testcase> per case; a flaky case
// passes with <flakyFailure> children (the Surefire convention).
import type { CaseResult, RunSummary } from './types.js';

// ANSI escape sequences, then characters XML 1.0 cannot carry (C0 controls other
// than tab/LF/CR, DEL, lone surrogates, U+FFFE/U+FFFF).
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const INVALID = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe for XML character data: & < > " ' escaped, control characters stripped. */
export function xmlText(s: string): string {
  return s
    .replace(ANSI, '')
    .replace(INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Text safe for a double-quoted XML attribute; tab, newline and CR are kept as character references. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function secs(ms: number): string {
  return (Math.max(0, Number.isFinite(ms) ? ms : 0) / 1000).toFixed(3);
}

function attrs(pairs: Array<[string, string | number]>): string {
  return pairs.map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('');
}

/** Suite name of a case: `<kernel>/<backend>/<fs>`, `<kernel>@<target>/<backend>/<fs>` for a target other than local. */
export function suiteName(r: Pick<CaseResult, 'kernel' | 'backend' | 'fs' | 'target'>): string {
  const where = r.target && r.target !== 'local' ? `@${r.target}` : '';
  return `${r.kernel}${where}/${r.backend}/${r.fs}`;
}

// Body of a <failure>/<error>/known-issue <skipped>: reason, known issue, kernel log matches, timings, details.
function caseBody(r: CaseResult, reason = r.reason): string {
  const lines = [reason];
  if (r.known) lines.push(`known issue: ${r.known.reason}`, `ref: ${r.known.ref}`);
  if (r.klogMatches.length > 0) lines.push('kernel log:', ...r.klogMatches.map((m) => `  ${m}`));
  const timings = Object.entries(r.timings);
  if (timings.length > 0) lines.push('timings (ms):', ...timings.map(([k, v]) => `  ${k} = ${v}`));
  const details = Object.entries(r.details ?? {});
  if (details.length > 0) lines.push('details:', ...details.map(([k, v]) => `  ${k} = ${v}`));
  return xmlText(lines.join('\n'));
}

// A flaky case is a passing testcase with one <flakyFailure> (or <flakyError>) per attempt that did
// not pass, as Maven Surefire's rerunFailingTestsCount writes it (Jenkins and other consumers read
// the case as passed). The first failure carries the evidence: kernel log lines, timings, details.
function flakyChildren(r: CaseResult): string[] {
  const attempts = r.attempts ?? [{ status: 'fail' as const, reason: r.reason, durationMs: r.durationMs }];
  let evidence = true;
  const out: string[] = [];
  for (const a of attempts) {
    if (a.status !== 'fail' && a.status !== 'xfail' && a.status !== 'error') continue;
    const tag = a.status === 'error' ? 'flakyError' : 'flakyFailure';
    const body = evidence && a.status !== 'error' ? caseBody(r, a.reason) : xmlText(a.reason);
    if (a.status !== 'error') evidence = false;
    out.push(`      <${tag}${attrs([['message', a.reason], ['type', a.status]])}><stackTrace>${body}</stackTrace></${tag}>`);
  }
  return out;
}

function testcase(r: CaseResult): string[] {
  const open = `    <testcase${attrs([
    ['classname', `daxlab.${r.fs}.${r.workload}`],
    ['name', r.id],
    ['time', secs(r.durationMs)],
  ])}`;
  switch (r.status) {
    case 'pass':
      return [`${open}/>`];
    case 'skip':
      return [`${open}>`, `      <skipped${attrs([['message', r.reason]])}/>`, '    </testcase>'];
    case 'fail':
    case 'error': {
      const tag = r.status === 'fail' ? 'failure' : 'error';
      return [`${open}>`, `      <${tag}${attrs([['message', r.reason]])}>${caseBody(r)}</${tag}>`, '    </testcase>'];
    }
    case 'xfail': // failed as expected: not a failure, so CI shows it as skipped with the reason
      return [`${open}>`, `      <skipped${attrs([['message', r.reason]])}>${caseBody(r)}</skipped>`, '    </testcase>'];
    case 'xpass': // a known issue passed: a failure, so the stale entry gets noticed
      return [`${open}>`, `      <failure${attrs([['message', `unexpected pass: ${r.reason}`]])}>${caseBody(r)}</failure>`, '    </testcase>'];
    case 'flaky':
      return [`${open}>`, ...flakyChildren(r), '    </testcase>'];
  }
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  ms: number;
}

function count(results: CaseResult[]): Counts {
  const c: Counts = { tests: results.length, failures: 0, errors: 0, skipped: 0, ms: 0 };
  for (const r of results) {
    if (r.status === 'fail' || r.status === 'xpass') c.failures++;
    else if (r.status === 'error') c.errors++;
    else if (r.status === 'skip' || r.status === 'xfail') c.skipped++;
    c.ms += Number.isFinite(r.durationMs) ? r.durationMs : 0;
  }
  return c;
}

function countAttrs(c: Counts, ms: number): Array<[string, string | number]> {
  return [
    ['tests', c.tests],
    ['failures', c.failures],
    ['errors', c.errors],
    ['skipped', c.skipped],
    ['time', secs(ms)],
  ];
}

/** The JUnit XML document of a run; suites appear in order of their first case. */
export function toJUnit(summary: RunSummary, results: CaseResult[]): string {
  const suites = new Map<string, CaseResult[]>();
  for (const r of results) {
    const name = suiteName(r);
    const list = suites.get(name);
    if (list) list.push(r);
    else suites.set(name, [r]);
  }
  const total = count(results);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs([['name', `daxlab ${summary.plan}`], ...countAttrs(total, summary.durationMs)])}>`,
  ];
  for (const [name, list] of suites) {
    const c = count(list);
    out.push(`  <testsuite${attrs([['name', name], ...countAttrs(c, c.ms), ['timestamp', summary.startedAt]])}>`);
    for (const r of list) out.push(...testcase(r));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
