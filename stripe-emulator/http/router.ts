// A tiny route table: `GET /v1/customers/:id` patterns mapped to typed handlers.
import type { Emulator, RequestContext } from "../emulator";
import type { FormObject } from "./form";

export type HttpMethod = "GET" | "POST" | "DELETE";

export interface ApiRequest {
  method: HttpMethod;
  path: string;
  params: FormObject;
  pathParams: Record<string, string>;
  context: RequestContext;
  /** The request's `Stripe-Version` header, or the emulator's version when it sends none. */
  apiVersion: string;
}

export type Handler = (emulator: Emulator, request: ApiRequest) => object;

export interface Route {
  method: HttpMethod;
  pattern: string;
  handler: Handler;
}

export function route(method: HttpMethod, pattern: string, handler: Handler): Route {
  return { method, pattern, handler };
}

export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; pathParams: Record<string, string> } | undefined {
  const pathSegments = path.split("/").filter(Boolean);
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const patternSegments = candidate.pattern.split("/").filter(Boolean);
    if (patternSegments.length !== pathSegments.length) continue;
    const pathParams: Record<string, string> = {};
    const matches = patternSegments.every((segment, index) => {
      const actual = pathSegments[index] ?? "";
      if (segment.startsWith(":")) {
        pathParams[segment.slice(1)] = decodeURIComponent(actual);
        return true;
      }
      return segment === actual;
    });
    if (matches) return { route: candidate, pathParams };
  }
  return undefined;
}

export function pathParam(request: ApiRequest, name: string): string {
  return request.pathParams[name] ?? "";
}
