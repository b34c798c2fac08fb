import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { PrintButton } from "@/components/receipts/print-button";
import { ReceiptDocument } from "@/components/receipts/receipt-document";
import { requireUser } from "@/lib/accounts";
import { getReceipt, receiptPath } from "@/lib/payments/receipts";

export const metadata = { title: "Receipt" };

const idSchema = z.string().min(1).max(64);

// The printable receipt of one paid top-up: its owner only; anyone else, an unknown id or an unpaid purchase gets 404.
export default async function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(receiptPath(id));
  const purchaseId = idSchema.safeParse(id);
  const receipt = purchaseId.success ? await getReceipt(user.id, purchaseId.data) : null;
  if (!receipt) notFound();

  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <div className="flex flex-wrap items-center gap-3 print:hidden">
        <Link href="/wallet" className="text-sm text-indigo-700 underline hover:text-indigo-900">← Back to wallet</Link>
        <div className="ml-auto flex flex-wrap items-center gap-3">
          {receipt.stripeReceiptUrl && (
            <a href={receipt.stripeReceiptUrl} target="_blank" rel="noopener noreferrer" className="rounded border border-slate-300 px-4 py-2 text-sm hover:bg-slate-50">
              Stripe receipt<span className="sr-only"> (opens in a new tab)</span>
            </a>
          )}
          <PrintButton />
        </div>
      </div>
      <ReceiptDocument receipt={receipt} />
    </div>
  );
}
