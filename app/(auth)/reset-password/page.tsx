import Link from "next/link";
import { z } from "zod";
import { AuthCard } from "@/components/form";
import { ResetPasswordForm } from "@/components/account-forms";

export const metadata = { title: "Choose a new password" };

const searchSchema = z.object({ token: z.string().max(200).optional().catch(undefined) });

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = searchSchema.parse(await searchParams);
  return (
    <AuthCard title="Choose a new password">
      {token ? (
        <ResetPasswordForm token={token} />
      ) : (
        <p className="text-sm text-slate-600">
          This page needs the link from your email. <Link href="/forgot-password" className="text-indigo-700 underline">Ask for a new link</Link>.
        </p>
      )}
    </AuthCard>
  );
}
