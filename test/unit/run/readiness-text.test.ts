import { describe, expect, it } from 'vitest';
import { readinessText } from '../../../src/run/booted-guest.js';

describe('readinessText', () => {
  it('says when the kernel ran init and when init started sshd, so a slow boot shows where its time went', () => {
    expect(readinessText({ kernelInitMs: 1643.7, sshdStartedMs: 2757.2, readyMs: 3577.4 }, 'TCG, guest clocksource tsc')).toBe(
      'guest ready in 3.6 s (TCG, guest clocksource tsc); kernel ran init at 1.6 s, sshd started at 2.8 s',
    );
  });
});
