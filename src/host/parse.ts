// Pure parsers for QEMU's help output, used by the host probe.

/** The version from `qemu-system-x86_64 -version` ("7.2.22"), or "" when absent. */
export function parseQemuVersion(out: string): string {
  return /version\s+(\d+\.\d+(?:\.\d+)?)/i.exec(out)?.[1] ?? '';
}

/** Device names from `-device help` (lines like `name "nvdimm", desc "..."`). */
export function parseDeviceHelp(out: string): string[] {
  const names = new Set<string>();
  for (const m of out.matchAll(/^name "([^"]+)"/gm)) names.add(m[1]!);
  return [...names].sort();
}

/** True when `-device DEV,help` lists the given property. */
export function hasDeviceProperty(out: string, prop: string): boolean {
  return out.split('\n').some((l) => l.trim().startsWith(`${prop}=`));
}

/**
 * Why KVM is not usable ("" when it is), from the error opening /dev/kvm (a code such as
 * ENOENT, or undefined when it opened) and the text of /proc/cpuinfo (undefined: unknown).
 * Some sandboxes hand out a /dev/kvm that opens but cannot run Linux (no vmx/svm in the
 * CPU flags; measured: QEMU aborts on MSR 0x10a, or the kernel never prints a line).
 */
export function kvmVerdict(dev: string, openError: string | undefined, cpuinfo: string | undefined): string {
  if (openError === 'ENOENT') return `${dev} does not exist`;
  if (openError === 'EACCES' || openError === 'EPERM') return `${dev} is not accessible (permission denied; join group kvm)`;
  if (openError) return `${dev} cannot be opened (${openError})`;
  if (cpuinfo !== undefined && !/^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo)) {
    return `${dev} opens, but the CPU advertises neither vmx nor svm (a nested or sandboxed /dev/kvm that cannot run Linux)`;
  }
  return '';
}
