// What a kvm-host target costs over `local` on the same machine: an OpenSSH sshd on 127.0.0.1
// (bench/sshd-host.ts) plays the remote host. Measures the upload of a fresh store, the upload on
// a second run (content-addressed: nothing should be sent), and the default plan run through the
// remote target against the same plan run locally: wall time, readiness and the median case.
// Needs the stock kernel built (any earlier `daxlab run`). Usage: npm run bench:remote
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { median, timeIt } from './measure.js';
import { SshdHost } from './sshd-host.js';

const CLI = join(import.meta.dirname, '..', 'src', 'cli', 'main.js');

interface Summary {
  durationMs: number;
  stages: Record<string, number>;
}

// One `daxlab run` with these extra arguments; returns wall time, its stage log lines and the report.
async function run(extra: string[]): Promise<{ wallMs: number; output: string; summary: Summary; caseMs: number[] }> {
  const results = mkdtempSync(join(tmpdir(), 'daxlab-bench-remote-'));
  try {
    const { ms, value } = await timeIt(() => execa('node', [CLI, 'run', ...extra, '--results', results], { reject: false, all: true }));
    if (value.exitCode !== 0) throw new Error(`daxlab run ${extra.join(' ')} exited ${value.exitCode}:\n${String(value.all).slice(-3000)}`);
    const report = JSON.parse(readFileSync(join(results, 'results.json'), 'utf8')) as { summary: Summary; results: Array<{ durationMs: number }> };
    return { wallMs: ms, output: String(value.all), summary: report.summary, caseMs: report.results.map((r) => r.durationMs) };
  } finally {
    rmSync(results, { recursive: true, force: true });
  }
}

const uploadLine = (out: string) => /uploaded (\d+) of (\d+) files \(([\d.]+) MiB\)/.exec(out);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'daxlab-bench-sshd-'));
  const host = await SshdHost.start(dir);
  try {
    const targets = host.targetFile('bench', { workDir: join(dir, 'store') });
    const remote = ['--target-file', targets, '--target', 'bench'];
    const local = await run([]);
    const first = await run(remote);
    const second = await run(remote);
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const up = (o: string) => {
      const m = uploadLine(o);
      return m ? `${m[1]} of ${m[2]} files, ${m[3]} MiB` : 'no upload line';
    };
    console.log(`default plan, local:              wall ${s(local.wallMs)}, ready ${s(local.summary.stages.readyMs ?? 0)}, median case ${s(median(local.caseMs))}`);
    console.log(`default plan, kvm-host (1st run): wall ${s(first.wallMs)}, ready ${s(first.summary.stages.readyMs ?? 0)}, median case ${s(median(first.caseMs))}; uploaded ${up(first.output)}`);
    console.log(`default plan, kvm-host (2nd run): wall ${s(second.wallMs)}, ready ${s(second.summary.stages.readyMs ?? 0)}, median case ${s(median(second.caseMs))}; uploaded ${up(second.output)}`);
    const n = local.caseMs.length;
    console.log(`extra per case, kvm-host over local (2nd run): ${(((second.wallMs - local.wallMs) / n) / 1000).toFixed(3)} s of wall time per case over ${n} cases`);
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
