// The target kind machine: a machine with DAX-capable memory where the cases run on the machine
// itself, no VM. Opening it checks the host key, the tools and the named fsdax devices, and notes
// which kernel it runs; with kernel: test each kernel of the run is kexec'd into and proven, and
// at the end the machine goes back to its default kernel (kexec into restoreImage, or a reboot).
import { randomBytes } from 'node:crypto';
import { DaxlabError } from '../errors.js';
import { installCommand } from '../host/packages.js';
import type { Plan } from '../plan/types.js';
import { kernelFiles } from './kvm-host.js';
import { identify } from './remote/kexec.js';
import { bootMachine, restoreMachine, type MachineState } from './remote/machine-boot.js';
import { MACHINE_TOOLS, machineMissing } from './remote/remote-caps.js';
import { openStore, probeRemote } from './remote/remote-store.js';
import { RemoteHost } from './remote/ssh-host.js';
import type { MachineSpec } from './target-spec.js';
import type { RunTarget } from './types.js';

/** Connect, probe, check the devices; TARGET_FAILED naming what is missing or unusable. */
export async function openMachine(spec: MachineSpec, say: (m: string) => void = () => undefined): Promise<MachineState> {
  const host = await RemoteHost.connect(spec);
  try {
    const store = await openStore(host);
    const caps = await probeRemote(host, store.script, '-', MACHINE_TOOLS);
    const missing = machineMissing(caps, spec.kernel === 'test' || spec.restore === 'kexec');
    if (missing.length > 0) {
      throw new DaxlabError('TARGET_FAILED', `target ${spec.name}: missing on ${spec.host}: ${missing.map((m) => `${m.tool} (package ${m.pkg})`).join(', ')}`, [
        `fix, on ${spec.host}: ${installCommand(missing.map((m) => m.pkg))}`,
      ]);
    }
    const devs = await host.exec(['bash', store.script, 'devices', ...spec.devices], { timeoutMs: 30_000 });
    const bad = devs.stdout.split('\n').filter((l) => l !== '' && !l.endsWith(' ok'));
    if (devs.code !== 0 || bad.length > 0) throw new DaxlabError('TARGET_FAILED', `target ${spec.name}: unusable devices: ${bad.join('; ') || devs.stderr.trim()}`);
    const id = await identify(host);
    return { spec, host, store, caps, original: id, id, moved: false, say };
  } catch (err) {
    host.close();
    throw err;
  }
}

/** A machine target, opened; `say` gets its kexecs and its return to the default kernel. */
export async function machineTarget(spec: MachineSpec, o: { append?: string[]; say?: (m: string) => void } = {}): Promise<RunTarget> {
  const say = o.say ?? (() => undefined);
  const m = await openMachine(spec, say);
  const where = `${spec.user}@${spec.host}`;
  return {
    name: spec.name,
    kind: 'machine',
    slots: 1,
    describe: () => `${spec.name}: cases on ${where} itself, no VM (${spec.kernel === 'running' ? `its running kernel ${m.original.release}` : `kexec into each kernel under test, then ${spec.restore} back to ${m.original.release}`}), devices ${spec.devices.join(', ')}`,
    unsupported: (p: Plan) => (p.backend === 'pmem' ? null : `a machine target uses its own fsdax devices (backend pmem), not ${p.backend}`),
    booter: async (_p, built) => {
      const files = await kernelFiles(built.artifact.image, built.artifact.selftests);
      const release = built.artifact.meta.kernelRelease ?? '';
      // With kernel: running the kernel under test is the machine's: its selftests and programs still go there.
      const k = spec.kernel === 'test' ? { files, release, mark: randomBytes(6).toString('hex'), append: o.append ?? [] } : { files, release: m.original.release, append: [] };
      return (_image, serialLog, signal) => bootMachine(m, k, serialLog, signal);
    },
    close: async () => {
      try {
        if (m.moved) say(await restoreMachine(m));
      } catch (err) {
        say(`${spec.name}: NOT back on its default kernel: ${(err as Error).message}`);
      } finally {
        m.host.close();
      }
    },
  };
}
