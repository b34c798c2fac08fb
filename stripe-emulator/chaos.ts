// Seeded chaos for webhook tests: duplicate deliveries, shuffled order and random delays
// that are reproducible from a seed (Stripe promises none of order, uniqueness or timing).

export interface ChaosOptions {
  seed: number;
  /** Probability (0–1) that an event is delivered twice. */
  duplicateRate?: number;
  /** Shuffle the events produced by one API request before delivering them. */
  shuffle?: boolean;
  /** Each delivery waits a random 0..maxDelayMs first. */
  maxDelayMs?: number;
}

/** mulberry32: tiny, fast, good enough for test randomness. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = items[i];
    const b = items[j];
    if (a === undefined || b === undefined) continue;
    items[i] = b;
    items[j] = a;
  }
  return items;
}
