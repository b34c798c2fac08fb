export { credit, debit, reverse, type CreditOptions, type DebitOptions, type LedgerResult, type ReverseOptions } from "./ledger";
export { getWalletView, type LedgerEntryView, type WalletView } from "./queries";
