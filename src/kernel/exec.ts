// Running host commands for the kernel stages: argument arrays only, errors with command, code and output tail.
import { execa, type Options } from 'execa';
import { DaxlabError, type ErrorCode } from '../errors.js';
import { dyingWithUs } from '../host/parent-death.js';

/** The last `n` non-empty lines of a text. */
export function tail(text: string, n: number): string[] {
  return text.split('\n').filter((l) => l.trim() !== '').slice(-n);
}

/** Pure: true when setpriv (see host/parent-death.ts) could not start the program at all. */
export function notStarted(exitCode: number | undefined, stderr: string): boolean {
  return exitCode === 127 && /^setpriv: failed to execute .*: No such file or directory/m.test(stderr);
}

/**
 * Run a command; on failure throw a DaxlabError naming the command, its exit code and output tail.
 * It gets SIGTERM when daxlab dies (setpriv --pdeathsig), so a killed daxlab leaves no clone, tar or
 * make running on in the cache.
 */
export async function run(
  file: string,
  args: string[],
  opts: Options & { errorCode?: ErrorCode; what?: string } = {},
): Promise<{ stdout: string; stderr: string }> {
  const { errorCode = 'BUILD_FAILED', what, ...execaOpts } = opts;
  try {
    const [bin, ...argv] = dyingWithUs([file, ...args], 'SIGTERM') as [string, ...string[]];
    const r = await execa(bin, argv, { stdin: 'ignore', ...execaOpts });
    return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  } catch (err) {
    const e = err as { exitCode?: number; stdout?: unknown; stderr?: unknown; code?: string; shortMessage?: string };
    if (e.code === 'ENOENT' || notStarted(e.exitCode, String(e.stderr ?? ''))) {
      throw new DaxlabError('HOST_MISSING', `${file} is not installed (needed to ${what ?? 'build the kernel'})`);
    }
    const out = `${String(e.stdout ?? '')}\n${String(e.stderr ?? '')}`;
    const full = /No space left on device|Disk quota exceeded/.test(out)
      ? ['a file system is full (see the output above): free space (daxlab cache gc), or set DAXLAB_CACHE to a larger file system']
      : [];
    throw new DaxlabError(
      errorCode,
      `${what ?? [file, ...args].join(' ')} failed (exit ${e.exitCode ?? '?'})`,
      [`$ ${[file, ...args].join(' ')}`, ...tail(out, 15), ...full],
    );
  }
}
