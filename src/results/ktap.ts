// Parsing KTAP / kselftest TAP output (Documentation/dev-tools/ktap.rst): the version line, the
// plan, "ok"/"not ok" test lines with SKIP/TODO/XFAIL directives, and "# " diagnostic lines.

/** One test line: "ok 1 name # SKIP reason". */
export interface KtapTest {
  number: number;
  ok: boolean;
  description: string;
  /** SKIP, TODO, XFAIL, TIMEOUT or ERROR when the line carries that directive. */
  directive?: string;
  directiveReason?: string;
}

/** A parsed KTAP document (top level only; indented subtests are kept as diagnostics). */
export interface KtapDocument {
  /** "TAP version 13" or "KTAP version 1"; null when the header is missing. */
  version: string | null;
  /** The planned number of tests ("1..N"), null when absent. */
  planned: number | null;
  tests: KtapTest[];
  /** Diagnostic lines ("# ..."), without the leading "# ". */
  diagnostics: string[];
  /** Lines that are neither KTAP nor diagnostics (bail out, stray output). */
  other: string[];
  /** "Bail out!" seen. */
  bailedOut: boolean;
}

const VERSION_RE = /^(TAP version \d+|KTAP version \d+)$/;
const PLAN_RE = /^1\.\.(\d+)$/;
const TEST_RE = /^(not ok|ok) (\d+)(?: -)?(?: ([^#]*?))?\s*(?:#\s*(.*))?$/;
const DIRECTIVE_RE = /^(SKIP|TODO|XFAIL|TIMEOUT|ERROR)\b\s*(.*)$/i;

/** Parse the top-level KTAP lines of `text`; never throws. */
export function parseKtap(text: string): KtapDocument {
  const doc: KtapDocument = { version: null, planned: null, tests: [], diagnostics: [], other: [], bailedOut: false };
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line === '') continue;
    let m: RegExpMatchArray | null;
    if ((m = VERSION_RE.exec(line)) && doc.version === null) doc.version = m[1]!;
    else if ((m = PLAN_RE.exec(line)) && doc.planned === null) doc.planned = Number(m[1]);
    else if ((m = TEST_RE.exec(line))) doc.tests.push(testLine(m));
    else if (line.startsWith('#')) doc.diagnostics.push(line.replace(/^#\s?/, ''));
    else if (line.startsWith('Bail out!')) {
      doc.bailedOut = true;
      doc.other.push(line);
    } else doc.other.push(line);
  }
  return doc;
}

function testLine(m: RegExpMatchArray): KtapTest {
  const t: KtapTest = { number: Number(m[2]), ok: m[1] === 'ok', description: (m[3] ?? '').trim() };
  const d = m[4] !== undefined ? DIRECTIVE_RE.exec(m[4].trim()) : null;
  if (d) {
    t.directive = d[1]!.toUpperCase();
    t.directiveReason = d[2]!.trim();
  }
  return t;
}

/** Why a document is not a clean, complete run, or null when every planned test is there. */
export function ktapProblem(doc: KtapDocument): string | null {
  if (doc.version === null) return 'no KTAP/TAP version line';
  if (doc.bailedOut) return `bailed out: ${doc.other.find((l) => l.startsWith('Bail out!')) ?? ''}`.trim();
  if (doc.planned === null) return 'no test plan line (1..N)';
  if (doc.tests.length !== doc.planned) return `planned ${doc.planned} tests, saw ${doc.tests.length}`;
  return null;
}
