export { debitUsageInOneStatement, type UsageDebit } from "./one-statement-debit";
export { credit, debit, reverse, type CreditOptions, type DebitOptions, type LedgerResult, type ReverseOptions } from "./ledger";
export { adjustmentKey, disputeHoldKey, disputeReleaseKey, planGrantKey, refundKey, refundReversalKey, topUpKey, usageKey } from "./keys";
export { getWalletBalance, getWalletView, type LedgerEntryView, type WalletView } from "./queries";
export { listStatementEntries, statementCsv, statementFileName, STATEMENT_HEADER } from "./statement";
