import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";
import { AuthCard, FormNotice } from "@/components/form";
import { SignInForm } from "@/components/sign-in-form";
import { oauthProviderIds } from "@/lib/accounts";
import { getCurrentUser } from "@/lib/accounts";
import { safeRedirectPath } from "@/lib/accounts";

export const metadata = { title: "Sign in" };

const searchSchema = z.object({
  callbackUrl: z.string().max(2000).optional().catch(undefined),
  error: z.string().max(100).optional().catch(undefined),
  reset: z.literal("1").optional().catch(undefined),
  signedOut: z.literal("everywhere").optional().catch(undefined),
});

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl, error, reset, signedOut } = searchSchema.parse(await searchParams);
  const target = safeRedirectPath(callbackUrl);
  if (await getCurrentUser()) redirect(target);
  return (
    <AuthCard title="Sign in">
      {reset && <FormNotice>Your password has been changed. Sign in with your new password.</FormNotice>}
      {signedOut && <FormNotice>You have been signed out on every device.</FormNotice>}
      <SignInForm callbackUrl={target} initialError={error} oauthProviders={oauthProviderIds()} />
      <p className="text-sm text-slate-600">
        New here? <Link href={target === "/wallet" ? "/signup" : `/signup?callbackUrl=${encodeURIComponent(target)}`} className="font-medium text-indigo-700 underline">Create an account</Link>
      </p>
    </AuthCard>
  );
}
