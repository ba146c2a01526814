// Facts about the host, probed once and passed to pure code.

export interface HostCaps {
  /** True when /dev/kvm exists and can be opened read-write. */
  kvm: boolean;
  /** Why KVM is not used (e.g. "/dev/kvm does not exist"), empty when kvm is true. */
  kvmReason: string;
  qemu: {
    path: string;
    version: string; // "7.2.22"
    /** Device names from `-device help`. */
    devices: string[];
    /** True when vhost-user-fs-pci has a cache-size property (a virtio-fs DAX window). */
    virtiofsDaxWindow: boolean;
  } | null;
  virtiofsd: string | null;
  /** Host tools found on PATH: name -> absolute path or null. */
  tools: Record<string, string | null>;
}
