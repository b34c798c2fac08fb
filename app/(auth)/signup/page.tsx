import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/form";
import { SignUpForm } from "@/components/sign-up-form";
import { getCurrentUser } from "@/lib/auth/session";

export const metadata = { title: "Sign up" };

export default async function SignUpPage() {
  if (await getCurrentUser()) redirect("/wallet");
  return (
    <AuthCard title="Create your account">
      <SignUpForm />
      <p className="text-sm text-slate-600">
        Already have an account? <Link href="/signin" className="font-medium text-indigo-700 underline">Sign in</Link>
      </p>
    </AuthCard>
  );
}
