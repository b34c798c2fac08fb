"use client";

import { usePathname } from "next/navigation";
import { ResendVerificationForm } from "./account-forms";

/**
 * Shown to signed-in users whose address is not verified yet: they can use the wallet, never admin.
 * Not on the emailed link's own page, which is where the address gets verified: a "please verify…
 * resend the link" banner above its confirm button (or its outcome) would contradict it.
 */
export function VerifyEmailNotice({ email }: { email: string }) {
  if (usePathname() === "/verify-email") return null;
  return (
    <div data-testid="verify-email-notice" className="border-b border-amber-200 bg-amber-50">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2 text-sm text-amber-900 sm:px-6">
        <p>
          Please verify your email: we sent a link to <strong>{email}</strong>.
        </p>
        <ResendVerificationForm />
      </div>
    </div>
  );
}
