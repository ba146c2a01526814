// Per-run SSH material: a client key pair, a guest host key pair and sshd_config in runDir/ssh/.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';
import { DaxlabError } from '../errors.js';
import { sshdConfigText } from './sshd-config.js';

/** What the host needs to log in and to verify the guest. */
export interface SshMaterial {
  /** Client private key (OpenSSH format). */
  clientKey: string;
  /** The guest's host public key as an SSH wire blob (what ssh2's hostVerifier receives). */
  hostPublicKey: Buffer;
  /** The directory holding sshd_config, the host key and authorized_keys. */
  dir: string;
}

/**
 * Generate fresh keys and write runDir/ssh/{host_ed25519_key,authorized_keys,sshd_config}. The config
 * names the files as the guest will find them: under guestRunDir/ssh (a remote host's run dir) when given.
 */
export async function prepareSshDir(runDir: string, guestRunDir = path.resolve(runDir)): Promise<SshMaterial> {
  const dir = path.join(path.resolve(runDir), 'ssh');
  const seen = path.posix.join(guestRunDir, 'ssh');
  const client = generateEd25519('daxlab-client');
  const host = generateEd25519('daxlab-guest');
  const hostKey = path.join(dir, 'host_ed25519_key');
  const authorizedKeys = path.join(dir, 'authorized_keys');
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.chmod(dir, 0o700);
    const write = (p: string, text: string) => fs.writeFile(p, text, { mode: 0o600 }).then(() => fs.chmod(p, 0o600));
    await write(hostKey, host.private);
    await write(`${hostKey}.pub`, `${host.public}\n`);
    await write(authorizedKeys, `${client.public}\n`);
    const inGuest = { hostKey: path.posix.join(seen, 'host_ed25519_key'), authorizedKeys: path.posix.join(seen, 'authorized_keys') };
    await write(path.join(dir, 'sshd_config'), sshdConfigText(inGuest));
  } catch (err) {
    throw new DaxlabError('BOOT_FAILED', `cannot write SSH files into ${dir}: ${(err as Error).message}`);
  }
  return { clientKey: client.private, hostPublicKey: publicBlob(host.public), dir };
}

/**
 * An ed25519 key pair that OpenSSH and ssh2 both accept. ssh2's generator strips
 * leading zero bytes from the key (about 1 key in 256), producing a 31-byte key
 * that neither side can parse, so such pairs are drawn again.
 */
export function generateEd25519(comment: string): { private: string; public: string } {
  for (let attempt = 0; attempt < 64; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment });
    if (isUsableEd25519(pair.private) && isUsableEd25519(pair.public)) return pair;
  }
  throw new DaxlabError('BOOT_FAILED', 'could not generate a valid ed25519 key pair in 64 attempts');
}

function isUsableEd25519(text: string): boolean {
  const parsed = ssh2.utils.parseKey(text);
  if (parsed instanceof Error) return false;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  // Wire blob: string "ssh-ed25519" (4 + 11 bytes) + string key (4 + 32 bytes).
  return key !== undefined && key.getPublicSSH().length === 51;
}

/** The SSH wire blob of an OpenSSH public key line. */
export function publicBlob(publicKeyLine: string): Buffer {
  const parsed = ssh2.utils.parseKey(publicKeyLine);
  if (parsed instanceof Error) throw parsed;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) throw new Error('no key in public key line');
  return key.getPublicSSH();
}

/** The key type named inside a key's wire blob ("ssh-ed25519"). */
export function keyTypeOf(key: Buffer): string {
  const n = key.length >= 4 ? key.readUInt32BE(0) : 0;
  return key.subarray(4, 4 + n).toString('latin1');
}
