import Link from "next/link";
import { z } from "zod";
import { AuthCard } from "@/components/form";
import { VerifyEmailForm } from "@/components/account-forms";
import { safeRedirectPath } from "@/lib/auth/redirect";

export const metadata = { title: "Verify your email" };

const searchSchema = z.object({
  token: z.string().max(200).optional().catch(undefined),
  // Where the person was going when they signed up (a chosen plan); checked against our own origin.
  callbackUrl: z.string().max(2000).optional().catch(undefined),
});

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token, callbackUrl } = searchSchema.parse(await searchParams);
  return (
    <AuthCard title="Verify your email">
      {token ? (
        <VerifyEmailForm token={token} continueTo={safeRedirectPath(callbackUrl)} />
      ) : (
        <p className="text-sm text-slate-600">
          This page needs the link from your email. <Link href="/signin" className="text-indigo-700 underline">Sign in</Link> to ask for a new one.
        </p>
      )}
    </AuthCard>
  );
}
