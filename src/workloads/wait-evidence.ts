// Proof of blocking: what guest-scripts/wait-sampler.h saw of the racing thread while its call
// ran (the thread's state and kernel wait channel, sampled every few ms), and whether that shows
// the call slept in the layout-break wait rather than merely taking long.

/** One distinct observation of the racing thread: its state letter and wait channel. */
export interface WaitChan {
  state: string;
  wchan: string;
  n: number;
  /** First and last time it was seen, ns from the program's start. */
  firstNs: number;
  lastNs: number;
}

/** The sampler's record of one call. */
export interface WaitEvidence {
  intervalMs: number;
  samples: number;
  /** Samples whose /proc files could not be read (the thread or process was gone). */
  unreadable: number;
  chans: WaitChan[];
}

/**
 * Wait channels of the layout-break wait, read in the 6.1 and 6.12 source: ext4_break_layouts and
 * its ext4_wait_dax_page, xfs_break_dax_layouts and xfs_wait_dax_page, xfs's two-inode remap
 * lock (xfs_mmaplock_two_inodes_and_break_dax_layout), and the eviction-time wait of later kernels
 * (dax_break_layout_final). Which one shows depends on inlining.
 */
export const LAYOUT_WAIT = /break_.*layout|layout.*break|wait_dax_page/;

/** Fewest samples in a layout-break wait that count as proof that the call blocked there. */
export const MIN_WAIT_SAMPLES = 3;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The sampler's JSON member (e.g. result.race_wait), or null when absent or malformed. */
export function parseWaitEvidence(v: unknown): WaitEvidence | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const samples = num(o.samples);
  const intervalMs = num(o.interval_ms);
  if (samples === null || intervalMs === null || !Array.isArray(o.chans)) return null;
  const chans: WaitChan[] = [];
  for (const c of o.chans as unknown[]) {
    const x = (c ?? {}) as Record<string, unknown>;
    const n = num(x.n);
    const firstNs = num(x.first_ns);
    const lastNs = num(x.last_ns);
    if (typeof x.state !== 'string' || typeof x.wchan !== 'string' || n === null || firstNs === null || lastNs === null) return null;
    chans.push({ state: x.state, wchan: x.wchan, n, firstNs, lastNs });
  }
  return { intervalMs, samples, unreadable: num(o.unreadable) ?? 0, chans };
}

/** Samples in a layout-break wait (sleeping, state S or D), and the span they cover. */
export function layoutWait(e: WaitEvidence): { n: number; firstNs: number; lastNs: number } {
  const hits = e.chans.filter((c) => (c.state === 'S' || c.state === 'D') && LAYOUT_WAIT.test(c.wchan));
  if (hits.length === 0) return { n: 0, firstNs: NaN, lastNs: NaN };
  return {
    n: hits.reduce((s, c) => s + c.n, 0),
    firstNs: Math.min(...hits.map((c) => c.firstNs)),
    lastNs: Math.max(...hits.map((c) => c.lastNs)),
  };
}

/** "S ext4_break_layouts x180, R 0 x3", most frequent first. */
export function describeWait(e: WaitEvidence): string {
  if (e.chans.length === 0) return `no samples${e.unreadable > 0 ? ` (${e.unreadable} unreadable)` : ''}`;
  return [...e.chans].sort((a, b) => b.n - a.n).map((c) => `${c.state} ${c.wchan} x${c.n}`).join(', ');
}

/**
 * Why a call that returned after the pin was released does not prove that it waited for it, or
 * null when it does: the sampler must have seen it asleep in the layout-break wait at least
 * MIN_WAIT_SAMPLES times.
 */
export function notBlockedReason(call: string, e: WaitEvidence | null): string | null {
  if (!e) return `${call} returned after the pin was released, but no wait-channel samples were recorded, so it cannot be shown to have waited for the pin`;
  const w = layoutWait(e);
  if (w.n >= MIN_WAIT_SAMPLES) return null;
  return `${call} returned after the pin was released but was not seen waiting for it: ${w.n} of ${e.samples} ` +
    `samples in the layout-break wait (need ${MIN_WAIT_SAMPLES}; seen: ${describeWait(e)}), so it may merely have been slow`;
}

/**
 * Calls whose wait may spin instead of sleeping. xfs's remap (FICLONERANGE, FIDEDUPERANGE) locks two
 * inodes in xfs_mmaplock_two_inodes_and_break_dax_layout(): a busy page of the first inode is waited
 * for asleep (xfs_break_dax_layouts), but for the second it unlocks both and retries at once
 * ("goto again", 6.12 fs/xfs/xfs_inode.c), so the thread runs in the kernel until the pin goes.
 */
export const SPINNING_CALLS = /^ioctl\((FICLONERANGE|FIDEDUPERANGE)\)$/;

/** Least share of the samples, and of the time from the call's start to the pin's release, seen running. */
export const MIN_SPIN_SHARE = 0.8;

// Spin proof: seen running (state R; the sampler only samples while the call is in its system call)
// in at least MIN_SPIN_SHARE of the samples, spread over at least MIN_SPIN_SHARE of the time from
// the call's start until the pin was released. Returns how long it was seen running, or null.
function spinSeenNs(e: WaitEvidence, startNs: number, releaseNs: number): number | null {
  const running = e.chans.filter((c) => c.state === 'R');
  const n = running.reduce((s, c) => s + c.n, 0);
  if (n < MIN_WAIT_SAMPLES || n < MIN_SPIN_SHARE * e.samples) return null;
  const first = Math.min(...running.map((c) => c.firstNs));
  const last = Math.max(...running.map((c) => c.lastNs));
  const window = releaseNs - startNs;
  const covered = Math.min(last, releaseNs) - Math.max(first, startNs) + e.intervalMs * 1e6;
  return window > 0 && covered >= MIN_SPIN_SHARE * window ? last - first : null;
}

/** How a call was seen waiting for the pin: asleep in the layout-break wait, or spinning in its retry loop. */
export interface WaitProof {
  seenNs: number;
  how: 'asleep in the layout-break wait' | 'running in the kernel';
  /** Why that counts, when it is not the usual sleep. */
  because?: string;
}

/**
 * Pure: the proof that a call which returned after the pin was released waited for it, or why there
 * is none. A call proves it by being seen asleep in the layout-break wait at least MIN_WAIT_SAMPLES
 * times; a call of SPINNING_CALLS may instead be seen running over most of the pin window.
 */
export function waitProof(call: string, e: WaitEvidence | null, startNs: number, releaseNs: number): WaitProof | { reason: string } {
  const why = notBlockedReason(call, e);
  if (why === null) {
    const w = layoutWait(e!);
    return { seenNs: w.lastNs - w.firstNs, how: 'asleep in the layout-break wait' };
  }
  const spin = e && SPINNING_CALLS.test(call) ? spinSeenNs(e, startNs, releaseNs) : null;
  if (spin !== null) return { seenNs: spin, how: 'running in the kernel', because: "xfs's two-inode remap lock retries without sleeping" };
  return { reason: why };
}
