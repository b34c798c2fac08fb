// Billing portal sessions, events, webhook endpoints and test clocks.
import type Stripe from "stripe";
import type { Emulator } from "../emulator";
import { invalidParam, noSuchObject } from "../http/errors";
import { newId } from "../http/ids";
import { createdFilter, listPage } from "../http/list";
import { mergeMetadata, optionalString, requiredInteger, requiredString, stringArray } from "../http/params";
import { pathParam, route, type ApiRequest, type Route } from "../http/router";
import { runDueBilling } from "../engines/billing-clock";
import { requireCustomer } from "./customers";
import { defaultPortalConfiguration, requirePortalConfiguration } from "./portal-configurations";

/** A portal session uses the `configuration` given, or the account's default one. */
function createPortalSession(emulator: Emulator, request: ApiRequest): Stripe.BillingPortal.Session {
  const customer = requireCustomer(emulator, requiredString(request.params, "customer"), "customer");
  const configurationId = optionalString(request.params, "configuration");
  const configuration = configurationId ? requirePortalConfiguration(emulator, configurationId, "configuration") : defaultPortalConfiguration(emulator);
  if (!configuration.active) throw invalidParam("configuration", `The configuration ${configuration.id} is not active.`);
  const id = newId("bps");
  const session = {
    id,
    object: "billing_portal.session",
    configuration: configuration.id,
    created: emulator.now(),
    customer: customer.id,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: optionalString(request.params, "return_url") ?? configuration.default_return_url,
    url: `${emulator.config.baseUrl}/portal/${id}`,
  } satisfies Stripe.BillingPortal.Session;
  emulator.state.portalSessions[id] = session;
  emulator.emit("billing_portal.session.created", session, request.context);
  return session;
}

function createWebhookEndpoint(emulator: Emulator, request: ApiRequest): Stripe.WebhookEndpoint {
  const url = requiredString(request.params, "url");
  if (!/^https?:\/\//.test(url)) throw invalidParam("url", "Invalid URL: URL must be publicly accessible or use http(s).");
  const enabledEvents = stringArray(request.params, "enabled_events");
  if (enabledEvents.length === 0) throw invalidParam("enabled_events", "Missing required param: enabled_events.", "parameter_missing");
  const secret = `whsec_${newId("x", 32).slice(2)}`;
  const endpoint = {
    id: newId("we"),
    object: "webhook_endpoint",
    api_version: optionalString(request.params, "api_version") ?? null,
    application: null,
    created: emulator.now(),
    description: optionalString(request.params, "description") ?? null,
    enabled_events: enabledEvents,
    livemode: false,
    metadata: mergeMetadata(null, request.params),
    status: "enabled",
    url,
  } satisfies Stripe.WebhookEndpoint;
  emulator.state.webhookEndpoints[endpoint.id] = endpoint;
  emulator.state.webhookSecrets[endpoint.id] = secret;
  // Like Stripe, the secret is only ever shown in the create response.
  return { ...endpoint, secret };
}

function requireWebhookEndpoint(emulator: Emulator, id: string): Stripe.WebhookEndpoint {
  const endpoint = emulator.state.webhookEndpoints[id];
  if (!endpoint) throw noSuchObject("webhook_endpoint", id);
  return endpoint;
}

function requireTestClock(emulator: Emulator, id: string): Stripe.TestHelpers.TestClock {
  const clock = emulator.state.testClocks[id];
  if (!clock) throw noSuchObject("test_clock", id);
  return clock;
}

function createTestClock(emulator: Emulator, request: ApiRequest): Stripe.TestHelpers.TestClock {
  const now = emulator.now();
  const clock = {
    id: newId("clock"),
    object: "test_helpers.test_clock",
    created: now,
    deletes_after: now + 30 * 24 * 3600,
    frozen_time: requiredInteger(request.params, "frozen_time"),
    livemode: false,
    name: optionalString(request.params, "name") ?? null,
    status: "ready",
    status_details: {},
  } satisfies Stripe.TestHelpers.TestClock;
  emulator.state.testClocks[clock.id] = clock;
  emulator.emit("test_helpers.test_clock.created", clock, request.context);
  return clock;
}

/** Advancing a test clock runs its customers' due billing (renewals, trials, retries) synchronously, then reports `ready`. */
function advanceTestClock(emulator: Emulator, request: ApiRequest): Stripe.TestHelpers.TestClock {
  const clock = requireTestClock(emulator, pathParam(request, "id"));
  const frozenTime = requiredInteger(request.params, "frozen_time");
  if (frozenTime <= clock.frozen_time) throw invalidParam("frozen_time", "The test clock can only be advanced to a time after its current frozen_time.");
  emulator.emit("test_helpers.test_clock.advancing", { ...clock, status: "advancing" }, request.context);
  runDueBilling(emulator, clock.id, frozenTime, request.context);
  clock.frozen_time = frozenTime;
  emulator.emit("test_helpers.test_clock.ready", clock, request.context);
  return clock;
}

export const platformRoutes: Route[] = [
  route("POST", "/v1/billing_portal/sessions", createPortalSession),
  route("GET", "/v1/events/:id", (emulator, request) => {
    const id = pathParam(request, "id");
    const event = emulator.state.events[id];
    if (!event) throw noSuchObject("event", id);
    return event;
  }),
  route("GET", "/v1/events", (emulator, request) => {
    const type = optionalString(request.params, "type");
    const types = stringArray(request.params, "types");
    const inRange = createdFilter(request.params);
    const matchesType = (eventType: string) => {
      if (types.length > 0) return types.includes(eventType);
      if (!type) return true;
      if (type.endsWith("*")) return eventType.startsWith(type.slice(0, -1));
      return eventType === type;
    };
    const items = Object.values(emulator.state.events).filter((event) => matchesType(event.type) && inRange(event.created));
    return listPage(items, request.params, "/v1/events");
  }),
  route("POST", "/v1/webhook_endpoints", createWebhookEndpoint),
  route("GET", "/v1/webhook_endpoints/:id", (emulator, request) => requireWebhookEndpoint(emulator, pathParam(request, "id"))),
  route("POST", "/v1/webhook_endpoints/:id", (emulator, request) => {
    const endpoint = requireWebhookEndpoint(emulator, pathParam(request, "id"));
    endpoint.url = optionalString(request.params, "url") ?? endpoint.url;
    const events = stringArray(request.params, "enabled_events");
    if (events.length > 0) endpoint.enabled_events = events;
    const disabled = optionalString(request.params, "disabled");
    if (disabled !== undefined) endpoint.status = disabled === "true" ? "disabled" : "enabled";
    endpoint.metadata = mergeMetadata(endpoint.metadata, request.params);
    return endpoint;
  }),
  route("GET", "/v1/webhook_endpoints", (emulator, request) =>
    listPage(Object.values(emulator.state.webhookEndpoints), request.params, "/v1/webhook_endpoints"),
  ),
  route("DELETE", "/v1/webhook_endpoints/:id", (emulator, request) => {
    const endpoint = requireWebhookEndpoint(emulator, pathParam(request, "id"));
    delete emulator.state.webhookEndpoints[endpoint.id];
    delete emulator.state.webhookSecrets[endpoint.id];
    return { id: endpoint.id, object: "webhook_endpoint", deleted: true } satisfies Stripe.DeletedWebhookEndpoint;
  }),
  route("POST", "/v1/test_helpers/test_clocks", createTestClock),
  route("GET", "/v1/test_helpers/test_clocks/:id", (emulator, request) => requireTestClock(emulator, pathParam(request, "id"))),
  route("GET", "/v1/test_helpers/test_clocks", (emulator, request) =>
    listPage(Object.values(emulator.state.testClocks), request.params, "/v1/test_helpers/test_clocks"),
  ),
  route("POST", "/v1/test_helpers/test_clocks/:id/advance", advanceTestClock),
  route("DELETE", "/v1/test_helpers/test_clocks/:id", (emulator, request) => {
    const clock = requireTestClock(emulator, pathParam(request, "id"));
    delete emulator.state.testClocks[clock.id];
    emulator.emit("test_helpers.test_clock.deleted", clock, request.context);
    return { id: clock.id, object: "test_helpers.test_clock", deleted: true } satisfies Stripe.TestHelpers.DeletedTestClock;
  }),
];

