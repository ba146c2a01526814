// The guest sshd's configuration text (pure).

/** Absolute paths the guest sshd reads (all inside the run directory). */
export interface SshdPaths {
  hostKey: string;
  authorizedKeys: string;
}

/** sshd_config for the guest: root with a key only, no PAM, no DNS, nothing that writes outside tmpfs. */
export function sshdConfigText(paths: SshdPaths): string {
  return [
    'ListenAddress 0.0.0.0:22',
    `HostKey ${paths.hostKey}`,
    `AuthorizedKeysFile ${paths.authorizedKeys}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The keys sit on the host's file system (9p, read-only); their owners are the host's.
    'StrictModes no',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'PidFile /run/sshd.pid',
    // Commands and a shell only: no forwarding of any kind, no tunnels, no agent, no X11.
    'DisableForwarding yes',
    'AllowTcpForwarding no',
    'AllowStreamLocalForwarding no',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PermitTunnel no',
    'GatewayPorts no',
    'PermitUserEnvironment no',
    // The runner opens many channels on one connection.
    'MaxSessions 50',
    'MaxStartups 50',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}
