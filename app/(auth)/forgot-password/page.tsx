import Link from "next/link";
import { AuthCard } from "@/components/form";
import { ForgotPasswordForm } from "@/components/account-forms";

export const metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <AuthCard title="Reset your password">
      <p className="text-sm text-slate-600">Enter your account&apos;s email and we&apos;ll send you a link to choose a new password.</p>
      <ForgotPasswordForm />
      <p className="text-sm text-slate-600">
        Remembered it? <Link href="/signin" className="font-medium text-indigo-700 underline">Sign in</Link>
      </p>
    </AuthCard>
  );
}
