// The workloads daxlab knows, by name.
import { DaxlabError } from '../errors.js';
import { busyLocked } from './busy-locked.js';
import { busyRange } from './busy-range.js';
import { fault } from './fault.js';
import { fioFixedbufs } from './fio-fixedbufs.js';
import { fioRace } from './fio-race.js';
import { gupLongterm } from './gup-longterm.js';
import { multiPin } from './multi-pin.js';
import { pinFault } from './pin-fault.js';
import { pinMunmap } from './pin-munmap.js';
import { pinRace } from './pin-race.js';
import { pinReuse } from './pin-reuse.js';
import { pinSignal } from './pin-signal.js';
import { pinUnlink } from './pin-unlink.js';
import { registerBuffers } from './register-buffers.js';
import { windowReclaim } from './window-reclaim.js';
import type { ParamDef, Workload } from './types.js';

/** Every workload, keyed by its name. */
export const WORKLOADS: Record<string, Workload> = {
  [pinRace.name]: pinRace,
  [registerBuffers.name]: registerBuffers,
  [gupLongterm.name]: gupLongterm,
  [pinUnlink.name]: pinUnlink,
  [pinMunmap.name]: pinMunmap,
  [pinFault.name]: pinFault,
  [pinSignal.name]: pinSignal,
  [pinReuse.name]: pinReuse,
  [fioFixedbufs.name]: fioFixedbufs,
  [fioRace.name]: fioRace,
  [busyRange.name]: busyRange,
  [busyLocked.name]: busyLocked,
  [multiPin.name]: multiPin,
  [windowReclaim.name]: windowReclaim,
  // Test-only fault injection for the fault suite (inDefaultPlan: false).
  [fault.name]: fault,
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

/** Workload name -> its parameter definitions, for the plan validator (every workload). */
export function workloadParamDefs(): Record<string, Record<string, ParamDef>> {
  return Object.fromEntries(Object.values(WORKLOADS).map((w) => [w.name, w.params]));
}

/** The workloads `daxlab list` shows: all but daxlab's own test workloads. */
export function listedWorkloads(): Workload[] {
  return Object.values(WORKLOADS).filter((w) => w.testOnly !== true);
}

/** Names of the workloads the built-in plan runs, in catalogue order (inDefaultPlan not false). */
export function defaultWorkloadNames(): string[] {
  return Object.values(WORKLOADS).filter((w) => w.inDefaultPlan !== false).map((w) => w.name);
}

/** workloadParamDefs() restricted to defaultWorkloadNames(), to hand to defaultPlan(). */
export function defaultWorkloadParamDefs(): Record<string, Record<string, ParamDef>> {
  const all = workloadParamDefs();
  return Object.fromEntries(defaultWorkloadNames().map((n) => [n, all[n]!]));
}

