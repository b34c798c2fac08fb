-- A USAGE debit in one statement (lib/ledger/one-statement-debit.ts): the spend route's round trips
-- were most of its time. It does what debit() does for a USAGE entry in lib/ledger/ledger.ts, in the
-- same order and under the same wallet lock, and lib/ledger/one-statement-debit.test.ts holds the two
-- to the same rows. Constants the TypeScript owns (the recharge pack key, the smallest recharge, the
-- Free plan's catalog limit, the past_due grace) come in as parameters, so they live in one place.
--
-- It returns one row: outcome 'applied', 'replayed' (the key's existing entry, whatever its amount:
-- the caller compares) or 'refused' with the refusal ('negative_balance', 'insufficient_funds',
-- 'spend_limit') and its figures; and whether a low-balance email or a recharge was queued.
-- A refusal writes nothing.
CREATE FUNCTION "ledger_usage_debit"(
  p_user_id text,
  p_currency text,
  p_amount_minor int,
  p_idempotency_key text,
  p_description text,
  p_now timestamp(3),
  p_free_plan_key text,
  p_catalog_free_limit_minor int,
  p_past_due_grace_days int,
  p_recharge_pack_key text,
  p_min_recharge_minor int
) RETURNS TABLE (
  "outcome" text,
  "entryId" text,
  "entryAmountMinor" int,
  "balanceMinor" int,
  "refusal" text,
  "availableMinor" int,
  "limitMinor" int,
  "committedMinor" int,
  "limitSetBy" text,
  "emailQueued" boolean,
  "rechargeQueued" boolean
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  w record;
  wallet_found boolean;
  existing record;
  settings record;
  grant_row record;
  period_start timestamp(3) := date_trunc('month', p_now);
  available_before int;
  available_after int;
  usage_before int;
  plan_found boolean;
  plan_limit int;
  limit_minor int;
  limit_set_by text;
  entry_id text := gen_random_uuid()::text;
  balance_after int;
  left_minor int;
  taken int;
  email_due boolean;
  email_queued boolean := false;
  recharge_queued boolean := false;
  recharge_minor int;
  purchase_id text;
BEGIN
  -- The wallet and whether auto-recharge could fire, locked (lockWallet). A user without a wallet
  -- has nothing to spend: debit() would create one and roll it back with the refusal, so this
  -- creates none.
  SELECT wl."id", wl."userId", wl."currency", wl."balanceMinor", wl."reservedMinor", wl."usagePeriodStart", wl."usageInPeriodMinor", wl."spendLimitMinor",
    wl."lowBalanceThresholdMinor", wl."lowBalanceAlertedAt", wl."lowBalanceEmailedAt", COALESCE(a."enabled" AND a."paymentMethodId" IS NOT NULL, false) AS "autoRechargeOn"
  INTO w
  FROM "Wallet" wl LEFT JOIN "AutoRecharge" a ON a."walletId" = wl."id"
  WHERE wl."userId" = p_user_id AND wl."currency" = p_currency FOR UPDATE OF wl;
  wallet_found := FOUND;

  -- After the lock, so a concurrent writer of the same key has committed (and is seen) or not started.
  SELECT e."id", e."amountMinor", e."balanceAfterMinor" INTO existing FROM "LedgerEntry" e WHERE e."idempotencyKey" = p_idempotency_key;
  IF FOUND THEN
    RETURN QUERY SELECT 'replayed', existing."id", existing."amountMinor", existing."balanceAfterMinor", NULL::text, NULL::int, NULL::int, NULL::int, NULL::text, false, false;
    RETURN;
  END IF;
  IF NOT wallet_found THEN
    RETURN QUERY SELECT 'refused', NULL::text, NULL::int, NULL::int, 'insufficient_funds', 0, NULL::int, NULL::int, NULL::text, false, false;
    RETURN;
  END IF;

  -- The negative-balance rule, then the money not held by reservations (availableToSpend).
  IF w."balanceMinor" < 0 THEN
    RETURN QUERY SELECT 'refused', NULL::text, NULL::int, w."balanceMinor", 'negative_balance', NULL::int, NULL::int, NULL::int, NULL::text, false, false;
    RETURN;
  END IF;
  available_before := w."balanceMinor" - w."reservedMinor";
  IF p_amount_minor > available_before THEN
    RETURN QUERY SELECT 'refused', NULL::text, NULL::int, NULL::int, 'insufficient_funds', available_before, NULL::int, NULL::int, NULL::text, false, false;
    RETURN;
  END IF;

  -- The effective plan, read under the lock (lib/billing/entitlement.ts effectivePlan): the highest
  -- plan among the subscriptions entitled now, the newest first among equals; else the Free plan's
  -- row; else the catalog's Free plan.
  SELECT true, p."monthlySpendLimitMinor" INTO plan_found, plan_limit
  FROM "Subscription" s JOIN "Plan" p ON p."key" = s."planKey"
  WHERE s."userId" = p_user_id
    AND s."status" NOT IN ('canceled', 'incomplete_expired')
    AND (COALESCE(s."cancelAt", CASE WHEN s."cancelAtPeriodEnd" THEN s."currentPeriodEnd" END) IS NULL
      OR COALESCE(s."cancelAt", CASE WHEN s."cancelAtPeriodEnd" THEN s."currentPeriodEnd" END) > p_now)
    AND (s."status" IN ('active', 'trialing')
      OR (s."status" = 'past_due' AND s."currentPeriodStart" IS NOT NULL AND p_now < s."currentPeriodStart" + p_past_due_grace_days * interval '1 day'))
  ORDER BY p."sortOrder" DESC, s."stripeCreatedAt" DESC
  LIMIT 1;
  IF plan_found IS NULL THEN
    SELECT true, p."monthlySpendLimitMinor" INTO plan_found, plan_limit FROM "Plan" p WHERE p."key" = p_free_plan_key;
    IF plan_found IS NULL THEN plan_limit := p_catalog_free_limit_minor; END IF;
  END IF;

  -- The tighter of the user's own cap and the plan's, against the month's usage and what reservations
  -- keep aside (effectiveSpendLimit, assertWithinSpendLimit).
  usage_before := CASE WHEN w."usagePeriodStart" = period_start THEN w."usageInPeriodMinor" ELSE 0 END;
  IF w."spendLimitMinor" IS NOT NULL AND (plan_limit IS NULL OR w."spendLimitMinor" <= plan_limit) THEN
    limit_minor := w."spendLimitMinor"; limit_set_by := 'you';
  ELSIF plan_limit IS NOT NULL THEN
    limit_minor := plan_limit; limit_set_by := 'plan';
  END IF;
  IF limit_minor IS NOT NULL AND usage_before + w."reservedMinor" + p_amount_minor > limit_minor THEN
    RETURN QUERY SELECT 'refused', NULL::text, NULL::int, NULL::int, 'spend_limit', NULL::int, limit_minor, usage_before + w."reservedMinor", limit_set_by, false, false;
    RETURN;
  END IF;

  -- The entry, the balance and the month's usage.
  balance_after := w."balanceMinor" - p_amount_minor;
  INSERT INTO "LedgerEntry" ("id", "walletId", "type", "amountMinor", "balanceAfterMinor", "idempotencyKey", "description")
  VALUES (entry_id, w."id", 'USAGE', -p_amount_minor, balance_after, p_idempotency_key, p_description);
  UPDATE "Wallet" SET "balanceMinor" = balance_after, "usagePeriodStart" = period_start, "usageInPeriodMinor" = usage_before + p_amount_minor,
    "updatedAt" = timezone('UTC', now())
  WHERE "id" = w."id";

  -- The grant draws in spend order (lib/ledger/grants.ts spendOrder; ids compared as JavaScript compares them).
  left_minor := p_amount_minor;
  FOR grant_row IN
    SELECT g."id", g."remainingMinor" FROM "CreditGrant" g WHERE g."walletId" = w."id" AND g."remainingMinor" > 0
    ORDER BY g."priority", g."expiresAt" NULLS LAST, g."createdAt", g."id" COLLATE "C"
  LOOP
    EXIT WHEN left_minor = 0;
    taken := LEAST(left_minor, grant_row."remainingMinor");
    UPDATE "CreditGrant" SET "remainingMinor" = "remainingMinor" - taken WHERE "id" = grant_row."id";
    INSERT INTO "GrantDraw" ("id", "grantId", "entryId", "amountMinor") VALUES (gen_random_uuid()::text, grant_row."id", entry_id, taken);
    left_minor := left_minor - taken;
  END LOOP;
  IF left_minor <> 0 THEN
    RAISE EXCEPTION 'wallet %: grants hold % less than the % to draw', w."id", p_amount_minor - left_minor, p_amount_minor;
  END IF;

  -- The low-balance alert (lib/ledger/thresholds.ts updateLowBalanceAlert).
  available_after := balance_after - w."reservedMinor";
  IF w."lowBalanceThresholdMinor" IS NOT NULL THEN
    IF available_after >= w."lowBalanceThresholdMinor" THEN
      IF w."lowBalanceAlertedAt" IS NOT NULL THEN
        UPDATE "Wallet" SET "lowBalanceAlertedAt" = NULL, "updatedAt" = timezone('UTC', now()) WHERE "id" = w."id";
      END IF;
    ELSIF w."lowBalanceAlertedAt" IS NULL AND available_before >= w."lowBalanceThresholdMinor" THEN
      -- At most one email a day, and only to a verified address (lowBalanceEmailDue).
      email_due := (w."lowBalanceEmailedAt" IS NULL OR p_now - w."lowBalanceEmailedAt" >= interval '24 hours')
        AND EXISTS (SELECT 1 FROM "User" u WHERE u."id" = w."userId" AND u."emailVerified" IS NOT NULL);
      UPDATE "Wallet" SET "lowBalanceAlertedAt" = p_now, "lowBalanceEmailedAt" = CASE WHEN email_due THEN p_now ELSE "lowBalanceEmailedAt" END,
        "updatedAt" = timezone('UTC', now())
      WHERE "id" = w."id";
      IF email_due THEN
        INSERT INTO "EmailOutbox" ("id", "key", "userId", "kind", "payload")
        VALUES (gen_random_uuid()::text, 'low_balance:' || w."id" || ':' || entry_id, w."userId", 'low_balance',
          jsonb_build_object('thresholdMinor', w."lowBalanceThresholdMinor", 'availableMinor', available_after, 'currency', w."currency"))
        ON CONFLICT ("key") DO NOTHING;
        email_queued := FOUND;
      END IF;
    END IF;
  END IF;

  -- Auto-recharge (queueRechargeIfDue): on, below its threshold, none in flight, within the month's
  -- cap, and worth charging; up to the target from zero at most.
  IF w."autoRechargeOn" THEN
    SELECT a."enabled", a."paymentMethodId", a."thresholdMinor", a."targetMinor", a."monthlyCapMinor" INTO settings FROM "AutoRecharge" a WHERE a."walletId" = w."id";
    IF settings."enabled" AND settings."paymentMethodId" IS NOT NULL AND available_after < settings."thresholdMinor"
      AND NOT EXISTS (SELECT 1 FROM "Recharge" r WHERE r."walletId" = w."id" AND r."status" IN ('pending', 'processing')) THEN
      recharge_minor := LEAST(settings."targetMinor" - GREATEST(0, available_after),
        settings."monthlyCapMinor" - (SELECT COALESCE(sum(r."amountMinor"), 0)::int FROM "Recharge" r
          WHERE r."walletId" = w."id" AND r."periodStart" = period_start AND r."status" IN ('pending', 'processing', 'succeeded')));
      IF recharge_minor >= p_min_recharge_minor THEN
        purchase_id := gen_random_uuid()::text;
        INSERT INTO "Purchase" ("id", "userId", "packKey", "amountMinor", "currency", "status", "updatedAt")
        VALUES (purchase_id, w."userId", p_recharge_pack_key, recharge_minor, w."currency", 'processing', timezone('UTC', now()));
        INSERT INTO "Recharge" ("id", "walletId", "purchaseId", "amountMinor", "currency", "periodStart", "updatedAt")
        VALUES (gen_random_uuid()::text, w."id", purchase_id, recharge_minor, w."currency", period_start, timezone('UTC', now()));
        recharge_queued := true;
      END IF;
    END IF;
  END IF;

  RETURN QUERY SELECT 'applied', entry_id, -p_amount_minor, balance_after, NULL::text, NULL::int, NULL::int, NULL::int, NULL::text, email_queued, recharge_queued;
END;
$$;
