// Emulator-only control endpoints under `/_emulator/` (not part of Stripe's API):
// deliveries, clock advance, reset, chaos, async payment outcomes, dispute outcomes, billing settings.
import type { Emulator } from "./emulator";
import { AUTOMATIC } from "./emulator";
import { invalidParam } from "./http/errors";
import { optionalEnum, optionalInteger, optionalString, requiredInteger } from "./http/params";
import { closeDispute, requireDispute } from "./resources/disputes";
import { expireDueSessions, settleAsyncPayment } from "./resources/checkout";
import { runDueBilling } from "./engines/billing-clock";
import { updateBillingSettings } from "./engines/dunning";
import { route, pathParam, type Route } from "./http/router";

export const controlRoutes: Route[] = [
  route("GET", "/_emulator/health", (emulator) => ({ ok: true, now: emulator.now() })),
  route("GET", "/_emulator/deliveries", (emulator, request) => {
    const eventType = optionalString(request.params, "event_type");
    const deliveries = emulator.dispatcher.deliveries.filter((delivery) => !eventType || delivery.eventType === eventType);
    return { object: "list", data: deliveries };
  }),
  route("POST", "/_emulator/advance", (emulator: Emulator, request) => {
    const seconds = requiredInteger(request.params, "seconds");
    if (seconds <= 0) throw invalidParam("seconds", "seconds must be positive");
    emulator.advanceClock(seconds);
    const billing = runDueBilling(emulator, null, emulator.now(), AUTOMATIC);
    const expiredSessions = expireDueSessions(emulator);
    return {
      now: emulator.now(),
      offset_seconds: emulator.clock.offset,
      renewals: billing.renewals,
      retries: billing.retries,
      trial_ends: billing.trialEnds,
      expired_sessions: expiredSessions,
    };
  }),
  route("GET", "/_emulator/billing_settings", (emulator) => emulator.state.billingSettings),
  route("POST", "/_emulator/billing_settings", (emulator, request) => updateBillingSettings(emulator, request.params)),
  route("POST", "/_emulator/reset", (emulator) => {
    emulator.reset();
    return { reset: true };
  }),
  route("POST", "/_emulator/chaos", (emulator, request) => {
    const dropEventTypes = (optionalString(request.params, "drop_types") ?? "").split(",").map((type) => type.trim()).filter(Boolean);
    const dropRate = Number(optionalString(request.params, "drop_rate") ?? "0");
    if (!Number.isFinite(dropRate) || dropRate < 0 || dropRate > 1) throw invalidParam("drop_rate", "drop_rate must be between 0 and 1");
    const drops = dropEventTypes.length > 0 || dropRate > 0;
    // Dropping by type needs no randomness, so it needs no seed either.
    const seed = optionalInteger(request.params, "seed") ?? (drops ? 0 : undefined);
    if (seed === undefined) {
      emulator.dispatcher.configureChaos(undefined);
      return { chaos: null };
    }
    const duplicateRate = Number(optionalString(request.params, "duplicate_rate") ?? "0");
    const maxDelayMs = optionalInteger(request.params, "max_delay_ms") ?? 0;
    const shuffle = optionalString(request.params, "shuffle") === "true";
    emulator.dispatcher.configureChaos({ seed, duplicateRate, maxDelayMs, shuffle, dropEventTypes, dropRate });
    return { chaos: emulator.dispatcher.chaosOptions ?? null };
  }),
  route("POST", "/_emulator/checkout/sessions/:id/async_outcome", (emulator, request) => {
    const outcome = optionalEnum(request.params, "outcome", ["succeeded", "failed"]) ?? "succeeded";
    return settleAsyncPayment(emulator, pathParam(request, "id"), outcome);
  }),
  route("POST", "/_emulator/disputes/:id/close", (emulator, request) => {
    const outcome = optionalEnum(request.params, "outcome", ["won", "lost"]);
    if (!outcome) throw invalidParam("outcome", "outcome must be won or lost");
    return closeDispute(emulator, requireDispute(emulator, pathParam(request, "id")), outcome, AUTOMATIC);
  }),
];
