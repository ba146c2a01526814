// SIGINT/SIGTERM: the first one aborts the run (the case in progress is stopped, teardown runs,
// partial results are written); a second one kills every child process, removes the run dirs,
// flushes what finished and exits at once.
import { EXIT } from '../errors.js';
import { killAllSync } from '../vm/registry.js';
import { removeAllSync } from './exit-cleanup.js';

/** Install handlers; `dispose()` removes them, `exitCode()` is 130 or 143 once a signal arrived. */
export function installSignalHandlers(abort: AbortController, say: (m: string) => void, onForce?: (code: number) => void) {
  let received: NodeJS.Signals | null = null;
  const handler = (sig: NodeJS.Signals) => {
    if (received) {
      const code = received === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
      say(`daxlab: second ${sig}: killing QEMU and exiting now`);
      killAllSync();
      removeAllSync();
      try {
        onForce?.(code);
      } catch (err) {
        say(`daxlab: could not write the partial results: ${(err as Error).message}`);
      }
      process.exit(code);
    }
    received = sig;
    say(`daxlab: ${sig} received: stopping the current case and cleaning up (send it again to force)`);
    abort.abort(new Error(sig));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  const onExit = () => killAllSync();
  process.on('exit', onExit);
  return {
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
    exitCode(): number | null {
      if (!received) return null;
      return received === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
    },
  };
}
