// POST /api/account/password-reset: email a reset link if the address has an account; the same 202 either way.
import { NextResponse } from "next/server";
import { requestPasswordReset } from "@/lib/accounts";
import { passwordResetAnswer } from "@/lib/accounts";
import { parseJson, route } from "@/lib/core/api";
import { clientIp } from "@/lib/accounts";
import { forgotPasswordSchema } from "@/lib/validations/auth";

export const POST = route(async (req) => {
  const { email } = await parseJson(req, forgotPasswordSchema);
  await requestPasswordReset(email, { ip: clientIp(req.headers) });
  return NextResponse.json(passwordResetAnswer(email), { status: 202 });
});
