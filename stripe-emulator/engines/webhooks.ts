// Signed webhook delivery, as Stripe does it: POST the event JSON with
// `Stripe-Signature: t=<unix>,v1=<HMAC-SHA256(secret, "t.payload")>`; only a 2xx counts;
// anything else (or a timeout) is retried with exponential backoff.
import { createHmac } from "node:crypto";
import type Stripe from "stripe";
import { dropsEvent, seededRandom, shuffleInPlace, type ChaosOptions } from "./chaos";
import { newId } from "../http/ids";

export interface WebhookTarget {
  endpointId: string;
  url: string;
  secret: string;
  enabledEvents: string[];
}

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error?: string;
  durationMs: number;
}

export interface DeliveryRecord {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  /** `dropped`: chaos lost it on purpose (see ChaosOptions.dropEventTypes); it was never attempted. */
  state: "pending" | "retrying" | "succeeded" | "failed" | "dropped";
  attempts: DeliveryAttempt[];
  nextAttemptAt: string | null;
  duplicate: boolean;
}

/** Seconds between attempts: roughly Stripe's live-mode schedule, about 3 days in total. */
const RETRY_DELAYS_SECONDS = [60, 300, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600, 24 * 3600];

export function signPayload(secret: string, payload: string, timestampSeconds: number): string {
  const signature = createHmac("sha256", secret).update(`${timestampSeconds}.${payload}`).digest("hex");
  return `t=${timestampSeconds},v1=${signature}`;
}

export interface DispatcherOptions {
  targets: () => WebhookTarget[];
  retrySpeedup: number;
  deliveryTimeoutMs: number;
  chaos?: ChaosOptions;
}

export class WebhookDispatcher {
  readonly deliveries: DeliveryRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly aborts = new Set<AbortController>();
  private chaos: ChaosOptions | undefined;
  private random: () => number = Math.random;
  private closed = false;

  constructor(private readonly options: DispatcherOptions) {
    this.configureChaos(options.chaos);
  }

  configureChaos(chaos: ChaosOptions | undefined): void {
    this.chaos = chaos;
    this.random = chaos ? seededRandom(chaos.seed) : Math.random;
  }

  get chaosOptions(): ChaosOptions | undefined {
    return this.chaos;
  }

  /** Targets an event would go to; also Stripe's `pending_webhooks` count. */
  targetsFor(eventType: string): WebhookTarget[] {
    return this.options
      .targets()
      .filter((target) => target.enabledEvents.includes("*") || target.enabledEvents.includes(eventType));
  }

  /** Deliver the events one API request produced, in order unless chaos shuffles them. */
  dispatch(events: Stripe.EventBase[]): void {
    if (this.closed || events.length === 0) return;
    const ordered = this.chaos?.shuffle ? shuffleInPlace([...events], this.random) : events;
    for (const event of ordered) {
      const payload = JSON.stringify(event, null, 2);
      const targets = this.targetsFor(event.type);
      if (targets.length > 0 && dropsEvent(this.chaos, event.type, this.random)) {
        for (const target of targets) this.deliveries.push(this.droppedDelivery(event, target));
        continue;
      }
      for (const target of targets) {
        const copies = this.chaos && this.random() < (this.chaos.duplicateRate ?? 0) ? 2 : 1;
        for (let copy = 0; copy < copies; copy++) {
          const record: DeliveryRecord = {
            id: newId("whdel"),
            eventId: event.id,
            eventType: event.type,
            endpointId: target.endpointId,
            url: target.url,
            state: "pending",
            attempts: [],
            nextAttemptAt: new Date().toISOString(),
            duplicate: copy > 0,
          };
          this.deliveries.push(record);
          // Drawn now, not when the queue reaches the delivery: otherwise the draws of a later request
          // interleave with these depending on timing, and one seed no longer gives one sequence.
          const delayMs = this.chaos?.maxDelayMs ? Math.floor(this.random() * this.chaos.maxDelayMs) : 0;
          this.enqueueFirstAttempt(target, record, payload, delayMs);
        }
      }
    }
  }

  /** The record of a delivery chaos lost: listed in /_emulator/deliveries, never attempted. */
  private droppedDelivery(event: Stripe.EventBase, target: WebhookTarget): DeliveryRecord {
    return {
      id: newId("whdel"),
      eventId: event.id,
      eventType: event.type,
      endpointId: target.endpointId,
      url: target.url,
      state: "dropped",
      attempts: [],
      nextAttemptAt: null,
      duplicate: false,
    };
  }

  /** First attempts go out one at a time per endpoint so receivers see Stripe's usual order. */
  private enqueueFirstAttempt(target: WebhookTarget, record: DeliveryRecord, payload: string, delayMs: number): void {
    const previous = this.queues.get(target.endpointId) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      await this.attempt(target, record, payload);
    });
    this.queues.set(target.endpointId, next.catch(() => undefined));
  }

  private async attempt(target: WebhookTarget, record: DeliveryRecord, payload: string): Promise<void> {
    if (this.closed) return;
    const started = Date.now();
    const abort = new AbortController();
    this.aborts.add(abort);
    const timeout = setTimeout(() => abort.abort(), this.options.deliveryTimeoutMs);
    let status: number | null = null;
    let error: string | undefined;
    try {
      // Signed with real time (not the emulator clock): receivers check it against their own clock.
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(target.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json; charset=utf-8",
          "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "Stripe-Signature": signPayload(target.secret, payload, timestamp),
        },
        body: payload,
        signal: abort.signal,
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (caught) {
      error = abort.signal.aborted ? "timeout" : caught instanceof Error ? caught.message : String(caught);
    } finally {
      clearTimeout(timeout);
      this.aborts.delete(abort);
    }
    if (this.closed) return;
    record.attempts.push({ at: new Date(started).toISOString(), status, error, durationMs: Date.now() - started });
    if (status !== null && status >= 200 && status < 300) {
      record.state = "succeeded";
      record.nextAttemptAt = null;
      return;
    }
    const delaySeconds = RETRY_DELAYS_SECONDS[record.attempts.length - 1];
    if (delaySeconds === undefined) {
      record.state = "failed";
      record.nextAttemptAt = null;
      return;
    }
    const delayMs = (delaySeconds * 1000) / this.options.retrySpeedup;
    record.state = "retrying";
    record.nextAttemptAt = new Date(Date.now() + delayMs).toISOString();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(target, record, payload);
    }, delayMs);
    this.timers.add(timer);
  }

  /** Resolves once every queued first attempt has been made (retries may still be pending). */
  async idle(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  reset(): void {
    this.deliveries.length = 0;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const abort of this.aborts) abort.abort();
  }
}
