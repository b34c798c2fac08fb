// Subscriptions API: create (charging the first invoice), retrieve, list, update
// (metadata, cancel_at_period_end, switching an item's price) and cancel.
import type Stripe from "stripe";
import type { Emulator } from "../emulator";
import { invalidParam, invalidState, noSuchObject } from "../errors";
import { snapshot } from "../invoice-engine";
import { listPage } from "../list";
import { mergeMetadata, objectArray, optionalBoolean, optionalInteger, optionalString } from "../params";
import { pathParam, route, type ApiRequest, type Route } from "../router";
import {
  buildSubscriptionItem,
  cancelSubscriptionNow,
  emitSubscriptionStart,
  startSubscription,
  timeForCustomer,
} from "../subscription-engine";
import { requirePrice } from "./catalog";
import { changedAttributes, requireCustomer } from "./customers";
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
  if (subscription.status === "canceled") throw invalidState("A canceled subscription can only update its cancellation_details and metadata.");
  const before = snapshot(subscription);
  const params = request.params;
  subscription.metadata = mergeMetadata(subscription.metadata, params);
  const cancelAtPeriodEnd = optionalBoolean(params, "cancel_at_period_end");
  if (cancelAtPeriodEnd !== undefined) {
    subscription.cancel_at_period_end = cancelAtPeriodEnd;
    subscription.canceled_at = cancelAtPeriodEnd ? timeForCustomer(emulator, String(subscription.customer)) : null;
    subscription.cancel_at = cancelAtPeriodEnd ? Math.min(...subscription.items.data.map((item) => item.current_period_end)) : null;
  }
  const defaultPaymentMethod = optionalString(params, "default_payment_method");
  if (defaultPaymentMethod) subscription.default_payment_method = resolvePaymentMethod(emulator, defaultPaymentMethod, "default_payment_method").id;
  objectArray(params, "items").forEach((itemParams, index) => {
    const itemId = optionalString(itemParams, "id", `items[${index}][id]`);
    const priceId = optionalString(itemParams, "price", `items[${index}][price]`);
    const quantity = optionalInteger(itemParams, "quantity", `items[${index}][quantity]`);
    const existing = itemId ? subscription.items.data.find((item) => item.id === itemId) : undefined;
    if (itemId && !existing) throw noSuchObject("subscription_item", itemId, `items[${index}][id]`);
    if (optionalBoolean(itemParams, "deleted") && existing) {
      subscription.items.data = subscription.items.data.filter((item) => item.id !== existing.id);
      return;
    }
    const price = priceId ? requirePrice(emulator, priceId, `items[${index}][price]`) : undefined;
    if (existing) {
      // Prorations are not modelled: the new price applies from the next invoice.
      if (price) {
        existing.price = price;
        existing.plan = buildSubscriptionItem(price, 1, subscription.id, existing.current_period_start, existing.created).plan;
      }
      if (quantity !== undefined) existing.quantity = quantity;
    } else if (price) {
      const first = subscription.items.data[0];
      const item = buildSubscriptionItem(price, quantity ?? 1, subscription.id, first?.current_period_start ?? emulator.now(), emulator.now());
      if (first) item.current_period_end = first.current_period_end;
      subscription.items.data.push(item);
    }
  });
  const changed = changedAttributes(before, subscription);
  if (Object.keys(changed).length > 0) emulator.emit("customer.subscription.updated", subscription, request.context, changed);
  return subscription;
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
