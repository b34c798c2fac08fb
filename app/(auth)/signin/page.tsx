import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/form";
import { SignInForm } from "@/components/sign-in-form";
import { oauthProviderIds } from "@/lib/auth/options";
import { getCurrentUser } from "@/lib/auth/session";
import { safeRedirectPath } from "@/lib/auth/redirect";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const target = safeRedirectPath(callbackUrl);
  if (await getCurrentUser()) redirect(target);
  return (
    <AuthCard title="Sign in">
      <SignInForm callbackUrl={target} initialError={error} oauthProviders={oauthProviderIds()} />
      <p className="text-sm text-slate-600">
        New here? <Link href="/signup" className="font-medium text-indigo-700 underline">Create an account</Link>
      </p>
    </AuthCard>
  );
}
