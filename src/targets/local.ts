// The target "local": QEMU on this machine, KVM when /dev/kvm is usable, else TCG.
import { probeHost } from '../host/probe.js';
import type { HostCaps } from '../host/types.js';
import type { Plan } from '../plan/types.js';
import { assertHostReady, unsupportedBackend } from '../run/host-check.js';
import { guestBooter } from '../cli/guest-booter.js';
import { LOCAL_TARGET } from '../plan/defaults.js';
import type { RunTarget } from './types.js';

/** Probe this host once and return the local target; `slots` is how many VMs may run at once (--jobs). */
export async function localTarget(plan: Plan, slots: number, extraCmdline?: string[]): Promise<RunTarget & { caps: HostCaps }> {
  const caps = await probeHost({ qemu: plan.vm.qemu, virtiofsd: plan.vm.virtiofsd });
  // Fail before any build when a tool the guests need is missing (a backend QEMU lacks is a skip).
  if (!unsupportedBackend(plan, caps)) assertHostReady(plan, caps);
  return {
    name: LOCAL_TARGET,
    kind: 'local',
    slots,
    caps,
    describe: () => (caps.kvm ? 'KVM is usable: hardware virtualisation' : `KVM not usable (${caps.kvmReason}): using TCG, software emulation`),
    unsupported: (p) => unsupportedBackend(p, caps),
    booter: async (p, built) => {
      assertHostReady(p, caps);
      return guestBooter(p, caps, { selftestsDir: built.artifact.selftests, extraCmdline });
    },
    close: async () => undefined,
  };
}
