// The workloads daxlab knows, by name.
import { DaxlabError } from '../errors.js';
import { pinRace } from './pin-race.js';
import { registerBuffers } from './register-buffers.js';
import type { ParamDef, Workload } from './types.js';

/** Every workload, keyed by its name. */
export const WORKLOADS: Record<string, Workload> = {
  [pinRace.name]: pinRace,
  [registerBuffers.name]: registerBuffers,
};

/** The workload called name; throws PLAN_INVALID naming the known ones when there is none. */
export function getWorkload(name: string): Workload {
  const w = Object.hasOwn(WORKLOADS, name) ? WORKLOADS[name] : undefined;
  if (!w) {
    throw new DaxlabError(
      'PLAN_INVALID',
      `unknown workload "${name}"; known: ${Object.keys(WORKLOADS).join(', ')}`,
    );
  }
  return w;
}

/** Workload name -> its parameter definitions, for the plan validator. */
export function workloadParamDefs(): Record<string, Record<string, ParamDef>> {
  return Object.fromEntries(Object.values(WORKLOADS).map((w) => [w.name, w.params]));
}
