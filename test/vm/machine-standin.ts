// A guest that plays a bare-metal machine with persistent memory for the machine-target tests: an
// emulated NVDIMM with one fsdax namespace, kexec-tools (from the shared root), its sshd on a
// forwarded loopback port with its own host key, and its serial console in a local file (what a
// lab's console server would give). It is booted here directly, not by the daxlab under test.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareSshDir, type SshMaterial } from '../../src/guest/keys.js';
import { connectGuest } from '../../src/guest/session.js';
import type { GuestSession } from '../../src/guest/types.js';
import { probeHost } from '../../src/host/probe.js';
import { DEFAULT_VM } from '../../src/plan/defaults.js';
import { launchVm } from '../../src/vm/launch.js';
import type { VmHandle } from '../../src/vm/types.js';
import { REPO } from './cli-run.js';

/** A running stand-in machine. */
export interface StandIn {
  port: number;
  identity: string;
  knownHosts: string;
  consoleLog: string;
  vm: VmHandle;
  /** Run argv on the machine over a fresh connection (it may have been kexec'd since). */
  sh(argv: string[]): Promise<string>;
  /** A target file naming it as machine target `name` with these fields; returns its path. */
  targetFile(name: string, extra: Record<string, string | number>): string;
  stop(): Promise<void>;
}

/** Boot the stand-in on a kernel image (which must have CONFIG_KEXEC) and make /dev/pmem0. */
export async function startStandIn(image: string, dir: string): Promise<StandIn> {
  const runDir = mkdtempSync(join(tmpdir(), 'daxlab-standin-'));
  const ssh = await prepareSshDir(runDir);
  const pmemFile = join(runDir, 'pmem.img');
  const fh = await open(pmemFile, 'w', 0o600);
  await fh.truncate(DEFAULT_VM.pmemMiB * 1024 * 1024);
  await fh.close();
  const consoleLog = join(dir, 'standin-console.log');
  let vm: VmHandle | undefined;
  try {
    vm = await launchVm({
      kernelImage: image, cmdline: [], cpus: DEFAULT_VM.cpus, memoryMiB: DEFAULT_VM.memoryMiB, logBufKiB: DEFAULT_VM.logBufKiB, backend: 'pmem',
      pmemFile, pmemMiB: DEFAULT_VM.pmemMiB, sshPort: 0, serialLog: consoleLog, init: join(REPO, 'guest-scripts', 'init.sh'), runDir,
    }, await probeHost());
    await vm.waitReady(120_000);
    return await ready(vm, ssh, runDir, dir, consoleLog);
  } catch (err) {
    await vm?.kill();
    await rm(runDir, { recursive: true, force: true });
    throw err;
  }
}

// Keys and known_hosts for the tests, a shell on it, and its one fsdax namespace.
async function ready(vm: VmHandle, ssh: SshMaterial, runDir: string, dir: string, consoleLog: string): Promise<StandIn> {
  const identity = join(dir, 'standin-id');
  writeFileSync(identity, ssh.clientKey, { mode: 0o600 });
  const knownHosts = join(dir, 'standin-known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${vm.sshPort} ssh-ed25519 ${ssh.hostPublicKey.subarray(0).toString('base64')}\n`);
  const sh = async (argv: string[]) => {
    const s: GuestSession = await connectGuest({ port: vm.sshPort, privateKey: ssh.clientKey, hostPublicKey: ssh.hostPublicKey, deadlineMs: Date.now() + 60_000 });
    try {
      const r = await s.exec(argv, { timeoutMs: 120_000 });
      if (r.exitCode !== 0) throw new Error(`${argv.join(' ')} on the stand-in: exit ${r.exitCode}: ${r.stderr}`);
      return r.stdout;
    } finally {
      await s.close();
    }
  };
  // The lab's part: one fsdax namespace on the NVDIMM, named in the target file. The script runs
  // from the run dir: a checkout under /tmp (a CI clone) is hidden by the guest's tmpfs there.
  copyFileSync(join(REPO, 'guest-scripts', 'setup-pmem.sh'), join(runDir, 'setup-pmem.sh'));
  await sh(['bash', join(runDir, 'setup-pmem.sh'), '1']);
  return {
    port: vm.sshPort, identity, knownHosts, consoleLog, vm, sh,
    targetFile: (name, extra) => {
      const fields = { kind: 'machine', host: '127.0.0.1', port: vm.sshPort, user: 'root', identity, knownHosts, devices: '[/dev/pmem0]', destructive: 'true', consoleLog, ...extra };
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, `targets:\n  ${name}:\n${Object.entries(fields).map(([k, v]) => `    ${k}: ${v}`).join('\n')}\n`);
      return file;
    },
    stop: async () => {
      await vm.kill();
      await rm(runDir, { recursive: true, force: true });
    },
  };
}
