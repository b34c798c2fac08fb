// GET/POST /api/auth/*: next-auth's sign-in, sign-out, session and CSRF endpoints. A credentials
// sign-in is throttled first and answers 429 with Retry-After when the email or IP is over budget.
import NextAuth from "next-auth";
import { route } from "@/lib/api";
import { authOptions } from "@/lib/auth/options";
import { throttleCredentialsSignIn } from "@/lib/auth/sign-in-throttle";

const handler = NextAuth(authOptions);

export const POST = route(async (req, ctx) => {
  const segments = (await ctx.params).nextauth ?? [];
  const action = Array.isArray(segments) ? segments.join("/") : segments;
  if (action === "callback/credentials") await throttleCredentialsSignIn(req);
  return handler(req, ctx);
});

export { handler as GET };
