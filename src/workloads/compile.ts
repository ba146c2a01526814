// Compiling the guest C programs on the host (the guest runs them from the host
// root shared read-only over 9p). Content-addressed: one output directory per
// hash of the sources, the compiler version and the flags, reused when present.
import { createHash } from 'node:crypto';
import { access, mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { DaxlabError } from '../errors.js';

/** gcc flags used for every guest program (-luring is added for those that include liburing.h). */
export const CFLAGS = ['-O2', '-Wall', '-Wextra', '-pthread'] as const;

/** Options mostly for tests: another gcc, extra flags (part of the hash). */
export interface CompileOptions {
  gcc?: string;
  extraFlags?: string[];
}

/** Where the compiled programs are and their names (the .c names without ".c"). */
export interface CompiledPrograms {
  binDir: string;
  programs: string[];
}

/** The DaxlabError for a failed gcc run of program, from its stderr. */
export function classifyCompileFailure(program: string, stderr: string, localHeaders: string[] = []): DaxlabError {
  const lines = stderr.split('\n').filter((l) => l.trim().length > 0);
  if (/liburing\.h: No such file|cannot find -luring/.test(stderr)) {
    return new DaxlabError(
      'HOST_MISSING',
      `liburing development files are missing (needed by ${program}); install them: apt-get install liburing-dev`,
      lines.slice(0, 10),
    );
  }
  const header = /fatal error: (\S+\.h): No such file or directory/.exec(stderr)?.[1];
  if (header && !localHeaders.includes(header)) {
    return new DaxlabError(
      'HOST_MISSING',
      `C header ${header} is missing (needed by ${program}); install the toolchain: apt-get install build-essential`,
      lines.slice(0, 10),
    );
  }
  const errors = lines.filter((l) => /error|undefined reference/i.test(l));
  return new DaxlabError(
    'BUILD_FAILED',
    `compiling guest program ${program} failed`,
    (errors.length > 0 ? errors : lines).slice(0, 20),
  );
}

async function gccVersion(gcc: string): Promise<string> {
  try {
    const v = await execa(gcc, ['--version']);
    const m = await execa(gcc, ['-dumpmachine']);
    return `${v.stdout.split('\n')[0] ?? ''} ${m.stdout.trim()}`;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'EACCES') {
      throw new DaxlabError('HOST_MISSING', `${gcc} not found; install it: apt-get install gcc`);
    }
    throw new DaxlabError('HOST_MISSING', `${gcc} --version failed: ${(e as Error).message}`);
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Compile every srcDir/*.c into outDir/<hash>/ (reused when it exists); a *.so.c becomes a shared object *.so. */
export async function compileGuestPrograms(
  srcDir: string,
  outDir: string,
  opts: CompileOptions = {},
): Promise<CompiledPrograms> {
  const src = resolve(srcDir);
  const gcc = opts.gcc ?? 'gcc';
  const flags = [...CFLAGS, ...(opts.extraFlags ?? [])];
  const names = (await readdir(src)).filter((n) => /\.[ch]$/.test(n)).sort();
  const sources = names.filter((n) => n.endsWith('.c'));
  if (sources.length === 0) throw new DaxlabError('BUILD_FAILED', `no C sources in ${src}`);

  const hash = createHash('sha256');
  const contents = new Map<string, string>();
  for (const n of names) {
    const text = await readFile(join(src, n), 'utf8');
    contents.set(n, text);
    hash.update(`${n}\0${text}\0`);
  }
  hash.update(`${await gccVersion(gcc)}\0${JSON.stringify(flags)}`);
  const binDir = join(resolve(outDir), hash.digest('hex').slice(0, 16));
  const programs = sources.map((n) => n.slice(0, -2));
  const complete = async (dir: string) =>
    (await Promise.all(programs.map((p) => exists(join(dir, p))))).every(Boolean);
  if (await complete(binDir)) return { binDir, programs };

  await mkdir(resolve(outDir), { recursive: true });
  const tmp = await mkdtemp(join(resolve(outDir), '.tmp-'));
  try {
    for (const n of sources) {
      const libs = /#include\s*<liburing\.h>/.test(contents.get(n) ?? '') ? ['-luring'] : [];
      const shared = n.endsWith('.so.c') ? ['-shared', '-fPIC'] : [];
      const r = await execa(gcc, [...flags, ...shared, '-o', join(tmp, n.slice(0, -2)), join(src, n), ...libs], {
        reject: false,
        timeout: 120_000,
      });
      if (r.exitCode !== 0) {
        throw classifyCompileFailure(n, `${r.stderr}\n${r.stdout}`, names.filter((h) => h.endsWith('.h')));
      }
    }
    if (await complete(binDir)) return { binDir, programs }; // another process finished first
    await rm(binDir, { recursive: true, force: true }); // an incomplete leftover
    try {
      await rename(tmp, binDir);
    } catch (e) {
      // Another daxlab process finished the same build first: use its output.
      if (!(await complete(binDir))) throw e;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return { binDir, programs };
}
