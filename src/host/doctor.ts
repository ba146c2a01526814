// Turns HostCaps into a readable report plus the exact commands that fix gaps (pure).
import type { HostCaps } from './types.js';
import { installCommand, packageFor } from './packages.js';

/** A missing tool, the package that provides it and the command that installs it. */
export interface MissingTool {
  tool: string;
  pkg: string;
  fix: string;
}

/** Lines describing the host, and every missing tool with its fix. */
export function doctorReport(caps: HostCaps): { lines: string[]; missing: MissingTool[] } {
  const lines: string[] = [];
  const missing: MissingTool[] = [];
  const need = (tool: string) => {
    const pkg = packageFor(tool) ?? tool;
    missing.push({ tool, pkg, fix: installCommand([pkg]) });
  };

  lines.push(
    caps.kvm
      ? 'KVM: usable (/dev/kvm): QEMU will use hardware virtualisation'
      : `KVM: not usable (${caps.kvmReason || 'unknown reason'}): QEMU will use TCG (software emulation, roughly 10x slower)`,
  );
  if (caps.qemu) {
    lines.push(`QEMU: ${caps.qemu.path} version ${caps.qemu.version || 'unknown'}, ${caps.qemu.devices.length} devices`);
    lines.push(
      caps.qemu.virtiofsDaxWindow
        ? 'virtio-fs DAX window: available (vhost-user-fs-pci has cache-size)'
        : 'virtio-fs DAX window: not available (vhost-user-fs-pci has no cache-size property); virtiofs DAX cases will be skipped',
    );
    for (const dev of ['nvdimm', 'virtio-pmem-pci', 'vhost-user-fs-pci', 'virtio-9p-pci', 'virtio-net-pci']) {
      if (!caps.qemu.devices.includes(dev)) lines.push(`QEMU device ${dev}: missing`);
    }
  } else {
    lines.push('QEMU: qemu-system-x86_64 not found');
    need('qemu-system-x86_64');
  }
  lines.push(caps.virtiofsd ? `virtiofsd: ${caps.virtiofsd}` : 'virtiofsd: not found (only the virtiofs backend needs it)');
  if (!caps.virtiofsd) need('virtiofsd');

  for (const [tool, where] of Object.entries(caps.tools).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${tool}: ${where ?? 'missing'}`);
    if (!where) need(tool);
  }
  // One package may provide several tools; report each tool, but keep the fix per package.
  return { lines, missing };
}
