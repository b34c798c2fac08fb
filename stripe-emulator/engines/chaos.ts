// Seeded chaos for webhook tests: duplicate deliveries, shuffled order, random delays and lost
// deliveries, reproducible from a seed (Stripe promises none of order, uniqueness, timing or, when
// an endpoint was down or misconfigured long enough, delivery at all).

export interface ChaosOptions {
  seed: number;
  /** Probability (0–1) that an event is delivered twice. */
  duplicateRate?: number;
  /** Shuffle the events produced by one API request before delivering them. */
  shuffle?: boolean;
  /** Each delivery waits a random 0..maxDelayMs first. */
  maxDelayMs?: number;
  /**
   * Events of these types are never delivered. They exist as usual (`GET /v1/events` lists them),
   * as when Stripe gave up on an endpoint or the endpoint was not subscribed to them at the time:
   * only a backfill from the events API can still find them.
   */
  dropEventTypes?: string[];
  /** Probability (0–1) that an event is never delivered (drawn per event, from the seed). */
  dropRate?: number;
}

/** Whether chaos drops this event: by its type, or by a seeded draw when a drop rate is set. */
export function dropsEvent(chaos: ChaosOptions | undefined, eventType: string, random: () => number): boolean {
  if (!chaos) return false;
  if (chaos.dropEventTypes?.includes(eventType)) return true;
  // Drawn only when a rate is set, so existing seeds keep giving the same sequences.
  return (chaos.dropRate ?? 0) > 0 && random() < (chaos.dropRate ?? 0);
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
