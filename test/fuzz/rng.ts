// A small seeded PRNG (mulberry32) and seed mixing, so that program `index` of a run with seed `S`
// is the same program whatever the batch size or the order programs are generated in.

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniformly distributed uint32. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + (this.next() % (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() / 4294967296 < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('Rng.pick: empty list');
    return xs[this.next() % xs.length]!;
  }

  /** Pick by weight: entries whose weight is 0 (or negative) are never picked. */
  weighted<T>(entries: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of entries) if (w > 0) total += w;
    if (total <= 0) throw new Error('Rng.weighted: no entry has a positive weight');
    let r = (this.next() / 4294967296) * total;
    for (const [w, v] of entries) {
      if (w <= 0) continue;
      if (r < w) return v;
      r -= w;
    }
    return entries.filter(([w]) => w > 0).at(-1)![1];
  }

  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.next() % (i + 1);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}

/** A 32-bit seed for item `index` of a run with seed `seed` (independent streams per index). */
export function mixSeed(seed: number, index: number, salt = 0): number {
  // each input is absorbed through a full avalanche round (xoring them first would collide: 7^199 === 1^193)
  let h = 0x9e3779b9;
  for (const v of [seed, index, salt]) {
    h = (h ^ (v >>> 0)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}
