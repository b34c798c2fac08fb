// The checkout page, drawn on two surfaces from one implementation: the hosted page at a session's `url`
// (`/checkout/<id>`, which redirects to `success_url` when done) and the embedded page a merchant frames
// (`/embedded-checkout/<client_secret>`, which stays in its frame and tells the parent by postMessage).
// Line items, total, a card field that honours Stripe's test cards, 3-D Secure "authenticate" step and a
// delayed-payment option. In setup mode it only saves the card (no items, a "Save card" button).
import type Stripe from "stripe";
import { findTestCard, DECLINE_MESSAGES } from "../engines/cards";
import type { Emulator, RequestContext } from "../emulator";
import { StripeApiError } from "../http/errors";
import type { FormObject } from "../http/form";
import { optionalString } from "../http/params";
import { failAuthentication } from "../engines/payments";
import { cardOptional, completeSession, completeSessionWithoutPaymentMethod, retryablePaymentIntent, sessionSetupIntent, successRedirect } from "../resources/checkout";
import { createCardPaymentMethod, createSepaDebitPaymentMethod } from "../resources/payment-methods";
import { failSetupAuthentication } from "../resources/setup-intents";
import { escapeHtml, formatMoney, page } from "./html";

/** Stripe's SEPA test IBANs: the first settles, the second fails. */
const IBAN_SUCCEEDS = "AT611904300234573201";
const IBAN_FAILS = "AT861904300235473202";

/** Where the form is drawn: `basePath` is the page's own address, its form posts to `${basePath}/pay`. */
export interface CheckoutSurface {
  embedded: boolean;
  basePath: string;
}

export function hostedSurface(session: Stripe.Checkout.Session): CheckoutSurface {
  return { embedded: false, basePath: `/checkout/${encodeURIComponent(session.id)}` };
}

export function embeddedSurface(clientSecret: string): CheckoutSurface {
  return { embedded: true, basePath: `/embedded-checkout/${encodeURIComponent(clientSecret)}` };
}

/** The embedded session a client secret belongs to (`<session id>_secret_<random>`), if any. */
export function findEmbeddedSession(emulator: Emulator, clientSecret: string): Stripe.Checkout.Session | undefined {
  const session = emulator.state.checkoutSessions[clientSecret.split("_secret_")[0] ?? ""];
  return session && session.ui_mode === "embedded_page" && session.client_secret === clientSecret ? session : undefined;
}

/** What the embedded page posts to its parent when the session completes (the emulator's Stripe.js acts on it). */
export interface CheckoutCompleteMessage {
  source: "stripe-emulator";
  type: "checkout-complete";
  sessionId: string;
  /** `return_url` with `{CHECKOUT_SESSION_ID}` filled in, or null when the session has none (`redirect_on_completion: never`). */
  redirectUrl: string | null;
  redirectOnCompletion: "always" | "if_required" | "never";
}

function completeMessage(session: Stripe.Checkout.Session): CheckoutCompleteMessage {
  const redirect = session.redirect_on_completion;
  return {
    source: "stripe-emulator",
    type: "checkout-complete",
    sessionId: session.id,
    // An embedded session has no success_url, so its redirect is return_url with the session id filled in.
    redirectUrl: session.return_url ? successRedirect(session) : null,
    redirectOnCompletion: redirect === "if_required" ? "if_required" : redirect === "never" ? "never" : "always",
  };
}

/**
 * The embedded page's script: reports its height to the parent (which sizes the iframe) and, once, the completion.
 * Messages go to the parent's origin where the browser tells it (Chromium's `ancestorOrigins`), else to any: they
 * carry nothing secret (the session id and the merchant's own return URL).
 */
function embeddedPageScript(completion: CheckoutCompleteMessage | null): string {
  const json = JSON.stringify(completion).replace(/</g, "\\u003c");
  return `<script>
(function () {
  var parentOrigin = (location.ancestorOrigins && location.ancestorOrigins[0]) || "*";
  function post(message) {
    if (window.parent !== window) window.parent.postMessage(Object.assign({ source: "stripe-emulator" }, message), parentOrigin);
  }
  function resize() {
    var style = getComputedStyle(document.body);
    post({ type: "resize", height: Math.ceil(document.body.getBoundingClientRect().height + parseFloat(style.marginTop) + parseFloat(style.marginBottom)) });
  }
  new ResizeObserver(resize).observe(document.body);
  resize();
  var completion = ${json};
  if (completion) post(completion);
})();
</script>`;
}

/** An embedded session's closed state, in its frame: done (with the completion message when it just happened), or expired. */
function renderEmbeddedClosed(session: Stripe.Checkout.Session, justCompleted: boolean): string {
  if (session.status !== "complete") {
    return page("Checkout", `<h1>Checkout</h1><p role="status">This Checkout Session is ${escapeHtml(session.status ?? "closed")}.</p>${embeddedPageScript(null)}`);
  }
  const processing = session.mode === "payment" && session.payment_status === "unpaid";
  const title = session.mode === "setup" ? "Card saved" : processing ? "Payment processing" : "Payment complete";
  const detail = session.mode === "setup" ? "Your card is saved for future payments." : processing ? "Your bank debit is on its way; you will hear when it clears." : "Thank you: your payment went through.";
  return page("Checkout", `<h1>${title}</h1><p role="status">${detail}</p>${embeddedPageScript(justCompleted ? completeMessage(session) : null)}`);
}

interface PageState {
  message?: string;
  cardNumber?: string;
  email?: string;
  authenticate?: boolean;
}

export interface PageResponse {
  status: number;
  html?: string;
  redirect?: string;
}

export function renderCheckoutPage(emulator: Emulator, session: Stripe.Checkout.Session, state: PageState = {}, surface = hostedSurface(session)): string {
  const items = emulator.state.checkoutLineItems[session.id] ?? [];
  const currency = session.currency ?? "usd";
  const rows = items
    .map((item) => {
      const interval = item.price?.recurring ? ` / ${item.price.recurring.interval}` : "";
      return `<tr><td>${escapeHtml(item.description ?? "Item")} × ${item.quantity ?? 1}</td><td class="amount">${formatMoney(item.amount_total, item.currency)}${interval}</td></tr>`;
    })
    .join("");
  const total = formatMoney(session.amount_total ?? 0, currency);
  const action = `${surface.basePath}/pay`;
  if (surface.embedded && session.status !== "open") return renderEmbeddedClosed(session, false);
  if (session.status !== "open") {
    return page("Checkout", `<h1>Checkout</h1><p role="status">This Checkout Session is ${escapeHtml(session.status ?? "closed")}.</p>`);
  }
  const email = state.email ?? session.customer_details?.email ?? session.customer_email ?? "";
  const setup = session.mode === "setup";
  const authenticateStep = state.authenticate
    ? `<section aria-labelledby="auth-title"><h2 id="auth-title">3D Secure authentication</h2>
<p>${setup ? "Your bank asks you to confirm saving this card for future payments." : `Your bank asks you to confirm this payment of ${total}.`}</p>
<form method="post" action="${action}">
<input type="hidden" name="card_number" value="${escapeHtml(state.cardNumber ?? "")}">
<input type="hidden" name="email" value="${escapeHtml(email)}">
<input type="hidden" name="authenticated" value="true">
<button type="submit">Complete authentication</button>
</form>
<form method="post" action="${action}"><input type="hidden" name="authentication_failed" value="true"><button type="submit" class="secondary">Fail authentication</button></form>
</section>`
    : "";
  const delayedOption =
    session.mode === "payment"
      ? `<fieldset><legend>Bank debit</legend>
<input type="checkbox" id="delayed" name="delayed" value="true"><label for="delayed">Delayed payment (bank debit)</label>
<div role="radiogroup" aria-label="Later outcome">
<input type="radio" id="later-succeed" name="delayed_outcome" value="succeeded" checked><label for="later-succeed">Later succeeds</label>
<input type="radio" id="later-fail" name="delayed_outcome" value="failed"><label for="later-fail">Later fails</label>
</div>
<p class="muted">The outcome arrives after a short delay as checkout.session.async_payment_succeeded / _failed.</p>
</fieldset>`
      : "";
  const cancel = session.cancel_url && !surface.embedded ? `<a class="button secondary" href="${escapeHtml(session.cancel_url)}">Cancel</a>` : "";
  const summary = setup
    ? `<p>Save a card for future payments. You will not be charged now.</p>`
    : `<table><thead><tr><th>Item</th><th class="amount">Amount</th></tr></thead><tbody>${rows}</tbody>
<tfoot><tr><th>Total</th><th class="amount" data-testid="total">${total}</th></tr></tfoot></table>`;
  const body = `<h1>${session.mode === "subscription" ? "Subscribe" : setup ? "Save your card" : "Pay"}</h1>
${summary}
${authenticateStep}
<form method="post" action="${action}" ${state.authenticate ? "hidden" : ""}>
<label for="email">Email</label>
<input type="email" id="email" name="email" autocomplete="email" value="${escapeHtml(email)}">
<label for="card-number">Card number</label>
<input type="text" id="card-number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242" value="${escapeHtml(state.cardNumber ?? "")}">
<p class="muted">Any future expiry date and any CVC are accepted.${cardOptional(emulator, session) ? " During the free trial a card is optional: leave it empty to start without one." : ""}</p>
${delayedOption}
<button type="submit">${setup ? "Save card" : "Pay"}</button>
${cancel}
</form>
<div role="alert" id="payment-message">${state.message ? escapeHtml(state.message) : ""}</div>${surface.embedded ? embeddedPageScript(null) : ""}`;
  return page("Checkout", body);
}

/** Handle the page's form post: pay, ask for authentication, or show the decline. */
export function submitCheckoutPage(
  emulator: Emulator,
  session: Stripe.Checkout.Session,
  form: FormObject,
  context: RequestContext,
  surface = hostedSurface(session),
): PageResponse {
  const render = (state: PageState) => renderCheckoutPage(emulator, session, state, surface);
  // The hosted page leaves for success_url; the embedded one stays in its frame and tells the parent.
  const completed = (redirectUrl: string): PageResponse =>
    surface.embedded ? { status: 200, html: renderEmbeddedClosed(session, true) } : { status: 303, redirect: redirectUrl };
  const cardNumber = optionalString(form, "card_number") ?? "";
  const email = optionalString(form, "email") || null;
  if (optionalString(form, "authentication_failed") === "true") {
    const paymentIntent = retryablePaymentIntent(emulator, session);
    if (paymentIntent) failAuthentication(emulator, paymentIntent, context);
    const setupIntent = session.mode === "setup" ? sessionSetupIntent(emulator, session) : undefined;
    if (setupIntent) failSetupAuthentication(emulator, setupIntent, context);
    return { status: 402, html: render({ message: "We are unable to authenticate your payment method. Please choose a different payment method and try again.", email: email ?? undefined }) };
  }
  const delayed = optionalString(form, "delayed") === "true";
  const billing = { address: null, email, name: null, phone: null, tax_id: null };
  let paymentMethod: Stripe.PaymentMethod;
  let asyncOutcome: "succeeded" | "failed" | undefined;
  if (delayed && session.mode === "payment") {
    asyncOutcome = optionalString(form, "delayed_outcome") === "failed" ? "failed" : "succeeded";
    paymentMethod = createSepaDebitPaymentMethod(emulator, asyncOutcome === "succeeded" ? IBAN_SUCCEEDS : IBAN_FAILS, billing);
  } else if (cardNumber.trim() === "" && cardOptional(emulator, session)) {
    const outcome = completeSessionWithoutPaymentMethod(emulator, session, email, context);
    if (outcome.kind === "completed") return completed(outcome.redirectUrl);
    return { status: 402, html: render({ message: outcome.kind === "declined" ? outcome.message : undefined, email: email ?? undefined }) };
  } else {
    const card = findTestCard(cardNumber);
    if (!card) {
      return { status: 402, html: render({ message: "Your card number is incorrect.", cardNumber, email: email ?? undefined }) };
    }
    paymentMethod = createCardPaymentMethod(emulator, card, billing);
  }
  try {
    const outcome = completeSession(
      emulator,
      session,
      paymentMethod,
      { authenticated: optionalString(form, "authenticated") === "true", email, name: null, asyncOutcome },
      context,
    );
    if (outcome.kind === "completed") return completed(outcome.redirectUrl);
    if (outcome.kind === "requires_action") {
      return { status: 200, html: render({ authenticate: true, cardNumber, email: email ?? undefined }) };
    }
    return { status: 402, html: render({ message: outcome.message, cardNumber, email: email ?? undefined }) };
  } catch (error) {
    if (error instanceof StripeApiError) {
      return { status: error.status, html: render({ message: error.message || DECLINE_MESSAGES.generic_decline }) };
    }
    throw error;
  }
}
