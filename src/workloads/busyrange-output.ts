// The part of the busyrange program's output that busy-range and busy-locked both read: the case's
// page and file size, checked, then the result line with its fault count and the referenced pfn.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { checkResult, errorVerdict, requireFields, type ResultLine } from './guest-json.js';
import { intParam } from './params.js';
import { indexProblem } from './pin-checks.js';
import type { GuestOutput, ParamDef } from './types.js';

/** What every busyrange result holds, or the verdict when it is unusable (a skip passes through). */
export type BusyrangeRead =
  | { index: number; pages: number; line: ResultLine; mapFaults: number; pinPfn: number }
  | { verdict: Verdict };

/** Read a busyrange result for a case whose params define index and pages. */
export function readBusyrange(tc: TestCase, out: GuestOutput, params: Record<string, ParamDef>): BusyrangeRead {
  const index = intParam(tc, 'index', params.index!);
  const pages = intParam(tc, 'pages', params.pages!);
  const outside = indexProblem(index, pages);
  if (outside) return { verdict: errorVerdict(outside, out) };
  const checked = checkResult('busyrange', out);
  if ('verdict' in checked) return checked;
  const fields = requireFields('busyrange', checked.line, ['map_faults', 'pin_pfn'] as const, out);
  if ('verdict' in fields) return fields;
  return { index, pages, line: checked.line, mapFaults: fields.values.map_faults, pinPfn: fields.values.pin_pfn };
}
