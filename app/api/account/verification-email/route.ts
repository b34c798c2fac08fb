// POST /api/account/verification-email: send the signed-in user a fresh verification link.
import { NextResponse } from "next/server";
import { resendVerification } from "@/lib/accounts";
import { verificationResentAnswer } from "@/lib/accounts";
import { withUser } from "@/lib/accounts";
import { clientIp } from "@/lib/accounts";

export const POST = withUser(async (req, { user }) => {
  await resendVerification(user.id, { ip: clientIp(req.headers) });
  return NextResponse.json(verificationResentAnswer(user.email), { status: 202 });
});
