import { describe, expect, it } from 'vitest';
import { sshdConfigText } from '../../../src/guest/sshd-config.js';

describe('sshdConfigText', () => {
  it('is the exact config, one directive a line', () => {
    expect(sshdConfigText({ hostKey: '/run/d/ssh/host_ed25519_key', authorizedKeys: '/run/d/ssh/authorized_keys' }).split('\n')).toEqual([
      'ListenAddress 0.0.0.0:22',
      'HostKey /run/d/ssh/host_ed25519_key',
      'AuthorizedKeysFile /run/d/ssh/authorized_keys',
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'UseDNS no',
      'PrintMotd no',
      'PrintLastLog no',
      'PidFile /run/sshd.pid',
      'DisableForwarding yes',
      'AllowTcpForwarding no',
      'AllowStreamLocalForwarding no',
      'AllowAgentForwarding no',
      'X11Forwarding no',
      'PermitTunnel no',
      'GatewayPorts no',
      'PermitUserEnvironment no',
      'MaxSessions 50',
      'MaxStartups 50',
      'Subsystem sftp internal-sftp',
      '',
    ]);
  });
});
