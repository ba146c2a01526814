// SIGINT/SIGTERM: the first one aborts the run (the current case ends, teardown runs, partial
// results are written); a second one kills every child process and exits at once.
import { EXIT } from '../errors.js';
import { killAllSync } from '../vm/registry.js';

/** Install handlers; `dispose()` removes them, `exitCode()` is 130 or 143 once a signal arrived. */
export function installSignalHandlers(abort: AbortController, say: (m: string) => void) {
  let received: NodeJS.Signals | null = null;
  const handler = (sig: NodeJS.Signals) => {
    if (received) {
      say(`daxlab: second ${sig}: killing QEMU and exiting now`);
      killAllSync();
      process.exit(sig === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint);
    }
    received = sig;
    say(`daxlab: ${sig} received: stopping after cleanup (send it again to force)`);
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
