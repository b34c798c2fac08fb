import { z } from "zod";

// Domain errors. Each carries a stable machine code and the HTTP status it maps to;
// lib/core/api.ts turns them into `{ error: { code, message } }`.
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "Sign in to continue.") {
    super("unauthorized", message, 401);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "You do not have access to this resource.") {
    super("forbidden", message, 403);
  }
}

export class NotFoundError extends AppError {
  constructor(message = "Not found.") {
    super("not_found", message, 404);
  }
}

/** The user's plan does not include a feature; the message names the plans that do. */
export class PlanRequiredError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("plan_required", message, 403, details);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 409);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("validation_error", message, 422, details);
  }
}

export class InsufficientFundsError extends AppError {
  constructor(balanceMinor: number, currency: string) {
    super("insufficient_funds", "Your wallet balance is too low for this charge.", 402, { balanceMinor, currency });
  }
}

/** Refused payment (402) like insufficient funds, but its own code: the money is there, the month's cap is not. */
export class SpendLimitError extends AppError {
  constructor(limitMinor: number, spentMinor: number, currency: string, resetsAt: Date, setBy: "plan" | "you" = "plan") {
    const message =
      setBy === "you"
        ? "This would take you past the monthly spend limit you set. Raise it on your wallet page, or wait until it resets."
        : "This would take you past your plan's monthly spend limit. Upgrade your plan, or wait until the limit resets.";
    super("spend_limit_reached", message, 402, { limitMinor, spentMinor, currency, resetsAt: resetsAt.toISOString(), setBy });
  }
}

/** The balance is below zero (a refund or dispute of credit already spent): spending waits until a top-up repays it. */
export class NegativeBalanceError extends AppError {
  constructor(balanceMinor: number, currency: string) {
    super("balance_negative", "Your balance is below zero after a refund or dispute. Top up to repay it before spending again.", 402, { balanceMinor, currency });
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 503);
  }
}

/** What a caller may learn about an error: domain errors as they are, zod as 422 with its fields, anything else hidden. */
export interface PublicError {
  status: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
  /** False for errors we did not expect: they are logged, and the caller sees only a generic message. */
  expected: boolean;
}

/** The one error map, shared by route handlers (JSON) and server actions (form state). */
export function toPublicError(error: unknown): PublicError {
  if (error instanceof AppError) {
    return { status: error.status, code: error.code, message: error.message, details: error.details ?? {}, expected: true };
  }
  if (error instanceof z.ZodError) {
    return { status: 422, code: "validation_error", message: "The request is not valid.", details: { fields: z.flattenError(error).fieldErrors }, expected: true };
  }
  return { status: 500, code: "internal_error", message: "Something went wrong on our side.", details: {}, expected: false };
}

/** A throttled request: 429 with Retry-After (lib/core/api.ts sets the header from retryAfterSeconds). */
export class TooManyRequestsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super("rate_limited", `Too many attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`, 429, { retryAfterSeconds });
  }
}

/**
 * Thrown by domain code asked to apply something that names what it does not know yet (a refund
 * whose payment has not been applied, a payment for a purchase whose session id is not saved). The
 * references are what would make it known. The domain does not decide to wait: the Stripe event
 * handlers map this to an unmatched event that waits for these references (lib/stripe-events/dispatch.ts).
 */
export class NotYetKnownError extends Error {
  override readonly name = "NotYetKnownError";
  readonly references: string[];

  constructor(what: string, references: ReadonlyArray<string | null | undefined>) {
    const known = [...new Set(references.filter((reference): reference is string => Boolean(reference)))];
    super(`${what}; waiting for ${known.join(", ") || "a reference"}`);
    this.references = known;
  }
}
