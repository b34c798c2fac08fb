// Disputes: opened automatically for the dispute test cards, closed by the merchant
// (`POST /v1/disputes/:id/close` accepts the loss) or by "the bank" via the control
// endpoint `POST /_emulator/disputes/:id/close` with outcome=won|lost.
import type Stripe from "stripe";
import type { Emulator, RequestContext } from "../emulator";
import { invalidState, noSuchObject } from "../http/errors";
import { newId } from "../http/ids";
import { createdFilter, listPage } from "../http/list";
import { mergeMetadata, optionalString } from "../http/params";
import { pathParam, route, type Route } from "../http/router";
import { changedAttributes } from "./customers";

function emptyEvidence(): Stripe.Dispute.Evidence {
  return {
    access_activity_log: null,
    billing_address: null,
    cancellation_policy: null,
    cancellation_policy_disclosure: null,
    cancellation_rebuttal: null,
    customer_communication: null,
    customer_email_address: null,
    customer_name: null,
    customer_purchase_ip: null,
    customer_signature: null,
    duplicate_charge_documentation: null,
    duplicate_charge_explanation: null,
    duplicate_charge_id: null,
    enhanced_evidence: {},
    product_description: null,
    receipt: null,
    refund_policy: null,
    refund_policy_disclosure: null,
    refund_refusal_explanation: null,
    service_date: null,
    service_documentation: null,
    shipping_address: null,
    shipping_carrier: null,
    shipping_date: null,
    shipping_documentation: null,
    shipping_tracking_number: null,
    uncategorized_file: null,
    uncategorized_text: null,
  };
}

export function openDispute(emulator: Emulator, charge: Stripe.Charge, inquiry: boolean, context: RequestContext): Stripe.Dispute {
  const dispute = {
    id: newId(inquiry ? "du" : "dp"),
    object: "dispute",
    amount: charge.amount,
    balance_transactions: [],
    charge: charge.id,
    created: emulator.now(),
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: emptyEvidence(),
    evidence_details: {
      due_by: emulator.now() + 7 * 24 * 3600,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: "not_submitted",
    },
    intended_submission_method: null,
    is_charge_refundable: inquiry,
    livemode: false,
    metadata: {},
    payment_intent: typeof charge.payment_intent === "string" ? charge.payment_intent : (charge.payment_intent?.id ?? null),
    reason: inquiry ? "general" : "fraudulent",
    status: inquiry ? "warning_needs_response" : "needs_response",
  } satisfies Stripe.Dispute;
  emulator.state.disputes[dispute.id] = dispute;
  charge.disputed = true;
  emulator.emit("charge.dispute.created", dispute, context);
  if (!inquiry) emulator.emit("charge.dispute.funds_withdrawn", dispute, context);
  return dispute;
}

export function requireDispute(emulator: Emulator, id: string): Stripe.Dispute {
  const dispute = emulator.state.disputes[id];
  if (!dispute) throw noSuchObject("dispute", id);
  return dispute;
}

const CLOSED_STATUSES: readonly string[] = ["won", "lost", "warning_closed"];

/** Close a dispute; `won` reinstates the funds like Stripe's `charge.dispute.funds_reinstated`. */
export function closeDispute(emulator: Emulator, dispute: Stripe.Dispute, outcome: "won" | "lost", context: RequestContext): Stripe.Dispute {
  if (CLOSED_STATUSES.includes(dispute.status)) throw invalidState(`This dispute is already closed (status: ${dispute.status}).`);
  const before = { ...dispute };
  const inquiry = dispute.status.startsWith("warning_");
  dispute.status = inquiry ? "warning_closed" : outcome;
  emulator.emit("charge.dispute.closed", dispute, context, changedAttributes(before, dispute));
  if (outcome === "won" && !inquiry) emulator.emit("charge.dispute.funds_reinstated", dispute, context);
  return dispute;
}

export const disputeRoutes: Route[] = [
  route("GET", "/v1/disputes/:id", (emulator, request) => requireDispute(emulator, pathParam(request, "id"))),
  route("POST", "/v1/disputes/:id", (emulator, request) => {
    const dispute = requireDispute(emulator, pathParam(request, "id"));
    const before = { ...dispute };
    dispute.metadata = mergeMetadata(dispute.metadata, request.params);
    emulator.emit("charge.dispute.updated", dispute, request.context, changedAttributes(before, dispute));
    return dispute;
  }),
  route("POST", "/v1/disputes/:id/close", (emulator, request) =>
    closeDispute(emulator, requireDispute(emulator, pathParam(request, "id")), "lost", request.context),
  ),
  route("GET", "/v1/disputes", (emulator, request) => {
    const paymentIntent = optionalString(request.params, "payment_intent");
    const charge = optionalString(request.params, "charge");
    const inRange = createdFilter(request.params);
    const items = Object.values(emulator.state.disputes).filter(
      (dispute) => (!paymentIntent || dispute.payment_intent === paymentIntent) && (!charge || dispute.charge === charge) && inRange(dispute.created),
    );
    return listPage(items, request.params, "/v1/disputes");
  }),
];
