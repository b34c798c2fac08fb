// The emulator's shared context: state, clock, event log and webhook dispatcher.
// Resource modules receive it instead of reaching for globals.
import type Stripe from "stripe";
import { EmulatorClock } from "./clock";
import { newId } from "./http/ids";
import { jsonClone } from "./http/json";
import { createEmptyState, saveSnapshot, type BillingSettings, type EmulatorState } from "./store";
import { WebhookDispatcher, type WebhookTarget } from "./engines/webhooks";
import type { ChaosOptions } from "./engines/chaos";

/** The API version the emulator speaks; events carry it like Stripe's. */
export const EMULATOR_API_VERSION = "2026-10-28.endive";

/** Which API request caused an event (`event.request`); null for automatic changes. */
export interface RequestContext {
  requestId: string | null;
  idempotencyKey: string | null;
}

export const AUTOMATIC: RequestContext = { requestId: null, idempotencyKey: null };

export interface EmulatorConfig {
  baseUrl: string;
  /** The account's name on hosted pages, invoices and receipts (./brand.ts). */
  brand: string;
  staticEndpoints: Array<{ url: string; secret: string }>;
  snapshotFile?: string;
  retrySpeedup: number;
  deliveryTimeoutMs: number;
  chaos?: ChaosOptions;
  /** How long a delayed (bank debit) payment stays processing before its outcome. */
  asyncPaymentDelayMs: number;
  /** Failed-payment settings a fresh (or reset) state starts with. */
  billingSettings: BillingSettings;
}

export class Emulator {
  state: EmulatorState;
  readonly clock: EmulatorClock;
  readonly dispatcher: WebhookDispatcher;
  private pendingEvents: Stripe.EventBase[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private snapshotTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly config: EmulatorConfig,
    initialState?: EmulatorState,
  ) {
    this.state = initialState ?? this.freshState();
    this.clock = new EmulatorClock(this.state.clockOffsetSeconds);
    this.dispatcher = new WebhookDispatcher({
      targets: () => this.webhookTargets(),
      retrySpeedup: config.retrySpeedup,
      deliveryTimeoutMs: config.deliveryTimeoutMs,
      chaos: config.chaos,
    });
  }

  private freshState(): EmulatorState {
    const state = createEmptyState();
    state.billingSettings = jsonClone(this.config.billingSettings);
    return state;
  }

  now(): number {
    return this.clock.now();
  }

  advanceClock(seconds: number): void {
    this.clock.advance(seconds);
    this.state.clockOffsetSeconds = this.clock.offset;
  }

  private webhookTargets(): WebhookTarget[] {
    const fromConfig = this.config.staticEndpoints.map((endpoint, index) => ({
      endpointId: `we_static_${index}`,
      url: endpoint.url,
      secret: endpoint.secret,
      enabledEvents: ["*"],
    }));
    const fromApi = Object.values(this.state.webhookEndpoints)
      .filter((endpoint) => endpoint.status === "enabled")
      .map((endpoint) => ({
        endpointId: endpoint.id,
        url: endpoint.url,
        secret: this.state.webhookSecrets[endpoint.id] ?? "",
        enabledEvents: endpoint.enabled_events,
      }));
    return [...fromConfig, ...fromApi];
  }

  /**
   * Record an event with a snapshot of the object as it is now. Events are delivered
   * when the current request (or background job) calls `flushEvents`.
   */
  emit(
    type: Stripe.Event.Type,
    object: Stripe.Event.Data.Object,
    context: RequestContext,
    previousAttributes?: Stripe.Event.Data.PreviousAttributes,
  ): Stripe.EventBase {
    const data: Stripe.Event.Data = { object: jsonClone(object) };
    if (previousAttributes !== undefined) data.previous_attributes = jsonClone(previousAttributes);
    const event = {
      id: newId("evt"),
      object: "event",
      api_version: EMULATOR_API_VERSION,
      created: this.now(),
      data,
      livemode: false,
      pending_webhooks: this.dispatcher.targetsFor(type).length,
      request: { id: context.requestId, idempotency_key: context.idempotencyKey },
      type,
    } satisfies Stripe.EventBase;
    this.state.events[event.id] = event;
    this.pendingEvents.push(event);
    return event;
  }

  flushEvents(): void {
    const batch = this.pendingEvents;
    this.pendingEvents = [];
    this.dispatcher.dispatch(batch);
    this.scheduleSnapshot();
  }

  /** Run work later (async payment outcomes, dispute creation), then deliver its events. */
  later(delayMs: number, job: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        job();
      } finally {
        this.flushEvents();
      }
    }, delayMs);
    this.timers.add(timer);
  }

  scheduleSnapshot(): void {
    const file = this.config.snapshotFile;
    if (!file || this.snapshotTimer) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      saveSnapshot(file, this.state);
    }, 100);
  }

  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pendingEvents = [];
    this.state = this.freshState();
    this.clock.advance(-this.clock.offset);
    this.dispatcher.reset();
    this.scheduleSnapshot();
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.snapshotTimer) {
      clearTimeout(this.snapshotTimer);
      this.snapshotTimer = undefined;
      if (this.config.snapshotFile) saveSnapshot(this.config.snapshotFile, this.state);
    }
    this.dispatcher.close();
  }
}
