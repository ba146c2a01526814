// `daxlab doctor` (this host, or a kvm-host target's host), `daxlab list`: small read-only commands.
import { doctorReport } from '../host/doctor.js';
import { probeHost } from '../host/probe.js';
import { installCommand } from '../host/packages.js';
import { LOCAL_TARGET } from '../plan/defaults.js';
import { connectKvmHost } from '../targets/kvm-host.js';
import { openMachine } from '../targets/machine.js';
import { targetSpecs } from '../targets/open.js';
import { MACHINE_TOOLS, remoteMissing } from '../targets/remote/remote-caps.js';
import { listedWorkloads } from '../workloads/catalogue.js';

/** Print what the host has and lacks; exit 69 when something needed is missing. */
export async function doctorCommand(o: { target?: string; targetFile?: string } = {}): Promise<number> {
  if (o.target && o.target !== LOCAL_TARGET) return remoteDoctor(o.target, o.targetFile);
  const caps = await probeHost();
  const report = doctorReport(caps);
  for (const line of report.lines) process.stdout.write(`${line}\n`);
  for (const m of report.missing) process.stdout.write(`missing: ${m.tool} (package ${m.pkg}): ${m.fix}\n`);
  return report.missing.length > 0 ? 69 : 0;
}

// A kvm-host target's host: its host key checked, probed over SSH; what the pmem backend needs there, with the line to run there.
async function remoteDoctor(name: string, targetFile: string | undefined): Promise<number> {
  const specs = await targetSpecs([name], targetFile);
  const spec = specs.get(name)!;
  if (spec.kind === 'machine') {
    // openMachine fails (exit 69) naming what is missing, with the line to run there.
    const m = await openMachine(spec);
    m.host.close();
    process.stdout.write(`target ${name} (machine ${spec.user}@${spec.host}:${spec.port}): host key verified against ${spec.knownHosts}\n`);
    process.stdout.write(`kernel: ${m.original.version}\ndevices: ${spec.devices.join(', ')}: block devices with DAX\n`);
    for (const t of MACHINE_TOOLS) process.stdout.write(`${t}: ${m.caps.tools[t] ?? (t === 'fio' ? 'missing (optional: the fio workloads are skipped)' : 'not needed for this target')}\n`);
    return 0;
  }
  const { host, caps } = await connectKvmHost(spec);
  host.close();
  const where = `${spec.user}@${spec.host}`;
  process.stdout.write(`target ${name} (kvm-host ${where}:${spec.port}): host key verified against ${spec.knownHosts}\n`);
  for (const line of doctorReport(caps).lines) process.stdout.write(`${line}\n`);
  const missing = remoteMissing('pmem', caps);
  for (const m of missing) process.stdout.write(`missing on ${spec.host}: ${m.tool} (package ${m.pkg})\n`);
  if (missing.length > 0) process.stdout.write(`fix, on ${spec.host}: ${installCommand(missing.map((m) => m.pkg))}\n`);
  return missing.length > 0 ? 69 : 0;
}

/** Print the workload catalogue with params and defaults. */
export function listCommand(): number {
  for (const w of listedWorkloads()) {
    process.stdout.write(`${w.name}\n  ${w.description.replace(/\s+/g, ' ')}\n`);
    for (const [name, def] of Object.entries(w.params)) {
      const values = def.values ? def.values.join('|') : 'integer';
      process.stdout.write(`  param ${name} (${values}), default ${JSON.stringify(def.default)}: ${def.description}\n`);
    }
  }
  return 0;
}
