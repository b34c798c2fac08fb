-- A refund reversal is a credit.
ALTER TABLE "LedgerEntry" DROP CONSTRAINT "LedgerEntry_amount_sign_check";
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_amount_sign_check" CHECK (
    ("type" IN ('TOPUP', 'PLAN_GRANT', 'DISPUTE_RELEASE', 'REFUND_REVERSAL') AND "amountMinor" > 0)
    OR ("type" IN ('USAGE', 'REFUND', 'DISPUTE_HOLD') AND "amountMinor" < 0)
    OR ("type" = 'ADJUSTMENT' AND "amountMinor" <> 0)
);

-- Events that used their last attempt were left `failed` with no next attempt; they are dead letters.
UPDATE "WebhookEvent" SET "status" = 'dead' WHERE "status" = 'failed' AND "nextAttemptAt" IS NULL;
