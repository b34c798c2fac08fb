/** The id of an expandable Stripe field, whether Stripe sent the id or the expanded object. */
export function stripeId(field: string | { id: string } | null | undefined): string | null {
  if (field == null) return null;
  return typeof field === "string" ? field : field.id;
}
