// Kernel source intake: identify a source (cheaply, for cache keys) and materialize it as a git
// work tree in the cache so patches can be applied and reverted without touching the user's tree.
// A git repository gets one cached clone, whatever the commit: a new commit is fetched into it and
// the tree reset to it, which rewrites only the files that changed, so make's next build of the
// same object dir is incremental. daxlab's cached trees never run `git gc --auto` (it once repacked
// the Debian tree in the background of its first build, stealing CPU from it).
import { existsSync } from 'node:fs';
import { mkdir, realpath, rename, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
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
  /** The source's identity as a cache key (a kernel entry's key includes it). */
  key: string;
  /** Which cached tree (and object dirs) builds it: one per Debian package version, one per git repository. */
  treeKey: string;
  /** How to fill an empty directory with this source. */
  materialize(dest: string): Promise<void>;
  /** The commit of the cached tree `dest` to build (fetched into it first when it lacks it). */
  baseIn(dest: string): Promise<string>;
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
    treeKey: shortKey('debian', spec.package, stdout.trim()),
    workingDiff: Buffer.alloc(0),
    baseIn: async (dest) => (await readFile(join(dest, '.git', 'daxlab-base'), 'utf8')).trim(),
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

/** The identity of a repository for its cached clone: the real path of its (common) git dir. */
async function repoIdentity(repo: string): Promise<string> {
  const { stdout } = await run('git', ['-C', repo, 'rev-parse', '--path-format=absolute', '--git-common-dir'], {
    errorCode: 'SOURCE_INVALID',
    what: `find the git directory of ${repo}`,
  });
  return realpath(resolve(repo, stdout.trim())).catch(() => stdout.trim());
}

async function hasCommit(dest: string, commit: string): Promise<boolean> {
  return run('git', ['-C', dest, 'cat-file', '-e', `${commit}^{commit}`]).then(() => true, () => false);
}

function gitResolved(spec: SourceSpec, repo: string, repoId: string, commit: string, diff: Buffer): ResolvedSource {
  return {
    spec,
    identity: `git ${commit}${diff.length > 0 ? ' + uncommitted changes' : ''}`,
    key: shortKey('git', commit),
    treeKey: shortKey('git-repo', repoId),
    workingDiff: diff,
    materialize: async (dest) => {
      await mkdir(dirname(dest), { recursive: true });
      await run('git', ['clone', '--quiet', '--no-checkout', '--no-hardlinks', repo, dest], { what: `clone ${repo}` });
      await noAutoGc(dest);
      await run('git', ['-C', dest, 'checkout', '--quiet', '--detach', commit], { what: `checkout ${commit}` });
      await writeFile(join(dest, '.git', 'daxlab-base'), commit);
      await writeFile(join(dest, '.git', 'daxlab-repo'), `${repoId}\n`);
    },
    baseIn: async (dest) => {
      if (!(await hasCommit(dest, commit))) {
        await run('git', ['-C', dest, 'fetch', '--quiet', '--no-tags', repo, commit], { what: `fetch ${commit} from ${repo} into the cached clone` });
      }
      return commit;
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
  return gitResolved(spec, spec.path, await repoIdentity(spec.path), commit, Buffer.from(diff.stdout));
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
      return gitResolved(spec, spec.repo, await repoIdentity(spec.repo), commit, Buffer.alloc(0));
    }
  }
}

/** No automatic gc or maintenance in a cached tree: it would repack in the background of a build. */
async function noAutoGc(dir: string): Promise<void> {
  await run('git', ['-C', dir, 'config', 'gc.auto', '0'], { what: 'disable git gc --auto in the cached tree' });
  await run('git', ['-C', dir, 'config', 'maintenance.auto', 'false'], { what: 'disable git maintenance in the cached tree' });
}

async function commitTree(dir: string, message: string): Promise<void> {
  await run('git', ['init', '--quiet', dir]);
  await noAutoGc(dir);
  await run('git', ['-C', dir, 'add', '-A', '--force'], { what: 'index the kernel tree' });
  await run('git', ['-C', dir, ...GIT_ID, 'commit', '--quiet', '--no-verify', '-m', message], { what: 'commit the kernel tree' });
  const { stdout } = await run('git', ['-C', dir, 'rev-parse', 'HEAD']);
  await writeFile(join(dir, '.git', 'daxlab-base'), stdout.trim());
}

/**
 * Make sure `dest` holds the source as a git tree (materialized once, idempotent) and return the
 * commit to build: the Debian tree's one commit, or the git source's commit, fetched if new.
 */
export async function ensureTree(source: ResolvedSource, dest: string): Promise<string> {
  const marker = join(dest, '.git', 'daxlab-base');
  if (!existsSync(marker)) {
    const tmp = `${dest}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await rm(dest, { recursive: true, force: true });
    await source.materialize(tmp);
    await rename(tmp, dest);
  } else if ((await run('git', ['-C', dest, 'config', '--get', 'gc.auto']).catch(() => ({ stdout: '' }))).stdout.trim() !== '0') {
    await noAutoGc(dest); // a tree made by an older daxlab
  }
  return source.baseIn(dest);
}

/** Reset the cached tree to its base commit; only files that differ are rewritten (so make stays incremental). */
export async function resetTree(dir: string, base: string): Promise<void> {
  await run('git', ['-C', dir, 'am', '--abort'], {}).catch(() => undefined);
  await run('git', ['-C', dir, 'reset', '--quiet', '--hard', base], { what: 'reset the cached kernel tree' });
  await run('git', ['-C', dir, 'clean', '-fdqx'], { what: 'clean the cached kernel tree' });
}

export { GIT_ID };
