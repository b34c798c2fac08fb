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

/** What a retrieve answers, or null when Stripe has no such object; any other error (Stripe down, a bad key) is thrown. */
export async function nullWhenMissing<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (isMissingObject(error)) return null;
    throw error;
  }
}

/** Every item of a Stripe list, following its pages (the SDK's auto-pagination). */
export async function listAll<T>(list: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of list) items.push(item);
  return items;
}
