import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { forbidden, redirect, unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { jsonError, route, type Handler } from "../core/api";
import { getCurrentUser, type CurrentUser } from "./auth/session";
import { env } from "../core/env";
import { AppError, ForbiddenError, toPublicError, UnauthorizedError } from "../core/errors";
import { FIX_FIELDS_MESSAGE, SECRET_FIELDS } from "../core/forms";
import { log } from "../core/log";

// Every "who may do this" check in one place: pages (requireUser/requireAdmin), route handlers
// (withUser/withAdmin/withCronSecret) and server actions (userAction/adminAction/publicAction).
// A page, handler or action never repeats a session or role check by hand.

// ── Pages ──────────────────────────────────────────────────────────────────────────────────────────

/** For pages: the signed-in user, or a redirect to sign-in that comes back here. */
export async function requireUser(returnTo = "/wallet"): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** For pages: an admin; signed out, a redirect to sign-in; a USER gets 403 (app/forbidden.tsx). */
export async function requireAdmin(returnTo = "/admin"): Promise<CurrentUser> {
  const user = await requireUser(returnTo);
  if (user.role !== "ADMIN") forbidden();
  return user;
}

// ── Route handlers ─────────────────────────────────────────────────────────────────────────────────

type WithUser = { requestId: string; user: CurrentUser };

/** A route handler for signed-in users: 401 JSON otherwise. */
export function withUser(handler: Handler<WithUser>) {
  return route(async (req, ctx) => {
    const user = await getCurrentUser();
    if (!user) throw new UnauthorizedError();
    return handler(req, { ...ctx, user });
  });
}

/** A route handler for admins: 401 when signed out, 403 for a USER. */
export function withAdmin(handler: Handler<WithUser>) {
  return withUser(async (req, ctx) => {
    if (ctx.user.role !== "ADMIN") throw new ForbiddenError();
    return handler(req, ctx);
  });
}

/**
 * True when the request carries `Authorization: Bearer <secret>`. Both sides are hashed first, so the
 * comparison takes the same time whatever the token's length or content.
 */
export function hasBearerSecret(req: Request, secret: string): boolean {
  const header = req.headers.get("authorization") ?? "";
  const token = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return token.length > 0 && timingSafeEqual(digest(token), digest(secret));
}

/** A route handler for schedulers: 503 when CRON_SECRET is unset, 401 without its bearer token. */
export function withCronSecret(handler: Handler<{ requestId: string }>) {
  return route(async (req, ctx) => {
    const secret = env().CRON_SECRET;
    if (!secret) return jsonError(503, "cron_not_configured", "CRON_SECRET is not set on this server.");
    if (!hasBearerSecret(req, secret)) return jsonError(401, "unauthorized", "A valid cron bearer token is required.");
    return handler(req, ctx);
  }, { callers: "any" }); // a browser cannot attach the bearer secret, so a scheduler needs no Origin check
}

/**
 * A route handler for operators: a scheduler or monitor with the cron bearer token, or a signed-in
 * admin. Otherwise 401 (403 for a signed-in USER).
 */
export function withAdminOrCronSecret(handler: Handler<{ requestId: string }>) {
  return route(async (req, ctx) => {
    const secret = env().CRON_SECRET;
    if (secret && hasBearerSecret(req, secret)) return handler(req, ctx);
    const user = await getCurrentUser();
    if (!user) throw new UnauthorizedError();
    if (user.role !== "ADMIN") throw new ForbiddenError();
    return handler(req, ctx);
  });
}

// ── Server actions ─────────────────────────────────────────────────────────────────────────────────

/** What a form's server action hands back to `useActionState`. */
export interface ActionState {
  message?: string;
  error?: string;
  code?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  /** What the person typed, so a form can keep it after an error (never passwords). */
  values?: Record<string, string>;
  /**
   * An Embedded Checkout Session the action opened for the signed-in person (components/checkout):
   * its client secret is answered to the session's owner only. `reference` names what it pays for
   * (a purchase id, or the plan's key).
   */
  checkout?: { sessionId: string; clientSecret: string; reference: string };
}

export type FormAction = (previous: ActionState, form: FormData) => Promise<ActionState>;

/**
 * A domain error about one field (`details.field`), shown next to that field and kept with what was
 * typed; null for any other error, or when `onlyField` is given and the error is about another field.
 */
export function fieldErrorState(error: unknown, values: Record<string, string>, onlyField?: string): ActionState | null {
  if (!(error instanceof AppError) || typeof error.details?.field !== "string") return null;
  if (onlyField !== undefined && error.details.field !== onlyField) return null;
  return { error: error.message, code: error.code, fieldErrors: { [error.details.field]: [error.message] }, values };
}

interface ActionOptions {
  /** Shown when something unexpected fails; it should say what did (not) happen to the person's money or data. */
  failureMessage?: string;
}

const DEFAULT_FAILURE = "Something went wrong on our side. Please try again.";

function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === "string" && !name.startsWith("$ACTION")) values[name] = value;
  }
  return values;
}

function keptValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => !SECRET_FIELDS.test(name)));
}

/**
 * Parses the form with zod, runs the action, and maps any error through the one error map. Redirects
 * (Next's own control flow) pass through; unexpected errors are logged with an id and never shown.
 */
async function runAction<S extends z.ZodType>(
  schema: S,
  form: FormData,
  run: (input: z.output<S>) => Promise<ActionState | void>,
  options: ActionOptions,
): Promise<ActionState> {
  const values = formValues(form);
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    return { error: FIX_FIELDS_MESSAGE, code: "validation_error", fieldErrors: z.flattenError(parsed.error).fieldErrors, values: keptValues(values) };
  }
  try {
    return (await run(parsed.data)) ?? {};
  } catch (error) {
    unstable_rethrow(error);
    const mapped = toPublicError(error);
    if (!mapped.expected) {
      const requestId = randomUUID();
      log.error("action_failed", { requestId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      return { error: options.failureMessage ?? DEFAULT_FAILURE, code: mapped.code, values: keptValues(values) };
    }
    return { error: mapped.message, code: mapped.code, values: keptValues(values) };
  }
}

/** A server action anyone may call (sign-up, password reset). */
export function publicAction<S extends z.ZodType>(schema: S, run: (input: z.output<S>) => Promise<ActionState | void>, options: ActionOptions = {}): FormAction {
  return (_previous, form) => runAction(schema, form, run, options);
}

/** A server action behind a page guard: the guard runs first (redirecting when it refuses), then the action with its user. */
function guardedAction(guard: (returnTo?: string) => Promise<CurrentUser>) {
  return <S extends z.ZodType>(
    schema: S,
    run: (input: z.output<S>, user: CurrentUser) => Promise<ActionState | void>,
    options: ActionOptions & { returnTo?: string } = {},
  ): FormAction =>
    async (_previous, form) => {
      const user = await guard(options.returnTo);
      return runAction(schema, form, (input) => run(input, user), options);
    };
}

/** A server action for signed-in users; signed out, it redirects to sign-in and back to `returnTo`. */
export const userAction = guardedAction(requireUser);

/** A server action for admins only: signed out → sign-in, a USER → 403. */
export const adminAction = guardedAction(requireAdmin);
