-- Issue 13: credit grants, expiry and void, reservations, spend limits, low-balance alerts, auto-recharge.
ALTER TYPE "LedgerEntryType" ADD VALUE 'PROMOTIONAL';
ALTER TYPE "LedgerEntryType" ADD VALUE 'EXPIRY';
ALTER TYPE "LedgerEntryType" ADD VALUE 'VOID';
ALTER TYPE "AdminAction" ADD VALUE 'GRANT';
ALTER TYPE "AdminAction" ADD VALUE 'VOID';

-- The new types' signs. Compared as text: a value added to an enum cannot be used as one in the
-- transaction that added it.
ALTER TABLE "LedgerEntry" DROP CONSTRAINT "LedgerEntry_amount_sign_check";
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_amount_sign_check" CHECK (
    ("type"::text IN ('TOPUP', 'PLAN_GRANT', 'DISPUTE_RELEASE', 'REFUND_REVERSAL', 'PROMOTIONAL') AND "amountMinor" > 0)
    OR ("type"::text IN ('USAGE', 'REFUND', 'DISPUTE_HOLD', 'EXPIRY', 'VOID') AND "amountMinor" < 0)
    OR ("type"::text = 'ADJUSTMENT' AND "amountMinor" <> 0)
);

ALTER TABLE "Plan" ADD COLUMN "creditRolloverCapMinor" INTEGER;
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_creditRolloverCapMinor_range" CHECK ("creditRolloverCapMinor" IS NULL OR "creditRolloverCapMinor" >= 0);

ALTER TABLE "Wallet"
  ADD COLUMN "reservedMinor" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "spendLimitMinor" INTEGER,
  ADD COLUMN "lowBalanceThresholdMinor" INTEGER,
  ADD COLUMN "lowBalanceAlertedAt" TIMESTAMP(3);
ALTER TABLE "Wallet"
  ADD CONSTRAINT "Wallet_reservedMinor_range" CHECK ("reservedMinor" >= 0),
  ADD CONSTRAINT "Wallet_spendLimitMinor_range" CHECK ("spendLimitMinor" IS NULL OR "spendLimitMinor" >= 0),
  ADD CONSTRAINT "Wallet_lowBalanceThresholdMinor_range" CHECK ("lowBalanceThresholdMinor" IS NULL OR "lowBalanceThresholdMinor" > 0);

CREATE TYPE "CreditGrantSource" AS ENUM ('topup', 'recharge', 'plan', 'promotional', 'adjustment', 'refund_reversal', 'dispute_release', 'opening_balance');
CREATE TYPE "CreditGrantCategory" AS ENUM ('paid', 'promotional');

CREATE TABLE "CreditGrant" (
  "id" TEXT NOT NULL,
  "walletId" TEXT NOT NULL,
  "entryId" TEXT,
  "source" "CreditGrantSource" NOT NULL,
  "category" "CreditGrantCategory" NOT NULL,
  "amountMinor" INTEGER NOT NULL,
  "remainingMinor" INTEGER NOT NULL,
  "priority" INTEGER NOT NULL,
  "expiresAt" TIMESTAMP(3),
  "purchaseId" TEXT,
  "rolloverCapMinor" INTEGER,
  "rolledOverAt" TIMESTAMP(3),
  "expiredAt" TIMESTAMP(3),
  "voidedAt" TIMESTAMP(3),
  "voidReason" TEXT,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "CreditGrant_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "CreditGrant_amount_positive" CHECK ("amountMinor" > 0),
  CONSTRAINT "CreditGrant_remaining_range" CHECK ("remainingMinor" >= 0 AND "remainingMinor" <= "amountMinor"),
  CONSTRAINT "CreditGrant_priority_range" CHECK ("priority" >= 0 AND "priority" <= 100)
);
CREATE UNIQUE INDEX "CreditGrant_entryId_key" ON "CreditGrant"("entryId");
CREATE INDEX "CreditGrant_walletId_priority_expiresAt_createdAt_idx" ON "CreditGrant"("walletId", "priority", "expiresAt", "createdAt");
CREATE INDEX "CreditGrant_expiresAt_idx" ON "CreditGrant"("expiresAt");
CREATE INDEX "CreditGrant_purchaseId_idx" ON "CreditGrant"("purchaseId");
ALTER TABLE "CreditGrant" ADD CONSTRAINT "CreditGrant_walletId_fkey" FOREIGN KEY ("walletId") REFERENCES "Wallet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CreditGrant" ADD CONSTRAINT "CreditGrant_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "LedgerEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "GrantDraw" (
  "id" TEXT NOT NULL,
  "grantId" TEXT NOT NULL,
  "entryId" TEXT NOT NULL,
  "amountMinor" INTEGER NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "GrantDraw_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "GrantDraw_amount_positive" CHECK ("amountMinor" > 0)
);
CREATE UNIQUE INDEX "GrantDraw_entryId_grantId_key" ON "GrantDraw"("entryId", "grantId");
CREATE INDEX "GrantDraw_grantId_idx" ON "GrantDraw"("grantId");
ALTER TABLE "GrantDraw" ADD CONSTRAINT "GrantDraw_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "CreditGrant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "GrantDraw" ADD CONSTRAINT "GrantDraw_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "LedgerEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TYPE "ReservationStatus" AS ENUM ('held', 'committed', 'released', 'expired');
CREATE TABLE "Reservation" (
  "id" TEXT NOT NULL,
  "walletId" TEXT NOT NULL,
  "amountMinor" INTEGER NOT NULL,
  "idempotencyKey" TEXT NOT NULL,
  "description" TEXT,
  "status" "ReservationStatus" NOT NULL DEFAULT 'held',
  "expiresAt" TIMESTAMP(3) NOT NULL,
  "committedMinor" INTEGER,
  "entryId" TEXT,
  "settledAt" TIMESTAMP(3),
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "Reservation_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "Reservation_amount_positive" CHECK ("amountMinor" > 0),
  CONSTRAINT "Reservation_committed_range" CHECK ("committedMinor" IS NULL OR ("committedMinor" >= 0 AND "committedMinor" <= "amountMinor"))
);
CREATE UNIQUE INDEX "Reservation_idempotencyKey_key" ON "Reservation"("idempotencyKey");
CREATE UNIQUE INDEX "Reservation_entryId_key" ON "Reservation"("entryId");
CREATE INDEX "Reservation_status_expiresAt_idx" ON "Reservation"("status", "expiresAt");
CREATE INDEX "Reservation_walletId_createdAt_idx" ON "Reservation"("walletId", "createdAt");
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_walletId_fkey" FOREIGN KEY ("walletId") REFERENCES "Wallet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "AutoRecharge" (
  "walletId" TEXT NOT NULL,
  "enabled" BOOLEAN NOT NULL DEFAULT false,
  "thresholdMinor" INTEGER NOT NULL,
  "targetMinor" INTEGER NOT NULL,
  "monthlyCapMinor" INTEGER NOT NULL,
  "paymentMethodId" TEXT,
  "cardBrand" TEXT,
  "cardLast4" VARCHAR(4),
  "setupSessionId" TEXT,
  "disabledReason" TEXT,
  "disabledAt" TIMESTAMP(3),
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL,
  CONSTRAINT "AutoRecharge_pkey" PRIMARY KEY ("walletId"),
  CONSTRAINT "AutoRecharge_amounts" CHECK ("thresholdMinor" > 0 AND "targetMinor" > "thresholdMinor" AND "monthlyCapMinor" > 0)
);
CREATE UNIQUE INDEX "AutoRecharge_setupSessionId_key" ON "AutoRecharge"("setupSessionId");
ALTER TABLE "AutoRecharge" ADD CONSTRAINT "AutoRecharge_walletId_fkey" FOREIGN KEY ("walletId") REFERENCES "Wallet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TYPE "RechargeStatus" AS ENUM ('pending', 'processing', 'succeeded', 'failed');
CREATE TABLE "Recharge" (
  "id" TEXT NOT NULL,
  "walletId" TEXT NOT NULL,
  "purchaseId" TEXT NOT NULL,
  "amountMinor" INTEGER NOT NULL,
  "currency" CHAR(3) NOT NULL,
  "periodStart" TIMESTAMP(3) NOT NULL,
  "status" "RechargeStatus" NOT NULL DEFAULT 'pending',
  "paymentIntentId" TEXT,
  "failureCode" TEXT,
  "failureMessage" TEXT,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL,
  CONSTRAINT "Recharge_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "Recharge_amount_positive" CHECK ("amountMinor" > 0)
);
CREATE UNIQUE INDEX "Recharge_purchaseId_key" ON "Recharge"("purchaseId");
CREATE UNIQUE INDEX "Recharge_paymentIntentId_key" ON "Recharge"("paymentIntentId");
CREATE INDEX "Recharge_walletId_periodStart_idx" ON "Recharge"("walletId", "periodStart");
CREATE INDEX "Recharge_status_createdAt_idx" ON "Recharge"("status", "createdAt");
-- Never more than one recharge in flight per wallet, whatever races.
CREATE UNIQUE INDEX "Recharge_one_in_flight_per_wallet" ON "Recharge"("walletId") WHERE "status" IN ('pending', 'processing');
ALTER TABLE "Recharge" ADD CONSTRAINT "Recharge_walletId_fkey" FOREIGN KEY ("walletId") REFERENCES "Wallet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Money that existed before grants did becomes one opening grant per wallet, so the breakdown
-- matches the balance from the first moment.
INSERT INTO "CreditGrant" ("id", "walletId", "entryId", "source", "category", "amountMinor", "remainingMinor", "priority", "createdAt")
SELECT gen_random_uuid()::text, "id", NULL, 'opening_balance', 'paid', "balanceMinor", "balanceMinor", 50, now()
FROM "Wallet" WHERE "balanceMinor" > 0;
