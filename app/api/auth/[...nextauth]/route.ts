// GET/POST /api/auth/*: next-auth's sign-in, sign-out, session and CSRF endpoints. A credentials
// sign-in over its budget (counted in authorize(), lib/accounts/auth/sign-in-throttle.ts) answers 429 with Retry-After.
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { BODY_LIMIT_BYTES, route } from "@/lib/core/api";
import { authOptions } from "@/lib/accounts";
import { answerThrottledSignInWith429 } from "@/lib/accounts";
import { readLimitedBody } from "@/lib/core/http/read-limited-body";

const handler = NextAuth(authOptions);

// next-auth checks its own CSRF token on every POST, so the shared Origin check is not applied here.
export const POST = route(async (req, ctx) => {
  // next-auth would read the body itself, with no limit: it gets a copy read through the counting reader.
  const body = await readLimitedBody(req, BODY_LIMIT_BYTES);
  const headers = new Headers(req.headers);
  headers.delete("content-length");
  headers.delete("transfer-encoding");
  const bounded = new NextRequest(req.url, { method: "POST", headers, body });
  return answerThrottledSignInWith429(() => handler(bounded, ctx));
}, { callers: "any" });

export { handler as GET };
