import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";
import { AuthCard } from "@/components/form";
import { SignUpForm } from "@/components/sign-up-form";
import { getCurrentUser } from "@/lib/accounts";
import { safeRedirectPath } from "@/lib/accounts";

export const metadata = { title: "Sign up" };

const searchSchema = z.object({
  // A plan chosen on the landing page (/signup?plan=pro): after sign-up, verification and sign-in, its upgrade button on /billing.
  plan: z.string().regex(/^[a-z0-9_-]{1,50}$/).optional().catch(undefined),
  callbackUrl: z.string().max(2000).optional().catch(undefined),
});

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { plan, callbackUrl } = searchSchema.parse(await searchParams);
  const target = plan ? `/billing?upgrade=${plan}` : safeRedirectPath(callbackUrl);
  if (await getCurrentUser()) redirect(target);
  const signInHref = target === "/wallet" ? "/signin" : `/signin?callbackUrl=${encodeURIComponent(target)}`;
  return (
    <AuthCard title="Create your account">
      <SignUpForm callbackUrl={target} signInHref={signInHref} />
      <p className="text-sm text-slate-600">
        Already have an account? <Link href={signInHref} className="font-medium text-indigo-700 underline">Sign in</Link>
      </p>
    </AuthCard>
  );
}
