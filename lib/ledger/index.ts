export { credit, debit, reverse, type CreditOptions, type DebitOptions, type LedgerResult, type ReverseOptions } from "./ledger";
export { getWalletBalance, getWalletView, type LedgerEntryView, type WalletView } from "./queries";
