// Refunds, full and partial, against a charge or payment intent.
import type Stripe from "stripe";
import type { Emulator } from "../emulator";
import { invalidParam, noSuchObject } from "../http/errors";
import { newId } from "../http/ids";
import { createdFilter, listPage } from "../http/list";
import { mergeMetadata, optionalEnum, optionalInteger, optionalString } from "../http/params";
import { pathParam, route, type ApiRequest, type Route } from "../http/router";
import { changedAttributes } from "./customers";
import { requireCharge, requirePaymentIntent } from "./payment-intents";

function requireRefund(emulator: Emulator, id: string): Stripe.Refund {
  const refund = emulator.state.refunds[id];
  if (!refund) throw noSuchObject("refund", id);
  return refund;
}

function chargeForRefund(emulator: Emulator, request: ApiRequest): Stripe.Charge {
  const chargeId = optionalString(request.params, "charge");
  if (chargeId) return requireCharge(emulator, chargeId, "charge");
  const paymentIntentId = optionalString(request.params, "payment_intent");
  if (!paymentIntentId) throw invalidParam("charge", "One of the following params should be provided for this request: payment_intent or charge.", "parameter_missing");
  const paymentIntent = requirePaymentIntent(emulator, paymentIntentId, "payment_intent");
  const latest = typeof paymentIntent.latest_charge === "string" ? paymentIntent.latest_charge : paymentIntent.latest_charge?.id;
  if (!latest || paymentIntent.status !== "succeeded") {
    throw invalidParam("payment_intent", `This PaymentIntent (${paymentIntent.id}) does not have a successful charge to refund.`, "charge_not_refundable");
  }
  return requireCharge(emulator, latest, "payment_intent");
}

function createRefund(emulator: Emulator, request: ApiRequest): Stripe.Refund {
  const charge = chargeForRefund(emulator, request);
  const refundable = charge.amount_captured - charge.amount_refunded;
  const amount = optionalInteger(request.params, "amount") ?? refundable;
  if (charge.refunded || refundable <= 0) {
    throw invalidParam("charge", `Charge ${charge.id} has already been refunded.`, "charge_already_refunded");
  }
  if (amount < 1 || amount > refundable) {
    throw invalidParam(
      "amount",
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable})`,
      "amount_too_large",
    );
  }
  const refund = {
    id: newId("re"),
    object: "refund",
    amount,
    balance_transaction: newId("txn"),
    charge: charge.id,
    created: emulator.now(),
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    destination_details: { type: "card", card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" } },
    metadata: mergeMetadata(null, request.params),
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason: optionalEnum(request.params, "reason", ["duplicate", "fraudulent", "requested_by_customer"]) ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  } satisfies Stripe.Refund;
  emulator.state.refunds[refund.id] = refund;
  const before = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount_captured;
  emulator.emit("refund.created", refund, request.context);
  emulator.emit("charge.refunded", charge, request.context, before);
  return refund;
}

function updateRefund(emulator: Emulator, request: ApiRequest): Stripe.Refund {
  const refund = requireRefund(emulator, pathParam(request, "id"));
  const before = { ...refund };
  refund.metadata = mergeMetadata(refund.metadata, request.params);
  const changed = changedAttributes(before, refund);
  emulator.emit("refund.updated", refund, request.context, changed);
  emulator.emit("charge.refund.updated", refund, request.context, changed);
  return refund;
}

/** Refund objects are listed on the charge too (`charge.refunds`), filled in on read. */
export function refundsOfCharge(emulator: Emulator, chargeId: string): Stripe.Refund[] {
  return Object.values(emulator.state.refunds).filter((refund) => refund.charge === chargeId);
}

export const refundRoutes: Route[] = [
  route("POST", "/v1/refunds", createRefund),
  route("GET", "/v1/refunds/:id", (emulator, request) => requireRefund(emulator, pathParam(request, "id"))),
  route("POST", "/v1/refunds/:id", updateRefund),
  route("GET", "/v1/refunds", (emulator, request) => {
    const charge = optionalString(request.params, "charge");
    const paymentIntent = optionalString(request.params, "payment_intent");
    const inRange = createdFilter(request.params);
    const items = Object.values(emulator.state.refunds).filter(
      (refund) => (!charge || refund.charge === charge) && (!paymentIntent || refund.payment_intent === paymentIntent) && inRange(refund.created),
    );
    return listPage(items, request.params, "/v1/refunds");
  }),
];
