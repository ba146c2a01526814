// A stack of cleanup steps run in reverse order of setup, on success, failure and signals alike.

/** Collects cleanup steps; `run()` executes them newest first and never throws. */
export class Teardown {
  private steps: Array<{ name: string; fn: () => Promise<void> | void }> = [];
  private ran = false;

  /** Register a cleanup step (runs before every step registered earlier). */
  add(name: string, fn: () => Promise<void> | void): void {
    this.steps.push({ name, fn });
  }

  /** Run all steps newest first; errors are reported through `onError` and do not stop the rest. */
  async run(onError?: (name: string, err: unknown) => void): Promise<void> {
    if (this.ran) return;
    this.ran = true;
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
