// Shared fixtures for the plan unit tests: a small catalogue and a fake filesystem.
import { parsePlanText } from '../../../src/plan/parse.js';
import type { KnownWorkloads, PlanContext, PlanIssue } from '../../../src/plan/types.js';

/** A catalogue shaped like the real one: pin-race has choice and integer params; idle has none. */
export const KNOWN: KnownWorkloads = {
  'pin-race': {
    pin: { values: ['pread', 'io_uring', 'vmsplice'], default: ['pread', 'io_uring'] },
    race: { values: ['truncate', 'punch'], default: ['truncate'] },
    index: { default: [0] },
  },
  idle: {},
};

/** Files that "exist" in the fake filesystem. */
export const EXISTING = new Set([
  '/plans/a.patch',
  '/plans/b.mbox',
  '/plans/sub/c.patch',
  '/plans/extra.config',
  '/plans/qemu-wrapper',
  '/src/linux',
  '/cwd/d.patch',
  '/cwd/local.config',
  '/cwd/tree',
  ...['base', 'pmem', 'nullblk', 'io_uring', 'watchdog', 'gup_test', 'virtiofs', 'kasan'].map((n) => `/repo/kernel-configs/${n}.config`),
]);

/** A context for a plan at /plans/<file>, with the fake filesystem. */
export function planCtx(overrides: Partial<PlanContext> = {}): PlanContext {
  return {
    baseDir: '/plans',
    configsDir: '/repo/kernel-configs',
    fileExists: (path) => EXISTING.has(path),
    knownWorkloads: KNOWN,
    ...overrides,
  };
}

/** The default config paths for the pmem backend. */
export const DEFAULT_CONFIGS = ['base', 'pmem', 'nullblk', 'io_uring', 'watchdog', 'gup_test', 'virtiofs'].map(
  (n) => `/repo/kernel-configs/${n}.config`,
);

/** Parses YAML lines (joined with newlines) as /plans/plan.yaml. */
export function parseLines(...lines: string[]): ReturnType<typeof parsePlanText> {
  return parsePlanText(lines.join('\n') + '\n', '/plans/plan.yaml', planCtx());
}

/** The issues of a parse as [line, field, message] triples, for exact comparison. */
export function triples(issues: PlanIssue[]): Array<[number, string, string]> {
  return issues.map((i) => [i.line, i.field, i.message]);
}
