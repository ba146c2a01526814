// Run the kernel's make out of tree, stream its output to a log, report progress, and turn a
// failure into the compiler's error lines plus the log path.
import { createWriteStream, existsSync } from 'node:fs';
import { execa } from 'execa';
import { DaxlabError } from '../errors.js';
import { dyingWithUs } from '../host/parent-death.js';
import { resultsIoError } from '../results/ioerror.js';
import { notStarted } from './exec.js';

/** Pure: the lines of a build log worth showing when make fails. */
export function buildErrorLines(log: string, max = 20): string[] {
  const lines = log.split('\n');
  const picked = lines.filter((l) => /\berror\b|\*\*\*|undefined reference|fatal:/i.test(l) && !/^\s*CC\b/.test(l));
  return picked.slice(0, max);
}

/** Pure: a short progress label from a kbuild output line ("CC fs/dax.o" -> "CC fs/dax.o"). */
export function progressOf(line: string): string | null {
  const m = /^\s{2}([A-Z][A-Z0-9_\-]{1,10})\s+(\S+)/.exec(line);
  return m ? `${m[1]} ${m[2]}` : null;
}

export interface MakeOptions {
  src: string;
  obj: string;
  jobs: number;
  logFile: string;
  /** Use ccache when it is installed (a warm cache makes a fresh object dir cheap). */
  ccache: boolean;
  /** Base directory for ccache path rewriting (the tree's parent). */
  ccacheBase: string;
  timeoutMs: number;
  /** Also make `modules` in the same invocation (with CONFIG_MODULES: it writes the Module.symvers daxlab's probe module links against). */
  modules?: boolean;
  /** Also make `headers` in the same invocation, so the uapi headers the selftests need install alongside the compile instead of after it. */
  headers?: boolean;
  onProgress?: (step: string) => void;
  signal?: AbortSignal;
}

/** Pure: the arguments of daxlab's kernel make (bzImage, and modules and headers when asked). */
export function kernelMakeArgs(o: Pick<MakeOptions, 'src' | 'obj' | 'jobs' | 'ccache' | 'modules' | 'headers'>): string[] {
  return [
    '-C', o.src, `O=${o.obj}`, 'ARCH=x86_64', `-j${o.jobs}`, 'bzImage',
    ...(o.modules ? ['modules'] : []), ...(o.headers ? ['headers'] : []), ...(o.ccache ? ['CC=ccache gcc'] : []),
  ];
}

/** make bzImage (and modules, headers); resolves with the image path. */
export async function makeBzImage(o: MakeOptions): Promise<string> {
  const log = createWriteStream(o.logFile);
  // A log that cannot be written (a full disk, a read-only results dir) stops the build: the error
  // is reported with the log's path (exit 69), never left to crash daxlab as an unhandled stream error.
  let logError: unknown = null;
  const logClosed = new Promise<void>((r) => log.once('close', () => r()));
  const args = kernelMakeArgs(o);
  // SIGTERM when daxlab dies, even by SIGKILL: make passes it on to its jobs and sub-makes, so no
  // orphaned build keeps writing the object dir after the build lock is released.
  const [file, ...argv] = dyingWithUs(['make', ...args], 'SIGTERM') as [string, ...string[]];
  const child = execa(file, argv, {
    all: true,
    reject: false,
    stdin: 'ignore',
    timeout: o.timeoutMs,
    cancelSignal: o.signal,
    env: { CCACHE_BASEDIR: o.ccacheBase, KBUILD_BUILD_USER: 'daxlab', KBUILD_BUILD_HOST: 'daxlab' },
    buffer: { all: true, stdout: false, stderr: false },
  });
  log.on('error', (err) => {
    logError ??= err;
    child.kill('SIGTERM');
  });
  let last = 0;
  child.all?.on('data', (chunk: Buffer) => {
    if (logError === null) log.write(chunk);
    const now = Date.now();
    if (o.onProgress && now - last > 1000) {
      const lines = chunk.toString('utf8').split('\n');
      for (let i = lines.length - 1; i >= 0; i--) {
        const step = progressOf(lines[i]!);
        if (step) {
          o.onProgress(step);
          last = now;
          break;
        }
      }
    }
  });
  const r = await child;
  log.end();
  await logClosed;
  if (logError !== null) throw resultsIoError('write the build log', o.logFile, logError);
  if (notStarted(r.exitCode, String(r.all ?? '')) || (r as { code?: string }).code === 'ENOENT') {
    throw new DaxlabError('HOST_MISSING', 'make is not installed (needed to build the kernel)', ['fix: apt-get install -y build-essential']);
  }
  if (r.exitCode !== 0 || r.timedOut || r.isCanceled) {
    const why = r.timedOut ? 'timed out' : r.isCanceled ? 'was interrupted' : `failed (exit ${r.exitCode})`;
    throw new DaxlabError('BUILD_FAILED', `kernel build ${why}`, [...buildErrorLines(String(r.all ?? '')), `log: ${o.logFile}`]);
  }
  const image = `${o.obj}/arch/x86/boot/bzImage`;
  if (!existsSync(image)) throw new DaxlabError('BUILD_FAILED', `make succeeded but ${image} is missing`, [`log: ${o.logFile}`]);
  return image;
}
