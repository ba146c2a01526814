import { describe, expect, it } from 'vitest';
import { guestClocksource, kvmDoubt } from '../../../src/run/clocksource.js';

describe('KVM proof by the guest clocksource', () => {
  it('doubts KVM only when QEMU said KVM and the guest does not run kvm-clock', () => {
    expect(kvmDoubt('kvm', 'kvm-clock')).toBeNull();
    expect(kvmDoubt('tcg', 'tsc')).toBeNull();
    expect(kvmDoubt('kvm', 'tsc')).toMatch(/^QEMU was started with KVM, but the guest's clocksource is tsc, not kvm-clock/);
    expect(kvmDoubt('kvm', undefined)).toMatch(/clocksource is unreadable/);
  });

  it('reads the clocksource from sysfs, undefined when the read fails', async () => {
    const ok = { exec: async (argv: string[]) => ({ exitCode: 0, stdout: argv.includes('/sys/devices/system/clocksource/clocksource0/current_clocksource') ? 'kvm-clock\n' : '', stderr: '' }) };
    expect(await guestClocksource(ok)).toBe('kvm-clock');
    const bad = { exec: async () => ({ exitCode: 1, stdout: '', stderr: 'No such file' }) };
    expect(await guestClocksource(bad)).toBeUndefined();
    const lost = { exec: async () => Promise.reject(new Error('lost')) };
    expect(await guestClocksource(lost)).toBeUndefined();
  });
});
