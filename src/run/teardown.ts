// A stack of cleanup steps run in reverse order of setup, on success, failure and signals alike.

/** Collects cleanup steps; `run()` executes them newest first and never throws. */
export class Teardown {
  private steps: Array<{ name: string; fn: () => Promise<void> | void }> = [];
  private running: Promise<void> | undefined;
  private onError: ((name: string, err: unknown) => void) | undefined;

  /** Register a cleanup step (runs before every step registered earlier; at once when teardown already ran). */
  add(name: string, fn: () => Promise<void> | void): void {
    this.steps.push({ name, fn });
    // Something set up while teardown was running (an abort during boot): tear it down right after.
    if (this.running) this.running = this.running.then(() => this.runSteps(this.onError));
  }

  /** Run the teardown at once when signal aborts (Ctrl-C during a boot); the listener is itself a step. */
  runOnAbort(signal: AbortSignal | undefined): void {
    if (!signal) return;
    const onAbort = () => void this.run();
    signal.addEventListener('abort', onAbort, { once: true });
    this.add('stop listening for aborts', () => signal.removeEventListener('abort', onAbort));
  }

  /**
   * Run all steps newest first; errors are reported through `onError` and do not stop the rest.
   * A second call (e.g. a signal during shutdown) waits for the first run to finish.
   */
  run(onError?: (name: string, err: unknown) => void): Promise<void> {
    this.onError ??= onError;
    this.running ??= this.runSteps(onError);
    return this.running;
  }

  private async runSteps(onError?: (name: string, err: unknown) => void): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.fn();
      } catch (err) {
        onError?.(step.name, err);
      }
    }
  }
}
