import { randomBytes } from "node:crypto";
import Stripe from "stripe";

// The webhook benchmark's load: `checkout.session.completed` for paid top-ups, shaped like the
// events Stripe sends (the fields of Stripe.Checkout.Session, as the local emulator fills them for a
// hosted payment-mode Checkout), so the server parses and stores a payload of realistic size.

export interface BenchPurchase {
  purchaseId: string;
  userId: string;
  packKey: string;
  amountMinor: number;
  /** Upper-case ISO code, as Billfold stores it. */
  currency: string;
  checkoutSessionId: string;
  paymentIntentId: string;
}

const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A Stripe-looking id: prefix, underscore, random alphanumerics (Stripe's own ids look the same). */
export function stripeLikeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let id = "";
  for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return `${prefix}_${id}`;
}

function completedSession(purchase: BenchPurchase, appUrl: string, now: number): Stripe.Checkout.Session {
  const metadata = { billfoldUserId: purchase.userId, billfoldPurchaseId: purchase.purchaseId, purpose: "topup", packKey: purchase.packKey };
  return {
    id: purchase.checkoutSessionId,
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: purchase.amountMinor,
    amount_total: purchase.amountMinor,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: `${appUrl}/wallet?checkout=canceled&purchase=${purchase.purchaseId}`,
    client_reference_id: null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now - 40,
    currency: purchase.currency.toLowerCase(),
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: stripeLikeId("cus", 14),
    customer_account: null,
    customer_creation: null,
    customer_details: {
      address: { city: null, country: "GB", line1: null, line2: null, postal_code: "SW1A 1AA", state: null },
      business_name: null,
      email: `bench-${purchase.userId}@example.test`,
      individual_name: null,
      name: "Bench Customer",
      phone: null,
      tax_exempt: "none",
      tax_ids: [],
    },
    customer_email: null,
    discounts: [],
    expires_at: now + 86_360,
    integration_identifier: null,
    invoice: null,
    invoice_creation: { enabled: false, invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null } },
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata,
    mode: "payment",
    origin_context: null,
    payment_intent: purchase.paymentIntentId,
    payment_link: null,
    payment_method_collection: null,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ["card"],
    payment_status: "paid",
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "complete",
    submit_type: null,
    subscription: null,
    success_url: `${appUrl}/wallet?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted",
    url: null,
    wallet_options: null,
  } satisfies Stripe.Checkout.Session;
}

/** The JSON body Stripe would POST for this purchase's completed, paid Checkout Session. */
export function checkoutSessionCompletedBody(purchase: BenchPurchase, appUrl = "http://127.0.0.1:3000"): { eventId: string; body: string } {
  const now = Math.floor(Date.now() / 1000);
  const event = {
    id: stripeLikeId("evt", 24),
    object: "event",
    api_version: Stripe.API_VERSION,
    created: now,
    data: { object: completedSession(purchase, appUrl, now) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "checkout.session.completed",
  } satisfies Stripe.CheckoutSessionCompletedEvent;
  return { eventId: event.id, body: JSON.stringify(event) };
}
