import Stripe from "stripe";

/** The id of an expandable Stripe field, whether Stripe sent the id or the expanded object. */
export function stripeId(field: string | { id: string } | null | undefined): string | null {
  if (field == null) return null;
  return typeof field === "string" ? field : field.id;
}

/** A Stripe timestamp (seconds since the epoch) as a Date; null stays null. */
export function fromStripeTime(seconds: number | null | undefined): Date | null {
  return seconds == null ? null : new Date(seconds * 1000);
}

/** True for Stripe's "No such …" answer: the object does not exist (or no longer does). */
export function isMissingObject(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing";
}
