/** Said beside the payment forms when Stripe.js cannot load: they then post for the hosted page. */
export const STRIPE_JS_FALLBACK_NOTICE = "Stripe's payment form couldn't load in this page, so you'll pay on Stripe's own checkout page and come back here.";
