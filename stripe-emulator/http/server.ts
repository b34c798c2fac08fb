// The HTTP server: Stripe's wire format (auth, form bodies, idempotency, errors,
// expand, Stripe-Version) in front of the route table, plus hosted pages and controls.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import { emulatorName } from "../brand";
import { controlRoutes } from "../control";
import { Emulator, EMULATOR_API_VERSION, type RequestContext } from "../emulator";
import { invalidApiKey, StripeApiError, unknownRoute } from "./errors";
import { applyExpansions } from "./expand";
import { parseForm, type FormObject } from "./form";
import { newId } from "./ids";
import { expandPaths } from "./params";
import { embeddedSurface, findEmbeddedSession, renderCheckoutPage, submitCheckoutPage } from "../pages/checkout";
import { STRIPE_JS } from "../pages/stripe-js";
import { payInvoiceFromPage, renderInvoicePage, renderInvoicePdf } from "../pages/invoice";
import { renderReceiptPage } from "../pages/receipt";
import { renderPortalPage, submitPortalAction, updatePortalPaymentMethod } from "../pages/portal";
import { page, escapeHtml } from "../pages/html";
import { catalogRoutes } from "../resources/catalog";
import { checkoutRoutes, expireDueSessions, presentForVersion } from "../resources/checkout";
import { customerRoutes } from "../resources/customers";
import { disputeRoutes } from "../resources/disputes";
import { invoiceRoutes } from "../resources/invoices";
import { paymentIntentRoutes } from "../resources/payment-intents";
import { paymentMethodRoutes } from "../resources/payment-methods";
import { platformRoutes } from "../resources/platform";
import { portalConfigurationRoutes } from "../resources/portal-configurations";
import { refundRoutes } from "../resources/refunds";
import { setupIntentRoutes } from "../resources/setup-intents";
import { subscriptionRoutes } from "../resources/subscriptions";
import { matchRoute, type HttpMethod, type Route } from "./router";

const API_ROUTES: Route[] = [
  ...customerRoutes,
  ...paymentMethodRoutes,
  ...catalogRoutes,
  ...checkoutRoutes,
  ...paymentIntentRoutes,
  ...setupIntentRoutes,
  ...refundRoutes,
  ...disputeRoutes,
  ...subscriptionRoutes,
  ...invoiceRoutes,
  ...platformRoutes,
  ...portalConfigurationRoutes,
];

/** Where Stripe.js is served: the script of the `endive` release train, and the unversioned `v3` one. */
const STRIPE_JS_PATHS = new Set(["/endive/stripe.js", "/v3"]);

/** Stripe keeps idempotent responses for 24 hours. */
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

interface StoredResponse {
  fingerprint: string;
  status: number;
  body: string;
  storedAt: number;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function apiKeyFrom(request: IncomingMessage): string {
  const header = request.headers.authorization ?? "";
  if (header.startsWith("Bearer ")) return header.slice(7).trim();
  if (header.startsWith("Basic ")) return Buffer.from(header.slice(6), "base64").toString("utf8").split(":")[0] ?? "";
  return "";
}

/** A test-mode secret or restricted key with something after its prefix; a bare `sk_test_` is no key at all. */
function isTestModeKey(key: string): boolean {
  return ["sk_test_", "rk_test_"].some((prefix) => key.startsWith(prefix) && key.length > prefix.length);
}

function isHttpMethod(method: string): method is HttpMethod {
  return method === "GET" || method === "POST" || method === "DELETE";
}

/** JSON bodies are accepted on control endpoints for convenience; values become strings. */
function paramsFromJson(text: string): FormObject {
  const parsed: unknown = JSON.parse(text);
  const params: FormObject = {};
  if (typeof parsed === "object" && parsed !== null) {
    for (const [key, value] of Object.entries(parsed)) {
      if (value !== null && value !== undefined) params[key] = String(value);
    }
  }
  return params;
}

export class EmulatorServer {
  private readonly idempotency = new Map<string, StoredResponse>();
  private readonly server: Server;
  private readonly ticker: NodeJS.Timeout;

  constructor(readonly emulator: Emulator) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        console.error("[stripe-emulator] unexpected error", error);
        if (!response.headersSent) this.sendJson(response, 500, { error: { type: "api_error", message: "Internal emulator error." } });
        else response.end();
      });
    });
    // Checkout sessions past `expires_at` expire without anyone asking, as on Stripe.
    this.ticker = setInterval(() => {
      if (expireDueSessions(this.emulator) > 0) this.emulator.flushEvents();
    }, 1000);
    this.ticker.unref();
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        const address = this.server.address();
        resolve(typeof address === "object" && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    clearInterval(this.ticker);
    this.emulator.close();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body, null, 2);
    response.writeHead(status, { "Content-Type": "application/json", ...headers });
    response.end(text);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://emulator.local");
    const method = (request.method ?? "GET").toUpperCase();
    const rawBody = method === "GET" ? "" : await readBody(request);
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path.startsWith("/v1/")) return this.handleApi(request, response, method, path, url, rawBody);
    if (path.startsWith("/_emulator/")) return this.handleControl(request, response, method, path, url, rawBody);
    if (path.startsWith("/checkout/") || path.startsWith("/portal/") || path.startsWith("/invoices/")) return this.handlePage(response, method, path, rawBody);
    if (path.startsWith("/embedded-checkout/")) return this.handleEmbeddedCheckoutPage(response, method, path, rawBody);
    if (STRIPE_JS_PATHS.has(path) && method === "GET") return this.sendStripeJs(response);
    if (path.startsWith("/receipts/payment/") && method === "GET") return this.handleReceiptPage(response, decodeURIComponent(path.slice("/receipts/payment/".length)));
    if (path === "/") {
      this.sendJson(response, 200, { emulator: emulatorName(this.emulator.config.brand), api_version: EMULATOR_API_VERSION });
      return;
    }
    this.sendJson(response, 404, { error: unknownRoute(method, path).body });
  }

  private context(request: IncomingMessage): RequestContext {
    const key = request.headers["idempotency-key"];
    return { requestId: newId("req", 14), idempotencyKey: typeof key === "string" ? key : null };
  }

  private async handleApi(request: IncomingMessage, response: ServerResponse, method: string, path: string, url: URL, rawBody: string): Promise<void> {
    const context = this.context(request);
    const stripeVersion = request.headers["stripe-version"];
    const headers: Record<string, string> = {
      "Request-Id": context.requestId ?? "",
      "Stripe-Version": typeof stripeVersion === "string" ? stripeVersion : EMULATOR_API_VERSION,
    };
    const apiKey = apiKeyFrom(request);
    if (!isTestModeKey(apiKey)) {
      this.sendJson(response, 401, { error: invalidApiKey(apiKey).body }, headers);
      return;
    }
    const idempotencyKey = method === "POST" ? context.idempotencyKey : null;
    const fingerprint = createHash("sha256").update(`${method} ${path}\n${rawBody}`).digest("hex");
    if (idempotencyKey) {
      const stored = this.idempotency.get(idempotencyKey);
      if (stored && Date.now() - stored.storedAt < IDEMPOTENCY_TTL_MS) {
        if (stored.fingerprint !== fingerprint) {
          this.sendJson(response, 400, {
            error: {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            },
          }, headers);
          return;
        }
        response.writeHead(stored.status, { "Content-Type": "application/json", ...headers, "Idempotent-Replayed": "true", "Idempotency-Key": idempotencyKey });
        response.end(stored.body);
        return;
      }
    }
    let status = 200;
    let body: unknown;
    try {
      const params = parseForm(method === "POST" ? rawBody : url.search.slice(1));
      const matched = isHttpMethod(method) ? matchRoute(API_ROUTES, method, path) : undefined;
      if (!matched) throw unknownRoute(method, path);
      const apiVersion = headers["Stripe-Version"] ?? EMULATOR_API_VERSION;
      const result = matched.route.handler(this.emulator, { method: matched.route.method, path, params, pathParams: matched.pathParams, context, apiVersion });
      body = presentForVersion(applyExpansions(this.emulator, result, expandPaths(params)), apiVersion);
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      status = error.status;
      body = { error: { ...error.body, request_log_url: `${this.emulator.config.baseUrl}/logs/${context.requestId}` } };
    } finally {
      this.emulator.flushEvents();
    }
    const text = JSON.stringify(body, null, 2);
    if (idempotencyKey) {
      this.idempotency.set(idempotencyKey, { fingerprint, status, body: text, storedAt: Date.now() });
      headers["Idempotency-Key"] = idempotencyKey;
    }
    response.writeHead(status, { "Content-Type": "application/json", ...headers });
    response.end(text);
  }

  private async handleControl(request: IncomingMessage, response: ServerResponse, method: string, path: string, url: URL, rawBody: string): Promise<void> {
    try {
      const isJson = (request.headers["content-type"] ?? "").includes("application/json");
      const params: FormObject = { ...parseForm(url.search.slice(1)), ...(rawBody ? (isJson ? paramsFromJson(rawBody) : parseForm(rawBody)) : {}) };
      const matched = isHttpMethod(method) ? matchRoute(controlRoutes, method, path) : undefined;
      if (!matched) throw unknownRoute(method, path);
      if (path === "/_emulator/reset") this.idempotency.clear();
      const result = matched.route.handler(this.emulator, { method: matched.route.method, path, params, pathParams: matched.pathParams, context: this.context(request), apiVersion: EMULATOR_API_VERSION });
      this.sendJson(response, 200, result);
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      this.sendJson(response, error.status, { error: error.body });
    } finally {
      this.emulator.flushEvents();
    }
  }

  /** The emulator's Stripe.js: any page may load it (as js.stripe.com allows), and always the current one. */
  private sendStripeJs(response: ServerResponse): void {
    response.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache" });
    response.end(STRIPE_JS);
  }

  /**
   * `/embedded-checkout/:client_secret` (the page the Stripe.js iframe shows) and its form's `POST …/pay`, which
   * answer inside the frame. Any origin may frame it, as any merchant may embed Checkout.
   */
  private handleEmbeddedCheckoutPage(response: ServerResponse, method: string, path: string, rawBody: string): void {
    const [, clientSecret = "", action] = path.split("/").filter(Boolean).map(decodeURIComponent);
    const sendHtml = (status: number, html: string) => {
      response.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "frame-ancestors *" });
      response.end(html);
    };
    const session = findEmbeddedSession(this.emulator, clientSecret);
    if (!session) return sendHtml(404, page("Not found", `<h1>Checkout session not found</h1><p role="alert">This client secret does not belong to an embedded Checkout Session.</p>`));
    const surface = embeddedSurface(clientSecret);
    const context: RequestContext = { requestId: null, idempotencyKey: null };
    try {
      if (method === "POST" && action === "pay") {
        const result = submitCheckoutPage(this.emulator, session, parseForm(rawBody), context, surface);
        return sendHtml(result.status, result.html ?? "");
      }
      return sendHtml(200, renderCheckoutPage(this.emulator, session, {}, surface));
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      return sendHtml(error.status, page("Error", `<h1>Something went wrong</h1><p role="alert">${escapeHtml(error.message)}</p>`));
    } finally {
      this.emulator.flushEvents();
    }
  }

  /** `/receipts/payment/:charge` (a charge's `receipt_url`): the receipt of a paid charge; 404 for any other. */
  private handleReceiptPage(response: ServerResponse, chargeId: string): void {
    const charge = this.emulator.state.charges[chargeId];
    const paid = charge && charge.paid;
    response.writeHead(paid ? 200 : 404, { "Content-Type": "text/html; charset=utf-8" });
    response.end(paid ? renderReceiptPage(charge) : page("Not found", `<h1>Receipt not found</h1><p>${escapeHtml(chargeId)}</p>`));
  }

  /** `/invoices/:id` (hosted invoice page), `/invoices/:id/pdf`, and `POST /invoices/:id/pay` from the page. */
  private handleInvoicePage(response: ServerResponse, method: string, id: string, rest: string[], rawBody: string, context: RequestContext): void {
    const invoice = this.emulator.state.invoices[id];
    // Stripe only publishes finalized invoices: a draft has no hosted page or PDF yet.
    if (!invoice || invoice.status === "draft") {
      response.writeHead(404, { "Content-Type": "text/html; charset=utf-8" });
      response.end(page("Not found", `<h1>Invoice not found</h1><p>${escapeHtml(id)}</p>`));
      return;
    }
    if (method === "GET" && rest[0] === "pdf") {
      const pdf = renderInvoicePdf(this.emulator, invoice);
      response.writeHead(200, { "Content-Type": "application/pdf", "Content-Length": String(pdf.length), "Content-Disposition": `inline; filename="Invoice-${invoice.number ?? invoice.id}.pdf"` });
      response.end(pdf);
      return;
    }
    let status = 200;
    let message: string | undefined;
    if (method === "POST" && rest[0] === "pay") ({ status, message } = payInvoiceFromPage(this.emulator, invoice, parseForm(rawBody), context));
    response.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
    response.end(renderInvoicePage(this.emulator, invoice, message));
  }

  private handlePage(response: ServerResponse, method: string, path: string, rawBody: string): void {
    const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
    const [kind, id = "", ...rest] = segments;
    const context: RequestContext = { requestId: null, idempotencyKey: null };
    const sendHtml = (status: number, html: string) => {
      response.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
      response.end(html);
    };
    try {
      if (kind === "checkout") {
        const session = this.emulator.state.checkoutSessions[id];
        if (!session) return sendHtml(404, page("Not found", `<h1>Checkout session not found</h1><p>${escapeHtml(id)}</p>`));
        if (method === "POST" && rest[0] === "pay") {
          const result = submitCheckoutPage(this.emulator, session, parseForm(rawBody), context);
          if (result.redirect) {
            response.writeHead(303, { Location: result.redirect });
            response.end();
            return;
          }
          return sendHtml(result.status, result.html ?? "");
        }
        return sendHtml(200, renderCheckoutPage(this.emulator, session));
      }
      if (kind === "invoices") return this.handleInvoicePage(response, method, id, rest, rawBody, context);
      const session = this.emulator.state.portalSessions[id];
      if (!session) return sendHtml(404, page("Not found", `<h1>Portal session not found</h1><p>${escapeHtml(id)}</p>`));
      if (method === "POST" && rest[0] === "subscriptions" && rest[1] && rest[2]) {
        const notice = submitPortalAction(this.emulator, session, rest[1], rest[2], parseForm(rawBody), context);
        return sendHtml(200, renderPortalPage(this.emulator, session, notice));
      }
      if (method === "POST" && rest[0] === "payment_method") {
        const notice = updatePortalPaymentMethod(this.emulator, session, parseForm(rawBody), context);
        return sendHtml(200, renderPortalPage(this.emulator, session, notice));
      }
      return sendHtml(200, renderPortalPage(this.emulator, session));
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      return sendHtml(error.status, page("Error", `<h1>Something went wrong</h1><p role="alert">${escapeHtml(error.message)}</p>`));
    } finally {
      this.emulator.flushEvents();
    }
  }
}
