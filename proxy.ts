// Runs before every page (not API routes or static files, see `config`): gives the page a fresh CSP
// nonce. Next.js reads the nonce from the request's Content-Security-Policy header and puts it on
// the scripts it renders; the browser gets the same policy on the response.
import { NextResponse, type NextRequest } from "next/server";
import { appUrl, env } from "@/lib/core/env";
import { pageContentSecurityPolicy } from "@/lib/core/csp";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const policy = pageContentSecurityPolicy({
    nonce,
    pathname: request.nextUrl.pathname,
    env: env(),
    https: appUrl().startsWith("https://"),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  requestHeaders.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // API routes are left out on purpose: a proxy makes Next.js buffer the request body, and the
      // webhook route must count a body's bytes as they arrive. Their headers come from next.config.js.
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)",
      // Prefetches carry no HTML that runs scripts.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
