-- The spend limit's running total: the USAGE debited in the wallet's current calendar month (UTC),
-- kept on the wallet row under its lock, so a spend checks one row instead of summing the month's entries.
ALTER TABLE "Wallet" ADD COLUMN "usagePeriodStart" TIMESTAMP(3),
ADD COLUMN "usageInPeriodMinor" INTEGER NOT NULL DEFAULT 0;

UPDATE "Wallet" AS w
SET "usagePeriodStart" = spent."periodStart", "usageInPeriodMinor" = spent."usageMinor"
FROM (
    SELECT "walletId", date_trunc('month', now() AT TIME ZONE 'UTC') AS "periodStart", -SUM("amountMinor")::integer AS "usageMinor"
    FROM "LedgerEntry"
    WHERE "type" = 'USAGE' AND "createdAt" >= date_trunc('month', now() AT TIME ZONE 'UTC')
    GROUP BY "walletId"
) AS spent
WHERE spent."walletId" = w."id";

ALTER TABLE "Wallet" ADD CONSTRAINT "Wallet_usage_check" CHECK ("usageInPeriodMinor" >= 0);
