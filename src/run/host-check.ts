// Before anything starts: the host tools a run needs, each missing one named with its package.
import { DaxlabError } from '../errors.js';
import { installCommand, packageFor } from '../host/packages.js';
import type { HostCaps } from '../host/types.js';
import type { Plan } from '../plan/types.js';

const RUN_TOOLS = ['make', 'gcc', 'flex', 'bison', 'bc', 'git', 'patch', 'tar', 'lz4', 'sshd', 'ndctl', 'mkfs.ext4', 'mkfs.xfs'];

/** Pure: what is missing for this plan on this host (tool, package). */
export function missingForPlan(plan: Plan, caps: HostCaps): Array<{ tool: string; pkg: string }> {
  const missing: Array<{ tool: string; pkg: string }> = [];
  if (!caps.qemu) missing.push({ tool: 'qemu-system-x86_64', pkg: 'qemu-system-x86' });
  for (const tool of RUN_TOOLS) {
    if (!caps.tools[tool]) missing.push({ tool, pkg: packageFor(tool) ?? tool });
  }
  if (plan.backend === 'virtiofs' && !caps.virtiofsd) missing.push({ tool: 'virtiofsd', pkg: 'qemu-system-x86' });
  return missing;
}

/** Pure: why this host's QEMU cannot provide the plan's backend at all (every case is a skip), or null. */
export function unsupportedBackend(plan: Plan, caps: HostCaps): string | null {
  if (plan.backend === 'virtiofs' && caps.qemu && !caps.qemu.virtiofsDaxWindow) {
    return `QEMU ${caps.qemu.version} has no virtio-fs DAX window (vhost-user-fs-pci has no cache-size property)`;
  }
  return null;
}

/** Throw HOST_MISSING naming every missing tool and the command that installs them. */
export function assertHostReady(plan: Plan, caps: HostCaps): void {
  const missing = missingForPlan(plan, caps);
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  throw new DaxlabError(
    'HOST_MISSING',
    `missing on this host: ${missing.map((m) => `${m.tool} (package ${m.pkg})`).join(', ')}`,
    [`fix: ${installCommand(pkgs)}`, 'or run: bash scripts/setup.sh'],
  );
}
