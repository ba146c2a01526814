// Which Debian package provides each host tool daxlab needs (pure data).

/** Tool (or library) name -> Debian bookworm package that provides it. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  'qemu-system-x86_64': 'qemu-system-x86',
  virtiofsd: 'virtiofsd',
  sshd: 'openssh-server',
  'ssh-keygen': 'openssh-client',
  ndctl: 'ndctl',
  'mkfs.ext4': 'e2fsprogs',
  'mkfs.xfs': 'xfsprogs',
  make: 'build-essential',
  gcc: 'build-essential',
  flex: 'flex',
  bison: 'bison',
  bc: 'bc',
  git: 'git',
  patch: 'patch',
  ccache: 'ccache',
  tar: 'tar',
  xz: 'xz-utils',
  lz4: 'lz4',
  libelf: 'libelf-dev',
  libssl: 'libssl-dev',
  liburing: 'liburing-dev',
  cpio: 'cpio',
  flock: 'util-linux',
  setpriv: 'util-linux',
  setsid: 'util-linux',
  bash: 'bash',
  truncate: 'coreutils',
  tail: 'coreutils',
  fio: 'fio',
  kexec: 'kexec-tools',
  dmesg: 'util-linux',
};

/** The Debian package for a tool, or undefined when daxlab does not know one. */
export function packageFor(tool: string): string | undefined {
  return TOOL_PACKAGES[tool];
}

/** The exact command that installs the given packages (deduplicated, sorted). */
export function installCommand(pkgs: string[]): string {
  return `apt-get install -y ${[...new Set(pkgs)].sort().join(' ')}`;
}
