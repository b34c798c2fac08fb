-- The admin console (issue 11): keyset indexes for the transaction and event logs, who made an
-- adjustment, and the append-only audit log.

-- CreateEnum
CREATE TYPE "AdminAction" AS ENUM ('ADJUSTMENT', 'REFUND', 'REPLAY', 'BACKFILL');

-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN     "createdByAdminId" TEXT;

-- DropIndex
DROP INDEX "LedgerEntry_walletId_createdAt_idx";

-- DropIndex
DROP INDEX "WebhookEvent_receivedAt_idx";

-- CreateTable
CREATE TABLE "AdminAuditEntry" (
    "id" TEXT NOT NULL,
    "adminId" TEXT NOT NULL,
    "adminEmail" TEXT NOT NULL,
    "action" "AdminAction" NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "reason" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminAuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AdminAuditEntry_createdAt_id_idx" ON "AdminAuditEntry"("createdAt", "id");

-- CreateIndex
CREATE INDEX "AdminAuditEntry_adminId_createdAt_idx" ON "AdminAuditEntry"("adminId", "createdAt");

-- CreateIndex
CREATE INDEX "AdminAuditEntry_targetType_targetId_idx" ON "AdminAuditEntry"("targetType", "targetId");

-- CreateIndex
CREATE INDEX "LedgerEntry_walletId_createdAt_id_idx" ON "LedgerEntry"("walletId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "LedgerEntry_createdAt_id_idx" ON "LedgerEntry"("createdAt", "id");

-- CreateIndex
CREATE INDEX "LedgerEntry_type_createdAt_id_idx" ON "LedgerEntry"("type", "createdAt", "id");

-- CreateIndex
CREATE INDEX "WebhookEvent_receivedAt_id_idx" ON "WebhookEvent"("receivedAt", "id");

-- CreateIndex
CREATE INDEX "WebhookEvent_status_receivedAt_id_idx" ON "WebhookEvent"("status", "receivedAt", "id");

-- CreateIndex
CREATE INDEX "WebhookEvent_type_receivedAt_id_idx" ON "WebhookEvent"("type", "receivedAt", "id");

-- The audit log is append-only in the database too, not only in the app: a row can be inserted,
-- never changed or removed, whoever connects.
CREATE FUNCTION "AdminAuditEntry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AdminAuditEntry is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "AdminAuditEntry_no_update_or_delete" BEFORE UPDATE OR DELETE ON "AdminAuditEntry"
  FOR EACH ROW EXECUTE FUNCTION "AdminAuditEntry_append_only"();

CREATE TRIGGER "AdminAuditEntry_no_truncate" BEFORE TRUNCATE ON "AdminAuditEntry"
  FOR EACH STATEMENT EXECUTE FUNCTION "AdminAuditEntry_append_only"();
