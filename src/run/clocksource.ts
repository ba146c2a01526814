// Proof that a guest really ran on KVM: under KVM the guest kernel (CONFIG_KVM_GUEST) picks the
// paravirtual kvm-clock; under TCG it never can. A runner that asked for KVM and silently got
// TCG shows in the clocksource, which every run records and prints.
import type { Accel } from '../vm/types.js';
import type { GuestExec } from './guest-port.js';

/** The guest kernel's current clocksource, or undefined when it cannot be read. */
export async function guestClocksource(guest: GuestExec): Promise<string | undefined> {
  const r = await guest.exec(['cat', '/sys/devices/system/clocksource/clocksource0/current_clocksource'], { timeoutMs: 10_000 }).catch(() => null);
  const v = r?.exitCode === 0 ? r.stdout.trim() : '';
  return v === '' ? undefined : v;
}

/** Pure: the warning when QEMU says KVM but the guest's clocksource says otherwise, else null. */
export function kvmDoubt(accel: Accel, clocksource: string | undefined): string | null {
  if (accel !== 'kvm' || clocksource === 'kvm-clock') return null;
  return `QEMU was started with KVM, but the guest's clocksource is ${clocksource ?? 'unreadable'}, not kvm-clock: ` +
    'the kernel under test may lack CONFIG_KVM_GUEST, or the guest is not really on KVM';
}
