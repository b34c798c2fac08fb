// The emulator's Stripe.js (pages/stripe.js, plain browser JavaScript), read once and served as it is.
import { readFileSync } from "node:fs";

export const STRIPE_JS = readFileSync(new URL("./stripe.js", import.meta.url), "utf8");
