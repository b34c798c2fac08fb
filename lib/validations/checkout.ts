import { z } from "zod";

// The body of POST /api/checkout: a credit top-up (a pack, or a custom amount) or a plan. A body
// without `kind` is a top-up, as it was before plans could be bought. Prices never come from the
// client: a pack, an amount checked against the configured range, or a plan's key.

const planKey = z.string().min(1).max(50);

export const planCheckoutRequestSchema = z.object({ kind: z.literal("subscription"), planKey }).strict();

export const topUpCheckoutRequestSchema = z
  .object({
    kind: z.literal("topup").optional(),
    packKey: z.string().min(1).max(50).optional(),
    amountMinor: z.number().int("amountMinor must be a whole number of minor units.").positive().optional(),
  })
  .strict()
  .refine((body) => (body.packKey === undefined) !== (body.amountMinor === undefined), { message: "Send either a packKey or an amountMinor." })
  .transform((body) =>
    body.packKey !== undefined ? { kind: "topup" as const, packKey: body.packKey } : { kind: "topup" as const, amountMinor: body.amountMinor ?? 0 },
  );

export const checkoutRequestSchema = z.discriminatedUnion("kind", [planCheckoutRequestSchema, topUpCheckoutRequestSchema]);

export type CheckoutRequest = z.output<typeof checkoutRequestSchema>;

/**
 * The hidden field a payment form sets to "embedded" once the page has loaded Stripe.js
 * (components/checkout); absent (no JavaScript) or "hosted", the action redirects to the hosted page.
 */
export const checkoutUiField = z.enum(["hosted", "embedded"]).optional().catch(undefined);

/** The upgrade form on /billing (lib/actions/billing.ts). */
export const upgradeFormSchema = z.object({ planKey, checkoutUi: checkoutUiField });

/** The confirmation of a plan switch on /billing: the amounts are never in it, only what names the previewed switch. */
export const planSwitchFormSchema = z.object({
  planKey,
  // Empty when the preview had no prorations (a trial).
  prorationDate: z
    .string()
    .regex(/^\d{0,12}$/)
    .transform((value) => (value === "" ? null : Number(value))),
  switchId: z.uuid(),
});
