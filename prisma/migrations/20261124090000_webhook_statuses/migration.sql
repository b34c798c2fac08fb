-- New enum values. PostgreSQL lets a transaction add them but not use them before it commits, so
-- everything that uses them (the CHECK constraint, the data fix) is in the next migration.

-- AlterEnum
ALTER TYPE "LedgerEntryType" ADD VALUE 'REFUND_REVERSAL' BEFORE 'ADJUSTMENT';

-- AlterEnum
ALTER TYPE "WebhookEventStatus" ADD VALUE 'unmatched';
ALTER TYPE "WebhookEventStatus" ADD VALUE 'dead';

-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "awaitingReferences" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "WebhookEvent_awaitingReferences_idx" ON "WebhookEvent" USING GIN ("awaitingReferences");
