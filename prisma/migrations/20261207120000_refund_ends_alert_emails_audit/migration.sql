-- Issue 22: refunds Stripe reported failed or canceled, the daily limit on low-balance emails, and
-- audit entries for exports and for refunds that were not made.
ALTER TYPE "AdminAction" ADD VALUE 'EXPORT';
ALTER TYPE "AdminAction" ADD VALUE 'REFUND_REFUSED';

ALTER TABLE "Wallet" ADD COLUMN "lowBalanceEmailedAt" TIMESTAMP(3);

CREATE TABLE "UndoneRefund" (
    "refundId" TEXT NOT NULL,
    "purchaseId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UndoneRefund_pkey" PRIMARY KEY ("refundId"),
    CONSTRAINT "UndoneRefund_status_check" CHECK ("status" IN ('failed', 'canceled'))
);

CREATE INDEX "UndoneRefund_purchaseId_idx" ON "UndoneRefund"("purchaseId");

ALTER TABLE "UndoneRefund" ADD CONSTRAINT "UndoneRefund_purchaseId_fkey" FOREIGN KEY ("purchaseId") REFERENCES "Purchase"("id") ON DELETE CASCADE ON UPDATE CASCADE;
