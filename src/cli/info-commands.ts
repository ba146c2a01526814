// `daxlab doctor`, `daxlab list`: small read-only commands.
import { doctorReport } from '../host/doctor.js';
import { probeHost } from '../host/probe.js';
import { listedWorkloads } from '../workloads/catalogue.js';

/** Print what the host has and lacks; exit 69 when something needed is missing. */
export async function doctorCommand(): Promise<number> {
  const caps = await probeHost();
  const report = doctorReport(caps);
  for (const line of report.lines) process.stdout.write(`${line}\n`);
  for (const m of report.missing) process.stdout.write(`missing: ${m.tool} (package ${m.pkg}): ${m.fix}\n`);
  return report.missing.length > 0 ? 69 : 0;
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
