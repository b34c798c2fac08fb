// Subscriptions API: create (charging the first invoice, or starting a trial), retrieve, list, update
// (metadata, cancel_at_period_end, items with prorations, trial_end) and cancel.
import type Stripe from "stripe";
import type { Emulator } from "../emulator";
import { invalidParam, invalidState, noSuchObject } from "../http/errors";
import { listPage } from "../http/list";
import type { FormObject } from "../http/form";
import { mergeMetadata, objectArray, optionalBoolean, optionalEnum, optionalInteger, optionalObject, optionalString } from "../http/params";
import { PRORATION_BEHAVIORS } from "../engines/proration";
import { pathParam, route, type ApiRequest, type Route } from "../http/router";
import {
  cancelSubscriptionNow,
  customerIdOf,
  emitSubscriptionStart,
  startSubscription,
  timeForCustomer,
  type MissingPaymentMethodBehavior,
} from "../engines/subscription";
import { changeSubscription, setCancelAtPeriodEnd, type ItemUpdate } from "../engines/subscription-update";
import { requirePrice } from "./catalog";
import { requireCustomer } from "./customers";
import { attachPaymentMethod, resolvePaymentMethod } from "./payment-methods";

export function requireSubscription(emulator: Emulator, id: string, param = "id"): Stripe.Subscription {
  const subscription = emulator.state.subscriptions[id];
  if (!subscription) throw noSuchObject("subscription", id, param);
  return subscription;
}

function createSubscription(emulator: Emulator, request: ApiRequest): Stripe.Subscription {
  const params = request.params;
  const customerId = optionalString(params, "customer");
  if (!customerId) throw invalidParam("customer", "Missing required param: customer.", "parameter_missing");
  const customer = requireCustomer(emulator, customerId, "customer");
  const itemParams = objectArray(params, "items");
  if (itemParams.length === 0) throw invalidParam("items", "Missing required param: items.", "parameter_missing");
  const items = itemParams.map((item, index) => {
    const priceId = optionalString(item, "price", `items[${index}][price]`);
    if (!priceId) throw invalidParam(`items[${index}][price]`, `Missing required param: items[${index}][price].`, "parameter_missing");
    const price = requirePrice(emulator, priceId, `items[${index}][price]`);
    if (!price.recurring) throw invalidParam(`items[${index}][price]`, "The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.");
    return { price, quantity: optionalInteger(item, "quantity", `items[${index}][quantity]`) ?? 1 };
  });
  const defaultPaymentMethodParam = optionalString(params, "default_payment_method");
  const paymentMethod = defaultPaymentMethodParam
    ? attachPaymentMethod(emulator, resolvePaymentMethod(emulator, defaultPaymentMethodParam, "default_payment_method"), customer.id, request.context)
    : undefined;
  const started = startSubscription(
    emulator,
    {
      customer,
      items,
      metadata: mergeMetadata(null, params),
      defaultPaymentMethod: paymentMethod?.id ?? null,
      cancelAtPeriodEnd: optionalBoolean(params, "cancel_at_period_end") ?? false,
      description: optionalString(params, "description") ?? null,
      ...trialFromParams(params, timeForCustomer(emulator, customer.id)),
    },
    paymentMethod,
  );
  emitSubscriptionStart(emulator, started, request.context);
  const paymentBehavior = optionalString(params, "payment_behavior") ?? "allow_incomplete";
  if (started.run.error && started.run.attempt?.kind === "failed" && paymentBehavior === "error_if_incomplete") throw started.run.error;
  return started.subscription;
}

function updateSubscription(emulator: Emulator, request: ApiRequest): Stripe.Subscription {
  const subscription = requireSubscription(emulator, pathParam(request, "id"));
  const params = request.params;
  const items: ItemUpdate[] = objectArray(params, "items").map((item, index) => {
    const priceId = optionalString(item, "price", `items[${index}][price]`);
    return {
      id: optionalString(item, "id", `items[${index}][id]`),
      price: priceId ? requirePrice(emulator, priceId, `items[${index}][price]`) : undefined,
      quantity: optionalInteger(item, "quantity", `items[${index}][quantity]`),
      deleted: optionalBoolean(item, "deleted", `items[${index}][deleted]`),
    };
  });
  const rawTrialEnd = optionalString(params, "trial_end");
  const trialSettings = missingPaymentMethodParam(params, "trial_settings");
  const defaultPaymentMethod = optionalString(params, "default_payment_method");
  const paymentMethod = defaultPaymentMethod ? resolvePaymentMethod(emulator, defaultPaymentMethod, "default_payment_method") : undefined;
  const cancelAtPeriodEnd = optionalBoolean(params, "cancel_at_period_end");
  return changeSubscription(
    emulator,
    subscription,
    {
      items,
      prorationBehavior: optionalEnum(params, "proration_behavior", PRORATION_BEHAVIORS) ?? "create_prorations",
      prorationDate: optionalInteger(params, "proration_date"),
      trialEnd: rawTrialEnd === "now" ? "now" : optionalInteger(params, "trial_end"),
      apply: (target, now) => {
        target.metadata = mergeMetadata(target.metadata, params);
        if (cancelAtPeriodEnd !== undefined) setCancelAtPeriodEnd(target, cancelAtPeriodEnd, now);
        if (paymentMethod) target.default_payment_method = attachPaymentMethod(emulator, paymentMethod, customerIdOf(target), request.context).id;
        if (trialSettings && target.trial_settings) target.trial_settings.end_behavior.missing_payment_method = trialSettings;
      },
    },
    request.context,
  );
}

/** `trial_settings[end_behavior][missing_payment_method]`; `path` is the param's full name for errors. */
function missingPaymentMethodParam(params: FormObject, path: string): MissingPaymentMethodBehavior | undefined {
  const settings = optionalObject(params, "trial_settings", path);
  const endBehavior = settings ? optionalObject(settings, "end_behavior", `${path}[end_behavior]`) : undefined;
  return endBehavior
    ? optionalEnum(endBehavior, "missing_payment_method", ["cancel", "create_invoice", "pause"], `${path}[end_behavior][missing_payment_method]`)
    : undefined;
}

/**
 * The trial asked for by `trial_end` (a timestamp; `now` means none) or `trial_period_days`, and what happens
 * at its end without a payment method (`trial_settings`, default `create_invoice`). Shared by
 * `subscriptions.create` and Checkout's `subscription_data`.
 */
export function trialFromParams(
  params: FormObject,
  now: number,
  parent?: string,
): { trialEnd: number | null; missingPaymentMethod: MissingPaymentMethodBehavior } {
  const path = (key: string) => (parent ? `${parent}[${key}]` : key);
  const trialEndRaw = optionalString(params, "trial_end", path("trial_end"));
  const days = optionalInteger(params, "trial_period_days", path("trial_period_days"));
  if (trialEndRaw !== undefined && days !== undefined) {
    throw invalidParam(path("trial_end"), "You may only specify one of these parameters: trial_end, trial_period_days.");
  }
  if (days !== undefined && (days < 0 || days > 730)) throw invalidParam(path("trial_period_days"), "trial_period_days must be between 0 and 730.");
  let trialEnd: number | null = null;
  if (trialEndRaw !== undefined && trialEndRaw !== "now") {
    trialEnd = optionalInteger(params, "trial_end", path("trial_end")) ?? null;
    if (trialEnd !== null && trialEnd <= now) throw invalidParam(path("trial_end"), "Invalid timestamp: must be an integer Unix timestamp in the future.");
  } else if (days !== undefined && days > 0) {
    trialEnd = now + days * 24 * 3600;
  }
  return { trialEnd, missingPaymentMethod: missingPaymentMethodParam(params, path("trial_settings")) ?? "create_invoice" };
}

export const subscriptionRoutes: Route[] = [
  route("POST", "/v1/subscriptions", createSubscription),
  route("GET", "/v1/subscriptions/:id", (emulator, request) => requireSubscription(emulator, pathParam(request, "id"))),
  route("POST", "/v1/subscriptions/:id", updateSubscription),
  route("DELETE", "/v1/subscriptions/:id", (emulator, request) => {
    const subscription = requireSubscription(emulator, pathParam(request, "id"));
    if (subscription.status === "canceled") throw invalidState(`No such subscription: '${subscription.id}' is already canceled.`);
    cancelSubscriptionNow(emulator, subscription, request.context, timeForCustomer(emulator, String(subscription.customer)));
    return subscription;
  }),
  route("GET", "/v1/subscriptions", (emulator, request) => {
    const customer = optionalString(request.params, "customer");
    const price = optionalString(request.params, "price");
    const status = optionalString(request.params, "status");
    const items = Object.values(emulator.state.subscriptions).filter(
      (subscription) =>
        (!customer || subscription.customer === customer) &&
        (!price || subscription.items.data.some((item) => item.price.id === price)) &&
        (status === "all" || (status ? subscription.status === status : subscription.status !== "canceled")),
    );
    return listPage(items, request.params, "/v1/subscriptions");
  }),
];
