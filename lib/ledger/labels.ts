import type { LedgerEntryType } from "../generated/prisma/enums";

// How ledger entries read to people: the wallet's entry list, its CSV statement and the admin pages use
// these words, so a row says the same thing wherever it is shown. Plain data, safe in client code.

export const ENTRY_LABELS: Record<LedgerEntryType, string> = {
  TOPUP: "Top-up",
  PLAN_GRANT: "Plan credit",
  USAGE: "Usage",
  REFUND: "Refund",
  DISPUTE_HOLD: "Dispute hold",
  DISPUTE_RELEASE: "Dispute released",
  REFUND_REVERSAL: "Refund reversed",
  ADJUSTMENT: "Adjustment",
  PROMOTIONAL: "Promotional credit",
  EXPIRY: "Credit expired",
  VOID: "Credit voided",
};

const PLAN_CREDIT_DESCRIPTION = /^(.+) plan credit(?: \(invoice [^)]*\))?$/;

/** A plan grant's entry description, naming the plan it came with: "Team plan credit (invoice BF-0007)". */
export function planCreditDescription(planName: string, invoiceNumber: string | null): string {
  return `${planName} plan credit${invoiceNumber ? ` (invoice ${invoiceNumber})` : ""}`;
}

/** The plan a plan grant came with, read back from its entry's description; null when it names none. */
export function planNameOfPlanCredit(description: string | null): string | null {
  return (description && PLAN_CREDIT_DESCRIPTION.exec(description)?.[1]) || null;
}

// Stripe ids start with a prefix naming the kind of object (https://docs.stripe.com/api: pi_ a
// PaymentIntent, cs_ a Checkout Session, …); the entry's reference is one of these.
const STRIPE_REFERENCE_KINDS: ReadonlyArray<[prefix: string, kind: string]> = [
  ["pi_", "Payment"],
  ["ch_", "Charge"],
  ["py_", "Payment"],
  ["cs_", "Checkout"],
  ["in_", "Invoice"],
  ["re_", "Refund"],
  ["pyr_", "Refund"],
  ["du_", "Dispute"],
  ["dp_", "Dispute"],
];

/** What kind of Stripe object a reference names, for a label beside it ("Refund"); null when it is not a Stripe id Billfold writes. */
export function stripeReferenceKind(reference: string): string | null {
  return STRIPE_REFERENCE_KINDS.find(([prefix]) => reference.startsWith(prefix))?.[1] ?? null;
}

/** The pack key of an auto-recharge's Purchase: not a pack on sale, but charged like one (so refunds, disputes and receipts work as for top-ups). */
export const RECHARGE_PACK_KEY = "auto_recharge";
