// Domain errors. Each carries a stable machine code and the HTTP status it maps to;
// lib/api.ts turns them into `{ error: { code, message } }`.
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

export class ServiceUnavailableError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 503);
  }
}

/** A throttled request: 429 with Retry-After (lib/api.ts sets the header from retryAfterSeconds). */
export class TooManyRequestsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super("rate_limited", `Too many attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`, 429, { retryAfterSeconds });
  }
}
