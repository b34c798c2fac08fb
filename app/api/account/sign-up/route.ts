// POST /api/account/sign-up: create a password account and email a verification link; the same 202 whether or not the email exists.
import { NextResponse } from "next/server";
import { signUp } from "@/lib/accounts";
import { signUpAnswer } from "@/lib/accounts";
import { parseJson, route } from "@/lib/core/api";
import { clientIp } from "@/lib/accounts";
import { signUpSchema } from "@/lib/validations/auth";

export const POST = route(async (req) => {
  const input = await parseJson(req, signUpSchema);
  await signUp(input, { ip: clientIp(req.headers) });
  return NextResponse.json(signUpAnswer(input.email), { status: 202 });
});
