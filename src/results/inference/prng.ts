// A small seeded pseudo-random generator, so that resampling statistics are reproducible: the same
// seed gives the same sequence on every machine and Node version.
//
// mulberry32 (Tommy Ettinger, 2017, public domain): a 32-bit state advanced by a Weyl sequence
// (state += 0x6D2B79F5) and passed through an xorshift-multiply finaliser. Period 2^32, passes
// PractRand to 2^32 bytes. Plenty for a few thousand bootstrap resamples; not for cryptography.

/** A generator of uniform floats in [0, 1). */
export type Random = () => number;

/** mulberry32 seeded with the low 32 bits of `seed`; every call returns the next float in [0, 1). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed derived from a base seed and a label (FNV-1a), so each comparison gets its own stream. */
export function seedFor(base: number, label: string): number {
  let h = (0x811c9dc5 ^ (base >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A uniform integer in [0, n). */
export function randomIndex(random: Random, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}
