import "server-only";

export { credit, debit, reverse, NEGATIVE_BALANCE_POLICY, type CreditOptions, type DebitOptions, type LedgerResult, type ReverseOptions } from "./ledger";
export { GRANT_PRIORITY, orderGrants, type DrawOrder, type GrantTerms } from "./grants";
export { dueGrantIds, expireDueGrants, expireGrant, expiryOf, voidGrant, type GrantExpiry, type VoidGrantInput } from "./expiry";
export { commitReservation, expireReservations, releaseReservation, reserve, RESERVATION_TTL_SECONDS, type ReserveOptions } from "./reservations";
export { MIN_RECHARGE_MINOR } from "./thresholds";
export { oneStatementCredit, type CreditWithoutWallet, type OneStatementCredit } from "./one-statement-credit";
export { usageDebitInOneStatement, type PlanCapTerms, type UsageDebitOptions, type UsageDebitResult } from "./one-statement-debit";
export {
  adjustmentKey,
  disputeHoldKey,
  disputeReleaseKey,
  expiryKey,
  planGrantKey,
  promotionalGrantKey,
  rechargeKey,
  refundKey,
  refundReversalKey,
  reservationKey,
  topUpKey,
  usageKey,
  voidKey,
} from "./keys";
export { ENTRY_LABELS, planCreditDescription, planNameOfPlanCredit, stripeReferenceKind } from "./labels";
export {
  getWalletBalance,
  getWalletView,
  walletEntryBatches,
  STATEMENT_BATCH_SIZE,
  type LedgerEntryView,
  type WalletEntryFilter,
  type WalletView,
} from "./queries";
export { statementCsvStream, statementFileName, statementRecord, STATEMENT_HEADER } from "./statement";
export { findLedgerViolations } from "./invariants";
export { GRANT_SOURCE_LABELS, GRANT_STATE_LABELS, type GrantState, type GrantView, UPCOMING_EXPIRY_DAYS, getNegativeBalance, getUpcomingExpiries, listUserGrantsForAdmin, listWalletGrants } from "./grant-views";
export { effectiveSpendLimit, lockWallet, usageInPeriod, usagePeriod } from "./ledger";
export { queueRechargeIfDue, rechargedInPeriodMinor, rechargesQueuedIn } from "./thresholds";
export { type WalletLimits, setWalletLimits } from "./limits";
