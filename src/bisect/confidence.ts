// Pure: how many clean runs make a bisect step "good" for a case that fails only some of the time.
//
// The rule (README "Bisect"): on the bad commit the case failed f times in r runs. Its failure rate
// is estimated as p = (f + 1) / (r + 2) (Laplace's rule: never 0 or 1 from a few runs). A step is
// called good after n clean runs, the fewest with (1 - p)^n <= 1 - confidence: if the step still had
// the bug, n clean runs in a row would happen with probability at most 1 - confidence. One failure
// calls a step bad at once.

/** Pure: the failure rate estimate from f failures in r runs on the bad commit. */
export function failureRate(failures: number, runs: number): number {
  return (failures + 1) / (runs + 2);
}

/** Pure: clean runs needed to call a step good at `confidence` (0.5-0.999) for failure rate p. */
export function cleanRunsNeeded(p: number, confidence: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`failure rate ${p} must be in (0, 1)`);
  return Math.max(1, Math.ceil(Math.log(1 - confidence) / Math.log(1 - p)));
}

/** Pure: "(1 - 0.80)^2 = 0.040 <= 0.05" for the output. */
export function ruleText(p: number, n: number, confidence: number): string {
  return `p = ${p.toFixed(2)} (Laplace from the bad commit's runs), (1 - ${p.toFixed(2)})^${n} = ${Math.pow(1 - p, n).toFixed(3)} <= ${(1 - confidence).toFixed(3)}`;
}
