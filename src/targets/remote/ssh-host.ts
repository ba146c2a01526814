// One SSH connection (ssh2) to a remote host of a target: its key checked against the target's
// known_hosts before anything is sent, commands run as argv (each word quoted), SFTP, and
// forwards to the host's loopback ports and sockets over the same connection.
import { readFile } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import { DaxlabError } from '../../errors.js';
import { shellQuote } from '../../guest/quote.js';
import { checkHostKey, hostField, knownKeyTypes, parseKnownHosts, type HostKeyVerdict } from '../known-hosts.js';
import type { SshSpec } from '../target-spec.js';

/** What a command on the host printed and how it ended. */
export interface RemoteResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Why a host key was refused, as lines a person can act on. */
export function hostKeyRefusal(spec: Pick<SshSpec, 'name' | 'host' | 'port' | 'knownHosts'>, v: Exclude<HostKeyVerdict, { kind: 'known' }>): DaxlabError {
  const where = `${spec.name} (${hostField(spec.host, spec.port)})`;
  if (v.kind === 'unknown') {
    return new HostKeyRefused('TARGET_FAILED', `target ${where}: its host key ${v.fingerprint} is not in ${spec.knownHosts}; nothing was run`, [
      'fix: check that fingerprint on the host itself (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then add the key:',
      `  ssh-keyscan -p ${spec.port} ${spec.host} >> ${spec.knownHosts}`,
    ]);
  }
  if (v.kind === 'revoked') {
    return new HostKeyRefused('TARGET_FAILED', `target ${where}: its host key ${v.fingerprint} is revoked in ${spec.knownHosts} line ${v.line}; nothing was run`);
  }
  return new HostKeyRefused('TARGET_FAILED', `target ${where}: HOST KEY CHANGED: it presented ${v.fingerprint}; ${spec.knownHosts} expects ${v.expected.join(', ')}; nothing was run`, [
    'someone may be in the middle, or the host was reinstalled: verify it before you edit the known_hosts file',
  ]);
}

/** The host key was not vouched for by known_hosts: never retried, nothing was run. */
export class HostKeyRefused extends DaxlabError {}

/** A live connection to a target's host. */
export class RemoteHost {
  private sftpP: Promise<ssh2.SFTPWrapper> | undefined;
  private closedWhy: string | null = null;

  private constructor(
    readonly spec: SshSpec,
    private readonly client: ssh2.Client,
    /** The host key the host presented and known_hosts vouched for (SSH wire blob). */
    readonly hostKey: Buffer,
    /** How it logged in: the identity's private key, or ssh-agent's socket (for a second connection to the same machine). */
    readonly auth: { privateKey: string } | { agent: string },
  ) {
    client.on('close', () => (this.closedWhy ??= 'the connection closed'));
    client.on('error', (e) => (this.closedWhy ??= e.message));
  }

  /** Connect and log in; the host key must be in the target's known_hosts (else TARGET_FAILED, nothing run). */
  static async connect(spec: SshSpec): Promise<RemoteHost> {
    const known = parseKnownHosts(await readFile(spec.knownHosts, 'utf8').catch((e: Error) => {
      throw new DaxlabError('TARGET_FAILED', `target ${spec.name}: cannot read known_hosts ${spec.knownHosts}: ${e.message}`);
    }));
    const privateKey = spec.identity
      ? await readFile(spec.identity, 'utf8').catch((e: Error) => {
          throw new DaxlabError('TARGET_FAILED', `target ${spec.name}: cannot read identity ${spec.identity}: ${e.message}`);
        })
      : undefined;
    const agent = spec.identity ? undefined : process.env.SSH_AUTH_SOCK;
    if (!privateKey && !agent) throw new DaxlabError('TARGET_FAILED', `target ${spec.name}: agent: true, but SSH_AUTH_SOCK is not set`);
    const auth = privateKey ? { privateKey } : { agent: agent! };
    const types = knownKeyTypes(known, spec.host, spec.port);
    return new Promise((resolve, reject) => {
      const client = new ssh2.Client();
      let refused: DaxlabError | undefined;
      let accepted: Buffer = Buffer.alloc(0);
      client.once('ready', () => resolve(new RemoteHost(spec, client, accepted, auth)));
      // ssh2 may emit more than one error for a failed attempt (a reset after a timeout): all handled, the first one counts.
      client.on('error', (e) => {
        client.end();
        reject(refused ?? new DaxlabError('TARGET_FAILED', `target ${spec.name}: ssh ${spec.user}@${hostField(spec.host, spec.port)}: ${e.message}`));
      });
      client.connect({
        host: spec.host,
        port: spec.port,
        username: spec.user,
        ...auth,
        agentForward: false,
        tryKeyboard: false,
        readyTimeout: spec.connectTimeoutSec * 1000,
        keepaliveInterval: 5_000,
        keepaliveCountMax: 3,
        // Ask for the key types the file knows, so a host with several keys shows one that can be checked.
        ...(types.length > 0 ? { algorithms: { serverHostKey: types as ssh2.ServerHostKeyAlgorithm[] } } : {}),
        hostVerifier: (key: Buffer) => {
          const v = checkHostKey(known, spec.host, spec.port, key);
          if (v.kind !== 'known') refused = hostKeyRefusal(spec, v);
          else accepted = key;
          return v.kind === 'known';
        },
      });
    });
  }

  /** Why the connection is gone, or null while it lives. */
  closed(): string | null {
    return this.closedWhy;
  }

  /** Start argv on the host (its words quoted, never a string from target fields); the channel is the caller's. */
  spawn(argv: readonly string[]): Promise<ssh2.ClientChannel> {
    return new Promise((resolve, reject) => {
      this.client.exec(shellQuote(argv), (err, ch) => (err ? reject(this.lost(err)) : resolve(ch)));
    });
  }

  /** Run argv on the host to its end (its stdin closed at once); a timeout closes the channel. */
  async exec(argv: readonly string[], o: { timeoutMs?: number } = {}): Promise<RemoteResult> {
    const ch = await this.spawn(argv);
    return new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      const timer = o.timeoutMs ? setTimeout(() => ch.close(), o.timeoutMs) : undefined;
      ch.on('data', (d: Buffer) => (stdout += d.toString()));
      ch.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      ch.on('exit', (c: number | null) => (code = c));
      ch.on('close', () => {
        if (timer) clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      ch.end();
    });
  }

  /** The host's SFTP session (opened once). */
  sftp(): Promise<ssh2.SFTPWrapper> {
    this.sftpP ??= new Promise((resolve, reject) => this.client.sftp((err, s) => (err ? reject(this.lost(err)) : resolve(s))));
    return this.sftpP;
  }

  /**
   * A stream to 127.0.0.1:port as seen from the host (nothing listens on the host's network). When the
   * far end closes (QEMU died), sshd only half-closes the channel: this side is closed then too, so
   * whatever reads the stream sees it end at once instead of a connection that hangs open.
   */
  forwardOut(port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      this.client.forwardOut('127.0.0.1', 0, '127.0.0.1', port, (err, s) => {
        if (err) return reject(err);
        s.once('end', () => s.end());
        resolve(s);
      });
    });
  }

  /** A stream to a Unix socket on the host (QEMU's monitor). */
  streamLocal(path: string): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      this.client.openssh_forwardOutStreamLocal(path, (err, s) => (err ? reject(err) : resolve(s)));
    });
  }

  /** Close the connection (what runs on the host sees its stdin end and cleans up). */
  close(): void {
    this.client.end();
  }

  private lost(err: Error): DaxlabError {
    return new DaxlabError('TARGET_FAILED', `target ${this.spec.name}: ${this.closedWhy ?? err.message}`);
  }
}
