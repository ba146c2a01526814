import { describe, expect, it } from 'vitest';
import { readinessText } from '../../../src/run/booted-guest.js';

describe('readinessText', () => {
  it('says when the kernel ran init and when init started sshd, so a slow boot shows where its time went', () => {
    expect(readinessText({ timings: { kernelInitMs: 1643.7, sshdStartedMs: 2757.2, readyMs: 3577.4 }, accel: 'tcg', clocksource: 'tsc' })).toBe(
      'guest ready in 3.6 s (TCG, guest clocksource tsc); kernel ran init at 1.6 s, sshd started at 2.8 s',
    );
  });

  it('says unknown when the clocksource could not be read', () => {
    expect(readinessText({ timings: { kernelInitMs: 400, sshdStartedMs: 700, readyMs: 1100 }, accel: 'kvm' })).toBe(
      'guest ready in 1.1 s (KVM, guest clocksource unknown); kernel ran init at 0.4 s, sshd started at 0.7 s',
    );
  });
});
