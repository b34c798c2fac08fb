export { debitUsageInOneStatement, type UsageDebit } from "./one-statement-debit";
export { credit, debit, reverse, type CreditOptions, type DebitOptions, type LedgerResult, type ReverseOptions } from "./ledger";
export { adjustmentKey, disputeHoldKey, disputeReleaseKey, planGrantKey, refundKey, refundReversalKey, topUpKey, usageKey } from "./keys";
export { ENTRY_LABELS, stripeReferenceKind } from "./labels";
export {
  getWalletBalance,
  getWalletView,
  walletEntryBatches,
  STATEMENT_BATCH_SIZE,
  type LedgerEntryView,
  type WalletHistoryFilter,
  type WalletView,
} from "./queries";
export { statementCsvStream, statementFileName, statementRecord, STATEMENT_HEADER } from "./statement";
