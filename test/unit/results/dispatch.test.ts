import { describe, it, expect } from 'vitest';
import { ReporterDispatcher } from '../../../src/results/dispatch.js';
import type { Reporter } from '../../../src/results/types.js';
import { result, summary } from './fixtures.js';

class Broken implements Reporter {
  onCaseEnd(): void {
    throw new Error('disk on fire');
  }
  async onEnd(): Promise<void> {
    throw new Error('still on fire');
  }
}

describe('ReporterDispatcher', () => {
  it('calls every reporter in order and skips missing hooks', async () => {
    const calls: string[] = [];
    const a: Reporter = { onBegin: (i) => void calls.push(`a:begin:${i.cases}`), onStage: (s) => void calls.push(`a:${s}`) };
    const b: Reporter = { onStage: async (s) => void calls.push(`b:${s}`), onCaseEnd: (r) => void calls.push(`b:${r.id}`) };
    const d = new ReporterDispatcher([a, b], () => calls.push('warn'));
    await d.onBegin({ plan: 'p', kernel: 'k', cases: 3 });
    await d.onStage('boot', 'm');
    await d.onCaseEnd(result({ id: 'c' }));
    await d.onEnd(summary(), []);
    expect(calls).toEqual(['a:begin:3', 'a:boot', 'b:boot', 'b:c']);
    expect(d.failures).toEqual([]);
  });

  it('records every error, warns once per reporter and keeps calling the others', async () => {
    const warnings: string[] = [];
    const seen: string[] = [];
    const d = new ReporterDispatcher([new Broken(), { onCaseEnd: (r) => void seen.push(r.id), onEnd: () => void seen.push('end') }], (m) =>
      warnings.push(m),
    );
    await d.onCaseEnd(result({ id: 'one' }));
    await d.onCaseEnd(result({ id: 'two' }));
    await d.onEnd(summary(), []);
    expect(seen).toEqual(['one', 'two', 'end']);
    expect(d.failures.map((f) => `${f.reporter}.${f.hook}`)).toEqual(['Broken.onCaseEnd', 'Broken.onCaseEnd', 'Broken.onEnd']);
    expect(warnings).toEqual(['warning: reporter Broken failed in onCaseEnd: disk on fire (further errors from it are not shown)']);
  });

  it('names plain-object reporters generically and handles non-Error throws', async () => {
    const warnings: string[] = [];
    const d = new ReporterDispatcher([{ onStage: () => Promise.reject('nope') }], (m) => warnings.push(m));
    await d.onStage('s', 'm');
    expect(warnings).toEqual(['warning: reporter reporter failed in onStage: nope (further errors from it are not shown)']);
  });
});
