// A real OpenSSH sshd on a free loopback port that plays a remote KVM host (target kind kvm-host)
// for tests and the remote benchmark: its own host key, one authorized client key, a known_hosts
// file and a target file naming it. The "remote" is this machine, reached only through sshd.
import { execa, type ResultPromise } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { generateEd25519 } from '../src/guest/keys.js';
import { freePort } from '../src/vm/ports.js';

/** One sshd process in its own directory. */
export class SshdHost {
  private proc: ResultPromise | null = null;
  /** The host's public key line (what a correct known_hosts holds). */
  readonly hostPublic: string;

  private constructor(readonly port: number, readonly dir: string) {
    const host = generateEd25519('daxlab-test-host');
    const client = generateEd25519('daxlab-test-client');
    this.hostPublic = host.public;
    const write = (name: string, text: string) => writeFileSync(join(dir, name), text, { mode: 0o600 });
    write('host_key', host.private);
    write('client_key', client.private);
    write('authorized_keys', `${client.public}\n`);
    write('known_hosts', `[127.0.0.1]:${port} ${host.public}\n`);
    write('sshd_config', [
      `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no',
      'StrictModes no', 'UseDNS no', 'PrintMotd no',
      // What daxlab needs of a KVM host's sshd: commands, SFTP, forwards to loopback ports and sockets; nothing else.
      'AllowTcpForwarding local', 'AllowStreamLocalForwarding local', 'AllowAgentForwarding no', 'X11Forwarding no', 'PermitTunnel no',
      'MaxSessions 30', 'Subsystem sftp internal-sftp', '',
    ].join('\n'));
  }

  /** Start sshd in dir (created) on a free port; resolves once it accepts connections. */
  static async start(dir: string): Promise<SshdHost> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // sshd's privilege separation directory.
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const s = new SshdHost(await freePort(), dir);
    s.proc = execa('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { reject: false, cleanup: true, stdin: 'ignore', stdout: 'ignore', stderr: { file: join(dir, 'sshd.log') } });
    const deadline = Date.now() + 10_000;
    while (!(await accepts(s.port))) {
      if (Date.now() > deadline) throw new Error(`sshd did not listen on 127.0.0.1:${s.port}; see ${join(dir, 'sshd.log')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return s;
  }

  /** Write a target file naming this host as kvm-host target `name`; returns its path. */
  targetFile(name: string, extra: Record<string, string | number> = {}, file = 'targets.yaml'): string {
    const fields = { kind: 'kvm-host', host: '127.0.0.1', port: this.port, user: 'root', identity: './client_key', knownHosts: './known_hosts', ...extra };
    const body = Object.entries(fields).map(([k, v]) => `    ${k}: ${v}`).join('\n');
    const path = join(this.dir, file);
    writeFileSync(path, `targets:\n  ${name}:\n${body}\n`);
    return path;
  }

  /** Stop sshd (the sessions it started end with it). */
  async stop(): Promise<void> {
    if (!this.proc) return;
    this.proc.kill('SIGTERM');
    await this.proc;
    this.proc = null;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}
