// The emulator's wall clock: real time plus an offset that `/_emulator/advance` moves
// forward, so renewals and expiries can be tested without waiting a month.

export class EmulatorClock {
  private offsetSeconds = 0;

  constructor(initialOffsetSeconds = 0) {
    this.offsetSeconds = initialOffsetSeconds;
  }

  /** Unix seconds, like every Stripe timestamp. */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.offsetSeconds;
  }

  advance(seconds: number): void {
    this.offsetSeconds += seconds;
  }

  get offset(): number {
    return this.offsetSeconds;
  }
}
