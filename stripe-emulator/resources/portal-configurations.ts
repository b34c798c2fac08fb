// Billing portal configurations: what the hosted portal offers and how it changes subscriptions, above all
// `features.subscription_update.proration_behavior`. Stripe documents that a configuration created without it
// uses `none`; the account's default configuration (Stripe's Dashboard one) is emulated with the same value and
// can be changed with `billingPortal.configurations.update`, as on Stripe.
import type Stripe from "stripe";
import type { Emulator } from "../emulator";
import { invalidParam, invalidState, noSuchObject } from "../http/errors";
import type { FormObject } from "../http/form";
import { newId } from "../http/ids";
import { listPage } from "../http/list";
import { PRORATION_BEHAVIORS } from "../engines/proration";
import { mergeMetadata, objectArray, optionalBoolean, optionalEnum, optionalObject, optionalString, stringArray } from "../http/params";
import { pathParam, route, type ApiRequest, type Route } from "../http/router";

type Features = Stripe.BillingPortal.Configuration.Features;

/** What a configuration offers when its create call leaves a feature out: nothing, with Stripe's default modes. */
function disabledFeatures(): Features {
  return {
    customer_update: { allowed_updates: [], enabled: false },
    invoice_history: { enabled: false },
    payment_method_update: { enabled: false, payment_method_configuration: null },
    subscription_cancel: {
      cancellation_reason: { enabled: false, feedback_options: null, options: [] },
      enabled: false,
      mode: "at_period_end",
      proration_behavior: "none",
    },
    subscription_pause: { duration: { interval_options: [], type: "indefinite" }, enabled: false },
    subscription_update: {
      billing_cycle_anchor: null,
      default_allowed_updates: [],
      enabled: false,
      products: null,
      proration_behavior: "none",
      schedule_at_period_end: { conditions: [] },
      trial_update_behavior: "end_trial",
    },
  };
}

function buildConfiguration(emulator: Emulator, features: Features, isDefault: boolean): Stripe.BillingPortal.Configuration {
  const now = emulator.now();
  const configuration = {
    id: newId("bpc"),
    object: "billing_portal.configuration",
    active: true,
    application: null,
    business_profile: { headline: null, privacy_policy_url: null, terms_of_service_url: null },
    created: now,
    default_return_url: null,
    features,
    is_default: isDefault,
    livemode: false,
    login_page: { enabled: false, url: null },
    metadata: {},
    name: null,
    updated: now,
  } satisfies Stripe.BillingPortal.Configuration;
  emulator.state.portalConfigurations[configuration.id] = configuration;
  return configuration;
}

/**
 * The account's default configuration, made on first use: invoice history, card updates, cancellation at the
 * period end, and switching between any active recurring prices, with `proration_behavior: none`.
 */
export function defaultPortalConfiguration(emulator: Emulator): Stripe.BillingPortal.Configuration {
  const existing = Object.values(emulator.state.portalConfigurations).find((configuration) => configuration.is_default);
  if (existing) return existing;
  const features = disabledFeatures();
  features.invoice_history.enabled = true;
  features.payment_method_update.enabled = true;
  features.customer_update = { allowed_updates: ["email", "address"], enabled: true };
  features.subscription_cancel.enabled = true;
  features.subscription_update.enabled = true;
  features.subscription_update.default_allowed_updates = ["price"];
  return buildConfiguration(emulator, features, true);
}

export function requirePortalConfiguration(emulator: Emulator, id: string, param = "id"): Stripe.BillingPortal.Configuration {
  defaultPortalConfiguration(emulator);
  const configuration = emulator.state.portalConfigurations[id];
  if (!configuration) throw noSuchObject("billing_portal.configuration", id, param);
  return configuration;
}

/** Applies `features[...]` params on top of `features`, feature by feature. */
function applyFeatureParams(features: Features, params: FormObject): void {
  const path = (feature: string, key: string) => `features[${feature}][${key}]`;
  const section = (name: string) => optionalObject(params, name, `features[${name}]`);
  const enabled = (value: FormObject, name: string, current: boolean) => optionalBoolean(value, "enabled", path(name, "enabled")) ?? current;

  const customerUpdate = section("customer_update");
  if (customerUpdate) {
    features.customer_update.enabled = enabled(customerUpdate, "customer_update", features.customer_update.enabled);
    if (customerUpdate.allowed_updates !== undefined) features.customer_update.allowed_updates = stringArray(customerUpdate, "allowed_updates", path("customer_update", "allowed_updates"));
  }
  const invoiceHistory = section("invoice_history");
  if (invoiceHistory) features.invoice_history.enabled = enabled(invoiceHistory, "invoice_history", features.invoice_history.enabled);
  const paymentMethodUpdate = section("payment_method_update");
  if (paymentMethodUpdate) features.payment_method_update.enabled = enabled(paymentMethodUpdate, "payment_method_update", features.payment_method_update.enabled);

  const cancel = section("subscription_cancel");
  if (cancel) {
    const target = features.subscription_cancel;
    target.enabled = enabled(cancel, "subscription_cancel", target.enabled);
    target.mode = optionalEnum(cancel, "mode", ["at_period_end", "immediately"], path("subscription_cancel", "mode")) ?? target.mode;
    const proration = optionalEnum(cancel, "proration_behavior", PRORATION_BEHAVIORS, path("subscription_cancel", "proration_behavior"));
    if (proration === "always_invoice") throw invalidParam(path("subscription_cancel", "proration_behavior"), "Passing `always_invoice` for subscription_cancel.proration_behavior is not supported.");
    target.proration_behavior = proration ?? target.proration_behavior;
  }

  const update = section("subscription_update");
  if (update) {
    const target = features.subscription_update;
    target.enabled = enabled(update, "subscription_update", target.enabled);
    target.proration_behavior = optionalEnum(update, "proration_behavior", PRORATION_BEHAVIORS, path("subscription_update", "proration_behavior")) ?? target.proration_behavior;
    if (update.default_allowed_updates !== undefined) {
      target.default_allowed_updates = stringArray(update, "default_allowed_updates", path("subscription_update", "default_allowed_updates"));
    }
    if (update.products === "") target.products = null;
    else if (update.products !== undefined) {
      target.products = objectArray(update, "products", path("subscription_update", "products")).map((product, index) => ({
        adjustable_quantity: { enabled: false, maximum: null, minimum: 1 },
        prices: stringArray(product, "prices", `${path("subscription_update", "products")}[${index}][prices]`),
        product: optionalString(product, "product") ?? "",
      }));
    }
    target.trial_update_behavior =
      optionalEnum(update, "trial_update_behavior", ["continue_trial", "end_trial"], path("subscription_update", "trial_update_behavior")) ?? target.trial_update_behavior;
  }
}

function applyConfigurationParams(configuration: Stripe.BillingPortal.Configuration, params: FormObject): void {
  const features = optionalObject(params, "features");
  if (features) applyFeatureParams(configuration.features, features);
  const profile = optionalObject(params, "business_profile");
  if (profile) {
    configuration.business_profile = {
      headline: optionalString(profile, "headline", "business_profile[headline]") ?? configuration.business_profile.headline,
      privacy_policy_url: optionalString(profile, "privacy_policy_url", "business_profile[privacy_policy_url]") ?? configuration.business_profile.privacy_policy_url,
      terms_of_service_url: optionalString(profile, "terms_of_service_url", "business_profile[terms_of_service_url]") ?? configuration.business_profile.terms_of_service_url,
    };
  }
  const returnUrl = optionalString(params, "default_return_url");
  if (returnUrl !== undefined) configuration.default_return_url = returnUrl === "" ? null : returnUrl;
  const name = optionalString(params, "name");
  if (name !== undefined) configuration.name = name === "" ? null : name;
  configuration.metadata = mergeMetadata(configuration.metadata, params);
}

function createConfiguration(emulator: Emulator, request: ApiRequest): Stripe.BillingPortal.Configuration {
  defaultPortalConfiguration(emulator);
  if (!optionalObject(request.params, "features")) throw invalidParam("features", "Missing required param: features.", "parameter_missing");
  const configuration = buildConfiguration(emulator, disabledFeatures(), false);
  applyConfigurationParams(configuration, request.params);
  emulator.emit("billing_portal.configuration.created", configuration, request.context);
  return configuration;
}

function updateConfiguration(emulator: Emulator, request: ApiRequest): Stripe.BillingPortal.Configuration {
  const configuration = requirePortalConfiguration(emulator, pathParam(request, "id"));
  applyConfigurationParams(configuration, request.params);
  const active = optionalBoolean(request.params, "active");
  if (active === false && configuration.is_default) throw invalidState("The default configuration cannot be deactivated.");
  if (active !== undefined) configuration.active = active;
  configuration.updated = emulator.now();
  emulator.emit("billing_portal.configuration.updated", configuration, request.context);
  return configuration;
}

export const portalConfigurationRoutes: Route[] = [
  route("POST", "/v1/billing_portal/configurations", createConfiguration),
  route("GET", "/v1/billing_portal/configurations/:id", (emulator, request) => requirePortalConfiguration(emulator, pathParam(request, "id"))),
  route("POST", "/v1/billing_portal/configurations/:id", updateConfiguration),
  route("GET", "/v1/billing_portal/configurations", (emulator, request) => {
    defaultPortalConfiguration(emulator);
    const active = optionalBoolean(request.params, "active");
    const isDefault = optionalBoolean(request.params, "is_default");
    const items = Object.values(emulator.state.portalConfigurations).filter(
      (configuration) => (active === undefined || configuration.active === active) && (isDefault === undefined || configuration.is_default === isDefault),
    );
    return listPage(items, request.params, "/v1/billing_portal/configurations");
  }),
];
