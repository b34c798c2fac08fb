// Runs a route handler as the Next.js server does for a real request: inside a request scope, so
// next/headers (and with it next-auth's getServerSession) reads this request's headers and cookies,
// and a redirect() thrown by a guard becomes the redirect response Next would send. Signed-in
// requests carry a real next-auth session cookie, signed with the app's secret.
// Next.js puts AsyncLocalStorage on globalThis before anything else loads; so must this file.
import "next/dist/server/node-environment-baseline";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { getRedirectStatusCodeFromError, getURLFromRedirectError } from "next/dist/client/components/redirect";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { createRequestStoreForAPI } from "next/dist/server/async-storage/request-store";
import { workAsyncStorage, type WorkStore } from "next/dist/server/app-render/work-async-storage.external";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external";
import { getImplicitTags } from "next/dist/server/lib/implicit-tags";
import { authOptions, sessionClaims } from "@/lib/accounts/auth/options";
import { getSessionUser } from "@/lib/accounts/users";

// next-auth reads it on every call and warns without it; the app's own default (lib/core/env.ts appUrl).
process.env.NEXTAUTH_URL ??= "http://localhost:3000";

type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/**
 * The Cookie header of a browser that signs in as `user` now: the JWT session next-auth issues at
 * sign-in, with the claims (role, session version) read from the database as sign-in reads them.
 */
export async function sessionCookie(user: { id: string }): Promise<string> {
  const signedIn = await getSessionUser(user.id);
  if (!signedIn) throw new Error(`sessionCookie: no user ${user.id}`);
  const token = await encode({ token: { sub: signedIn.id, email: signedIn.email, ...sessionClaims(signedIn) }, secret: String(authOptions.secret) });
  return `next-auth.session-token=${token}`;
}

/** Calls `handler` with `request` inside a request scope, as the Next.js server would. */
export async function callRoute(handler: RouteHandler, request: Request, params: Record<string, string | string[]> = {}): Promise<Response> {
  const url = new URL(request.url);
  // Tasks the handler hands to after(): Next runs them once the response is ready, and so does this.
  const afterTasks: Array<Promise<unknown> | (() => unknown)> = [];
  // Only the fields headers()/cookies() and after() read for a dynamic request; the rest of a WorkStore is for rendering.
  const workStore: Pick<WorkStore, "route" | "page" | "forceStatic" | "dynamicShouldError"> & { afterContext: { after(task: Promise<unknown> | (() => unknown)): void } } = {
    route: url.pathname,
    page: url.pathname,
    forceStatic: false,
    dynamicShouldError: false,
    afterContext: { after: (task) => void afterTasks.push(task) },
  };
  const implicitTags = await getImplicitTags(url.pathname, url.pathname, null);
  const requestStore = createRequestStoreForAPI(new NextRequest(request.url, { headers: request.headers }), { pathname: url.pathname, search: url.search }, implicitTags, undefined, undefined, undefined);
  try {
    // A partial WorkStore on purpose (see above); Next reads nothing else on this path.
    const response = await workAsyncStorage.run(workStore as unknown as WorkStore, () =>
      workUnitAsyncStorage.run(requestStore, () => handler(request, { params: Promise.resolve(params) })),
    );
    for (const task of afterTasks) await (typeof task === "function" ? task() : task);
    return response;
  } catch (error) {
    if (!isRedirectError(error)) throw error;
    return new Response(null, { status: getRedirectStatusCodeFromError(error), headers: { location: getURLFromRedirectError(error) } });
  }
}
