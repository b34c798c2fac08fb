import { AuthCard } from "@/components/form";
import { SignOutButton } from "@/components/sign-out-button";

export const metadata = { title: "Sign out" };

export default function SignOutPage() {
  return (
    <AuthCard title="Sign out">
      <p className="text-slate-600">You will need your password to come back.</p>
      <SignOutButton />
    </AuthCard>
  );
}
