import Link from "next/link";
import { signOutCsrfToken } from "@/lib/accounts";
import { getCurrentUser } from "@/lib/accounts";
import { SignOutForm } from "./sign-out-form";
import { VerifyEmailNotice } from "./verify-email-notice";

export async function SiteHeader() {
  const user = await getCurrentUser().catch(() => null);
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="text-lg font-semibold tracking-tight text-indigo-700">
          Billfold
        </Link>
        {user && (
          <>
            <Link href="/wallet" className="text-sm text-slate-700 hover:text-slate-900">Wallet</Link>
            <Link href="/billing" className="text-sm text-slate-700 hover:text-slate-900">Billing</Link>
            {user.role === "ADMIN" && (
              <Link href="/admin" className="text-sm text-slate-700 hover:text-slate-900">Admin</Link>
            )}
          </>
        )}
        <div className="ml-auto flex items-center gap-3 text-sm">
          {user ? (
            <>
              <span data-testid="current-user" className="text-slate-600">
                {user.email}{" "}
                <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700" aria-label={`Role: ${user.role}`}>
                  {user.role}
                </span>
              </span>
              <SignOutForm csrfToken={await signOutCsrfToken()} />
            </>
          ) : (
            <>
              <Link href="/signin" className="text-slate-700 hover:text-slate-900">Sign in</Link>
              <Link href="/signup" className="rounded bg-indigo-600 px-3 py-1 text-white hover:bg-indigo-700">Sign up</Link>
            </>
          )}
        </div>
      </nav>
      {user && !user.emailVerified && <VerifyEmailNotice email={user.email} />}
    </header>
  );
}
