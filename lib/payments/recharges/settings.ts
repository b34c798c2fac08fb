import type { AutoRecharge } from "../../generated/prisma/client";
import { db, type Tx } from "../../core/db";
import { env } from "../../core/env";
import { ConflictError } from "../../core/errors";
import { lockWallet } from "../../ledger";
import { MIN_RECHARGE_MINOR, queueRechargeIfDue } from "../../ledger";
import { minorUnitDigits } from "../../core/money";
import { autoRechargeSettingsSchema, type AutoRechargeLimits, type AutoRechargeSettingsInput } from "../../validations/auto-recharge";
import { startPendingRecharges } from "./charge";

// A user's auto-recharge settings (one AutoRecharge row per wallet): the threshold, the target, the
// monthly cap, whether it is on, and the card a setup-mode Checkout saved (./card-setup.ts). Billfold
// switches it off itself when a recharge fails (./charge.ts), saying why in disabledReason; the user
// turning it back on clears that. lib/ledger/thresholds.ts reads the row when it queues a recharge.

/** The largest monthly cap: a typo guard (£100,000.00), as for admin adjustments. */
const MAX_MONTHLY_CAP_MINOR = 10_000_000;

/** What the settings may be, in the app's currency. */
export function autoRechargeLimits(currency = env().BILLFOLD_CURRENCY): AutoRechargeLimits {
  return { currency, minStepMinor: MIN_RECHARGE_MINOR, maxTargetMinor: env().TOPUP_MAX_MINOR, maxMonthlyCapMinor: MAX_MONTHLY_CAP_MINOR };
}

/** The settings a wallet starts with, off, until its user chooses: 5 below, up to 20, at most 100 a month (major units). */
export function defaultAutoRechargeSettings(currency: string): Pick<AutoRecharge, "thresholdMinor" | "targetMinor" | "monthlyCapMinor"> {
  const unit = 10 ** minorUnitDigits(currency);
  return { thresholdMinor: 5 * unit, targetMinor: 20 * unit, monthlyCapMinor: 100 * unit };
}

export interface CardOnFile {
  brand: string | null;
  last4: string | null;
}

export interface AutoRechargeSettings extends AutoRechargeSettingsInput {
  currency: string;
  /** The card recharges charge, or null before one is saved. */
  card: CardOnFile | null;
  /** Why Billfold switched it off (a plain sentence), until the user turns it back on. */
  disabledReason: string | null;
  disabledAt: Date | null;
}

function settingsOf(row: AutoRecharge | null, currency: string): AutoRechargeSettings {
  const defaults = defaultAutoRechargeSettings(currency);
  return {
    currency,
    enabled: row?.enabled ?? false,
    thresholdMinor: row?.thresholdMinor ?? defaults.thresholdMinor,
    targetMinor: row?.targetMinor ?? defaults.targetMinor,
    monthlyCapMinor: row?.monthlyCapMinor ?? defaults.monthlyCapMinor,
    card: row?.paymentMethodId ? { brand: row.cardBrand, last4: row.cardLast4 } : null,
    disabledReason: row?.disabledReason ?? null,
    disabledAt: row?.disabledAt ?? null,
  };
}

/** The user's settings in the app's currency; the defaults (off, no card) before they have any. */
export async function getAutoRecharge(userId: string): Promise<AutoRechargeSettings> {
  const currency = env().BILLFOLD_CURRENCY;
  const wallet = await db().wallet.findUnique({ where: { userId_currency: { userId, currency } }, select: { autoRecharge: true } });
  return settingsOf(wallet?.autoRecharge ?? null, currency);
}

/**
 * Saves the settings (zod: a ZodError is a 422 naming each field). Turning it on needs a saved card
 * (409 card_required) and clears the reason Billfold switched it off; saving it off also clears
 * that reason, since the user has now chosen. Under the wallet's lock, so a debit queueing a
 * recharge reads either the old settings or the new ones, never half of each.
 */
export async function updateAutoRecharge(userId: string, input: AutoRechargeSettingsInput): Promise<AutoRechargeSettings> {
  const currency = env().BILLFOLD_CURRENCY;
  const settings = autoRechargeSettingsSchema(autoRechargeLimits(currency)).parse(input);
  const row = await db().$transaction(async (tx) => {
    const wallet = await lockWallet(tx, userId, currency);
    const existing = await tx.autoRecharge.findUnique({ where: { walletId: wallet.id } });
    if (settings.enabled && !existing?.paymentMethodId) {
      throw new ConflictError("card_required", "Save a card for auto-recharge before turning it on.");
    }
    const data = { ...settings, disabledReason: null, disabledAt: null };
    const saved = await tx.autoRecharge.upsert({ where: { walletId: wallet.id }, create: { walletId: wallet.id, ...data }, update: data });
    // Turned on while already below the threshold: recharge now rather than at the next debit.
    const autoRechargeOn = saved.enabled && saved.paymentMethodId !== null;
    const queued = await queueRechargeIfDue(tx, { ...wallet, autoRechargeOn }, { afterMinor: wallet.balanceMinor - wallet.reservedMinor, now: new Date() });
    return { saved, queued };
  });
  if (row.queued) await startPendingRecharges({ userId });
  return settingsOf(row.saved, currency);
}

/** The wallet's settings row, created off with the defaults when it has none (a card is being saved for it). */
export async function ensureAutoRechargeRow(tx: Tx, userId: string, currency: string): Promise<AutoRecharge> {
  const wallet = await lockWallet(tx, userId, currency);
  return tx.autoRecharge.upsert({
    where: { walletId: wallet.id },
    create: { walletId: wallet.id, enabled: false, ...defaultAutoRechargeSettings(currency) },
    update: {},
  });
}
