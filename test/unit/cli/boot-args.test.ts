import { describe, expect, it } from 'vitest';
import { pickPlan, splitBootArgs } from '../../../src/cli/boot-command.js';

const argv = (...words: string[]) => ['node', 'main.js', 'boot', ...words];

describe('daxlab boot [plan] [-- command...]', () => {
  it('takes the plan before -- and the guest command after it, word for word', () => {
    expect(splitBootArgs(['p.yaml', 'uname', '-a'], argv('p.yaml', '--', 'uname', '-a'))).toEqual({ plan: 'p.yaml', command: ['uname', '-a'] });
    expect(splitBootArgs(['uname', '-a'], argv('--', 'uname', '-a'))).toEqual({ plan: undefined, command: ['uname', '-a'] });
    expect(splitBootArgs(['p.yaml'], argv('p.yaml'))).toEqual({ plan: 'p.yaml', command: [] });
    expect(splitBootArgs([], argv())).toEqual({ plan: undefined, command: [] });
    expect(splitBootArgs(['--'], argv('--', '--'))).toEqual({ plan: undefined, command: ['--'] });
  });

  it('refuses two words before -- (a command given without --)', () => {
    expect(() => splitBootArgs(['uname', '-a'], argv('uname', '-a'))).toThrow(/boot takes one plan, got 2 words before --/);
  });

  it('takes the plan positionally or with --plan, not both', () => {
    expect(pickPlan('a.yaml', undefined)).toBe('a.yaml');
    expect(pickPlan(undefined, 'b.yaml')).toBe('b.yaml');
    expect(pickPlan(undefined, undefined)).toBeUndefined();
    expect(() => pickPlan('a.yaml', 'b.yaml')).toThrow(/two plans/);
  });
});
