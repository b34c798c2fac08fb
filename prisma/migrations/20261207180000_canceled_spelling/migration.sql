-- Issue 24: one spelling, Stripe's. A purchase the person canceled reads "canceled" like Stripe's own
-- objects and Subscription.canceledAt. Renames only: no row is rewritten.
ALTER TYPE "PurchaseStatus" RENAME VALUE 'cancelled' TO 'canceled';

ALTER TABLE "Purchase" RENAME COLUMN "cancelledAt" TO "canceledAt";
