// Kernel source intake: identify a source (cheaply, for cache keys) and materialize it as a git
// work tree in the cache so patches can be applied and reverted without touching the user's tree.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { DaxlabError } from '../errors.js';
import type { SourceSpec } from '../plan/types.js';
import { run } from './exec.js';
import { shortKey } from './hash.js';

/** A source resolved to a stable identity. */
export interface ResolvedSource {
  spec: SourceSpec;
  /** Human-readable identity: "debian linux-source-6.12 6.12.117-1~deb12u1", "git 1a2b3c...". */
  identity: string;
  key: string;
  /** How to fill an empty directory with this source. */
  materialize(dest: string): Promise<void>;
  /** Uncommitted changes of a local git checkout, applied like a first patch (empty when none). */
  workingDiff: Buffer;
}

const GIT_ID = ['-c', 'user.name=daxlab', '-c', 'user.email=daxlab@localhost'];

/** Check that a directory looks like a Linux kernel tree. */
export async function assertKernelTree(dir: string): Promise<void> {
  const needed = ['Makefile', 'Kconfig', 'arch/x86/Kconfig', 'scripts/kconfig'];
  const missing = needed.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new DaxlabError('SOURCE_INVALID', `${dir} is not a Linux kernel tree (missing ${missing.join(', ')})`, [
      'fix: pass --source with the top directory of a kernel checkout',
    ]);
  }
}

async function ensureDebianSource(pkg: string): Promise<string> {
  const tarball = `/usr/src/${pkg}.tar.xz`;
  if (!existsSync(tarball)) {
    if (process.getuid?.() !== 0) {
      throw new DaxlabError('HOST_MISSING', `${tarball} is missing`, [`fix: sudo apt-get install -y ${pkg}`]);
    }
    await run('apt-get', ['install', '-y', '-q', pkg], { errorCode: 'HOST_MISSING', what: `apt-get install ${pkg}` });
  }
  return tarball;
}

async function resolveDebian(spec: Extract<SourceSpec, { kind: 'debian' }>): Promise<ResolvedSource> {
  const tarball = await ensureDebianSource(spec.package);
  const { stdout } = await run('dpkg-query', ['-W', '-f=${Version}', spec.package], { errorCode: 'HOST_MISSING' });
  const identity = `debian ${spec.package} ${stdout.trim()}`;
  return {
    spec,
    identity,
    key: shortKey('debian', spec.package, stdout.trim()),
    workingDiff: Buffer.alloc(0),
    materialize: async (dest) => {
      await mkdir(dest, { recursive: true });
      await run('tar', ['-xf', tarball, '-C', dest, '--strip-components=1'], { what: `extract ${tarball}` });
      await commitTree(dest, identity);
    },
  };
}

async function gitCommitOf(repo: string, ref: string): Promise<string> {
  const { stdout } = await run('git', ['-C', repo, 'rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`], {
    errorCode: 'SOURCE_INVALID',
    what: `resolve git ref '${ref}' in ${repo}`,
  });
  return stdout.trim();
}

function gitResolved(spec: SourceSpec, repo: string, commit: string, diff: Buffer): ResolvedSource {
  return {
    spec,
    identity: `git ${commit}${diff.length > 0 ? ' + uncommitted changes' : ''}`,
    key: shortKey('git', commit),
    workingDiff: diff,
    materialize: async (dest) => {
      await mkdir(dirname(dest), { recursive: true });
      await run('git', ['clone', '--quiet', '--no-checkout', '--no-hardlinks', repo, dest], { what: `clone ${repo}` });
      await run('git', ['-C', dest, 'checkout', '--quiet', '--detach', commit], { what: `checkout ${commit}` });
      await writeFile(join(dest, '.git', 'daxlab-base'), commit);
    },
  };
}

async function resolveDir(spec: Extract<SourceSpec, { kind: 'dir' }>): Promise<ResolvedSource> {
  const st = await stat(spec.path).catch(() => null);
  if (!st?.isDirectory()) throw new DaxlabError('SOURCE_INVALID', `source ${spec.path} is not a directory`);
  await assertKernelTree(spec.path);
  if (!existsSync(join(spec.path, '.git'))) {
    throw new DaxlabError('SOURCE_INVALID', `source ${spec.path} is not a git checkout`, [
      'daxlab needs a git checkout to identify the tree cheaply; run `git init && git add -A && git commit` in a copy, or use the Debian source (no --source)',
    ]);
  }
  const commit = await gitCommitOf(spec.path, 'HEAD');
  // Not run(): it stringifies stdout, which turns a buffer into "100,105,...", and drops the final newline.
  const diff = await execa('git', ['-C', spec.path, 'diff', '--binary', 'HEAD'], {
    encoding: 'buffer',
    stripFinalNewline: false,
    stdin: 'ignore',
    reject: false,
  });
  if (diff.exitCode !== 0) {
    throw new DaxlabError('SOURCE_INVALID', `git diff HEAD failed in ${spec.path} (exit ${diff.exitCode ?? '?'})`, [
      ...Buffer.from(diff.stderr).toString('utf8').split('\n').filter((l) => l.trim() !== '').slice(-8),
    ]);
  }
  return gitResolved(spec, spec.path, commit, Buffer.from(diff.stdout));
}

/** Resolve a source spec to its identity without copying anything. */
export async function resolveSource(spec: SourceSpec): Promise<ResolvedSource> {
  switch (spec.kind) {
    case 'debian':
      return resolveDebian(spec);
    case 'dir':
      return resolveDir(spec);
    case 'git': {
      await assertKernelTree(spec.repo).catch(() => undefined);
      const commit = await gitCommitOf(spec.repo, spec.ref);
      return gitResolved(spec, spec.repo, commit, Buffer.alloc(0));
    }
  }
}

async function commitTree(dir: string, message: string): Promise<void> {
  await run('git', ['init', '--quiet', dir]);
  await run('git', ['-C', dir, 'add', '-A', '--force'], { what: 'index the kernel tree' });
  await run('git', ['-C', dir, ...GIT_ID, 'commit', '--quiet', '--no-verify', '-m', message], { what: 'commit the kernel tree' });
  const { stdout } = await run('git', ['-C', dir, 'rev-parse', 'HEAD']);
  await writeFile(join(dir, '.git', 'daxlab-base'), stdout.trim());
}

/** Make sure `dest` holds the source as a git tree with a recorded base commit (idempotent). */
export async function ensureTree(source: ResolvedSource, dest: string): Promise<string> {
  const marker = join(dest, '.git', 'daxlab-base');
  if (existsSync(marker)) return (await readFile(marker, 'utf8')).trim();
  const tmp = `${dest}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await rm(dest, { recursive: true, force: true });
  await source.materialize(tmp);
  await rename(tmp, dest);
  return (await readFile(marker, 'utf8')).trim();
}

/** Reset the cached tree to its base commit; only files that differ are rewritten (so make stays incremental). */
export async function resetTree(dir: string, base: string): Promise<void> {
  await run('git', ['-C', dir, 'am', '--abort'], {}).catch(() => undefined);
  await run('git', ['-C', dir, 'reset', '--quiet', '--hard', base], { what: 'reset the cached kernel tree' });
  await run('git', ['-C', dir, 'clean', '-fdqx'], { what: 'clean the cached kernel tree' });
}

export { GIT_ID };
