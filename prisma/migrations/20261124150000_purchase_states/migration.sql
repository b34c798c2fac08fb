-- Issue 12: purchase states people can trust, resumable sessions and receipts.
ALTER TYPE "PurchaseStatus" ADD VALUE 'cancelled';

CREATE TYPE "PurchaseDisputeStatus" AS ENUM ('open', 'won', 'lost');

ALTER TABLE "Purchase"
  ADD COLUMN "checkoutUrl" TEXT,
  ADD COLUMN "checkoutExpiresAt" TIMESTAMP(3),
  ADD COLUMN "cancelledAt" TIMESTAMP(3),
  ADD COLUMN "refundedMinor" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "disputeStatus" "PurchaseDisputeStatus",
  ADD COLUMN "disputedMinor" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "receiptUrl" TEXT,
  ADD COLUMN "cardBrand" TEXT,
  ADD COLUMN "cardLast4" VARCHAR(4);

ALTER TABLE "Purchase"
  ADD CONSTRAINT "Purchase_refundedMinor_range" CHECK ("refundedMinor" >= 0 AND "refundedMinor" <= "amountMinor"),
  ADD CONSTRAINT "Purchase_disputedMinor_range" CHECK ("disputedMinor" >= 0 AND "disputedMinor" <= "amountMinor");
