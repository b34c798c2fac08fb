import { AuthCard } from "@/components/form";
import { SignOutEverywhereForm } from "@/components/sign-out-everywhere-form";
import { SignOutForm } from "@/components/sign-out-form";
import { getCurrentUser } from "@/lib/accounts";
import { signOutCsrfToken } from "@/lib/accounts";

export const metadata = { title: "Sign out" };

// The header's Sign out button signs out at once; this page stays for links to /signout and for
// next-auth, which sends a sign-out whose CSRF token it could not check here (authOptions.pages).
export default async function SignOutPage() {
  return (
    <AuthCard title="Sign out">
      <p className="text-slate-600">You will need your password to come back.</p>
      <SignOutForm csrfToken={await signOutCsrfToken()} className="w-full rounded bg-slate-800 px-4 py-2 font-medium text-white hover:bg-slate-900" />
      {(await getCurrentUser()) && <SignOutEverywhereForm />}
    </AuthCard>
  );
}
