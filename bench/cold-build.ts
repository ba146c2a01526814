// The first build a new user (or a fresh CI runner) pays: `daxlab build` of the default plan into an
// empty cache (XDG_CACHE_HOME) and, with --ccache, an empty ccache (CCACHE_DIR) too: source extraction,
// configuration, compilation. Wall time and the CPU time it took (user + system, from /proc), so a
// figure measured on a loaded machine can still be compared. Usage: npm run bench:cold [-- --ccache]
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from '../src/cli/paths.js';

const ccache = process.argv.includes('--ccache');
const work = mkdtempSync(join(tmpdir(), 'daxlab-cold-'));
const env = { ...process.env, XDG_CACHE_HOME: join(work, 'cache'), CCACHE_DIR: join(work, 'ccache'), DAXLAB_CCACHE: ccache ? '1' : '0' };
const steps: Array<[number, string]> = [];
const t0 = performance.now();
const child = execa('/usr/bin/time', ['-f', '%e %U %S', 'node', join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), 'build', '--json', '--results', join(work, 'res')], {
  env, reject: false, all: false, stdin: 'ignore',
});
child.stderr?.on('data', (d: Buffer) => {
  for (const line of d.toString().split('\n')) {
    const m = /^\[\s*([\d.]+)s\] build: (preparing|configuring|compiling \(make)/.exec(line);
    if (m) steps.push([Number(m[1]), m[2]!]);
  }
});
const r = await child;
const wall = (performance.now() - t0) / 1000;
const times = /([\d.]+) ([\d.]+) ([\d.]+)\s*$/.exec(String(r.stderr));
const [cpuUser, cpuSys] = times ? [Number(times[2]), Number(times[3])] : [NaN, NaN];
const at = (name: string) => steps.find(([, s]) => s.startsWith(name))?.[0] ?? NaN;
const load = (await execa('cat', ['/proc/loadavg'])).stdout.split(' ').slice(0, 3).join(' ');
process.stdout.write(
  `cold build (${ccache ? 'cold ccache' : 'no ccache'}, make -j${availableParallelism()}): exit ${r.exitCode}, ${wall.toFixed(0)} s wall, ` +
    `${(cpuUser + cpuSys).toFixed(0)} CPU-s (user ${cpuUser.toFixed(0)}, sys ${cpuSys.toFixed(0)})\n` +
    `  source ready at ${at('configuring').toFixed(0)} s, configured at ${at('compiling').toFixed(0)} s; load average at the end: ${load}\n`,
);
if (r.exitCode !== 0) process.stdout.write(`  daxlab build failed:\n${String(r.stderr).split('\n').filter((l) => !l.includes('compiling: ')).slice(-8).join('\n')}\n`);
rmSync(work, { recursive: true, force: true });
process.exitCode = r.exitCode ?? 1;
