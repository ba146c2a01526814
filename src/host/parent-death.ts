// Children that die with daxlab, even when daxlab is killed with SIGKILL: they are started through
// util-linux's setpriv, which sets PR_SET_PDEATHSIG and then execs the real program. The kernel
// sends the signal when the thread that forked the child exits; Node forks children from its main
// thread (libuv's uv_spawn runs on the loop thread), so that is when the daxlab process exits.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Pure: argv wrapped so the child gets `signal` when its parent dies (unchanged without setpriv). */
export function withParentDeathSignal(argv: readonly string[], setpriv: string | null, signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): string[] {
  return setpriv ? [setpriv, '--pdeathsig', signal, '--', ...argv] : [...argv];
}

let found: string | null | undefined;

/** Path of setpriv on PATH (or /usr/bin), or null; looked up once. */
export function setprivPath(env: NodeJS.ProcessEnv = process.env): string | null {
  if (found !== undefined) return found;
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/bin'];
  found = null;
  for (const dir of dirs) {
    try {
      accessSync(join(dir, 'setpriv'), constants.X_OK);
      found = join(dir, 'setpriv');
      break;
    } catch {
      // not here
    }
  }
  return found;
}

/** `argv` wrapped with setpriv when this host has it (see withParentDeathSignal). */
export function dyingWithUs(argv: readonly string[], signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): string[] {
  return withParentDeathSignal(argv, setprivPath(), signal);
}
