// The README's GitHub Actions workflow is real: it parses as YAML with the jobs CI needs, and every
// daxlab command in it is a command of the built CLI with options that command has.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

/** The ```yaml block of the README's "CI on KVM runners" section. */
function workflowText(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## CI on KVM runners'));
  const m = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('no yaml block in the CI section');
  return m[1]!;
}

type Step = { run?: string; uses?: string; with?: Record<string, unknown>; if?: string };
type Job = { 'runs-on': string; needs?: string[]; steps: Step[]; strategy?: { matrix: string } };

/** Every `node dist/src/cli/main.js ...` command line in the run steps, as words. */
function daxlabCommands(jobs: Record<string, Job>): string[][] {
  const out: string[][] = [];
  for (const job of Object.values(jobs)) {
    for (const step of job.steps) {
      for (const m of (step.run ?? '').matchAll(/node dist\/src\/cli\/main\.js ([^'"&|;>\n]+)/g)) out.push(m[1]!.trim().split(/\s+/));
    }
  }
  return out;
}

describe('the README CI workflow', () => {
  const wf = parse(workflowText()) as { jobs: Record<string, Job> };

  it('lists shards, builds once, runs the matrix on KVM, and merges a report', () => {
    expect(Object.keys(wf.jobs)).toEqual(['shards', 'build', 'test', 'report']);
    const test = wf.jobs.test!;
    expect(test.strategy!.matrix).toBe('${{ fromJSON(needs.shards.outputs.matrix) }}');
    const runs = test.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('KERNEL=="kvm"');
    expect(runs).toContain('--device /dev/kvm');
    expect(test.steps.some((s) => s.uses?.startsWith('actions/cache/restore@'))).toBe(true);
    expect(wf.jobs.build!.steps.some((s) => s.uses?.startsWith('actions/cache/save@'))).toBe(true);
    expect(wf.jobs.report!.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
  });

  it('uses only real daxlab commands and options', async () => {
    const cmds = daxlabCommands(wf.jobs);
    expect(cmds.map((c) => c[0])).toEqual(['run', 'build', 'run', 'report']);
    for (const [sub, ...args] of cmds) {
      const help = await execa('node', [CLI, sub!, '--help'], { reject: false });
      expect(help.exitCode, `${sub} --help`).toBe(0);
      for (const flag of args.filter((a) => a.startsWith('--'))) expect(help.stdout, `${sub} ${flag}`).toContain(`${flag} `);
    }
  });

  it('prints a matrix GitHub Actions can take: --list-shards N --json', async () => {
    const r = await execa('node', [CLI, 'run', '--list-shards', '4', '--json'], { reject: false, cwd: REPO });
    expect(r.exitCode, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as { include: Array<{ shard: string; cases: number }> };
    expect(m.include.map((e) => e.shard)).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect(m.include.reduce((n, e) => n + e.cases, 0)).toBe(26);
    const bad = await execa('node', [CLI, 'run', '--list-shards', '0'], { reject: false, cwd: REPO });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/invalid --list-shards '0'/);
  });

  it('names the cases of a multi-kernel plan (plans/nightly.yaml, extending the catalogue) with their cell', async () => {
    const r = await execa('node', [CLI, 'run', 'plans/nightly.yaml', '--list-shards', '2', '--json'], { reject: false, cwd: REPO });
    expect(r.exitCode, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as { include: Array<{ shard: string; cases: number; first: string; last: string }> };
    const catalogue = JSON.parse((await execa('node', [CLI, 'run', 'plans/catalogue.yaml', '--list-shards', '1', '--json'], { cwd: REPO })).stdout) as typeof m;
    expect(m.include.map((e) => e.cases)).toEqual([catalogue.include[0]!.cases, catalogue.include[0]!.cases]);
    expect(m.include[0]!.first).toBe(`stock@local:${catalogue.include[0]!.first}`);
    expect(m.include[1]!.last).toBe(`thp@local:${catalogue.include[0]!.last}`);
  });
});
