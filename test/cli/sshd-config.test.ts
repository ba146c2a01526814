// The guest sshd config read by the real OpenSSH sshd (-T prints the effective settings): no
// forwarding of any kind. sshd -T needs /run/sshd; it runs in a private mount namespace with a
// tmpfs on /run, so the host is not touched (needs root; skipped otherwise).
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sshdConfigText } from '../../src/guest/sshd-config.js';
import { tempDir } from './kernel/fake-tree.js';

const work = tempDir('sshd');
afterAll(() => rmSync(work, { recursive: true, force: true }));
const SSHD = ['/usr/sbin/sshd', '/usr/local/sbin/sshd'].find((p) => spawnSync(p, ['-V']).error === undefined);
const root = process.getuid?.() === 0;

describe.skipIf(!root || !SSHD)('guest sshd config, as sshd reads it', () => {
  it('allows no TCP, stream-local, agent or X11 forwarding, no tunnels, no gateway ports', () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(work, 'host_key')]);
    writeFileSync(join(work, 'authorized_keys'), '');
    const cfg = join(work, 'sshd_config');
    writeFileSync(cfg, sshdConfigText({ hostKey: join(work, 'host_key'), authorizedKeys: join(work, 'authorized_keys') }));
    const out = execFileSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs tmpfs /run && mkdir /run/sshd && exec "$0" -T -f "$1"', SSHD!, cfg], { encoding: 'utf8' });
    const effective = Object.fromEntries(out.split('\n').filter(Boolean).map((l) => [l.split(' ')[0], l.slice(l.indexOf(' ') + 1)]));
    expect(effective).toMatchObject({
      disableforwarding: 'yes',
      allowtcpforwarding: 'no',
      allowstreamlocalforwarding: 'no',
      allowagentforwarding: 'no',
      x11forwarding: 'no',
      permittunnel: 'no',
      gatewayports: 'no',
      permituserenvironment: 'no',
      passwordauthentication: 'no',
      permitrootlogin: 'without-password',
    });
  });
});
