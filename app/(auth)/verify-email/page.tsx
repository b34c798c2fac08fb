import Link from "next/link";
import { z } from "zod";
import { AuthCard, FormNotice } from "@/components/form";
import { ConfirmEmailForm } from "@/components/account-forms";
import { describeVerificationLink } from "@/lib/accounts";
import { getCurrentUser } from "@/lib/accounts";
import { safeRedirectPath } from "@/lib/accounts";

export const metadata = { title: "Verify your email" };

const searchSchema = z.object({
  token: z.string().max(200).optional().catch(undefined),
  // Where the person was going when they signed up (a chosen plan); checked against our own origin.
  callbackUrl: z.string().max(2000).optional().catch(undefined),
});

const BUTTON = "block w-full rounded bg-indigo-600 px-4 py-2 text-center font-medium text-white hover:bg-indigo-700";

/*
 * The emailed link's page. Opening it (a GET) verifies nothing: it names the address and offers one
 * button, "Confirm my email address", which posts. We chose this over verifying on the GET because
 * mail scanners and link previews fetch links: on a GET that verified, a scanner would spend the link
 * and, since the first verification ends every session (README, "What ends a session"), sign the
 * person out before they ever clicked. The one press is explained on the page, so there is no second,
 * unexplained step; after it the same address shows the outcome, read from the database.
 */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token, callbackUrl } = searchSchema.parse(await searchParams);
  const continueTo = safeRedirectPath(callbackUrl);
  const link = token ? await describeVerificationLink(token) : null;

  if (link?.state === "pending" && token) {
    return (
      <AuthCard title="Confirm your email address">
        <ConfirmEmailForm token={token} email={link.email} />
      </AuthCard>
    );
  }
  if (link?.state === "verified") {
    // Verifying ended the sessions made before it, this browser's too: a signed-out reader signs in again.
    const signedIn = await getCurrentUser().catch(() => null);
    return (
      <AuthCard title="Email verified">
        <FormNotice>Your email address is verified.</FormNotice>
        {signedIn ? (
          <Link href={continueTo} className={BUTTON}>
            {continueTo === "/wallet" ? "Go to your wallet" : "Continue"}
          </Link>
        ) : (
          <Link href={`/signin?callbackUrl=${encodeURIComponent(continueTo)}`} className={BUTTON}>
            Sign in to continue
          </Link>
        )}
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Verify your email">
      {link?.state === "invalid" ? (
        <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          This link has expired or was already used. <Link href="/signin" className="underline">Sign in</Link> and ask for a new one.
        </p>
      ) : (
        <p className="text-sm text-slate-600">
          This page needs the link from your email. <Link href="/signin" className="text-indigo-700 underline">Sign in</Link> to ask for a new one.
        </p>
      )}
    </AuthCard>
  );
}
