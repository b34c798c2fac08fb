import "server-only";

export { addressLinesOf, businessDetails, formatRate, vatIncluded, type BusinessDetails, type VatBreakdown } from "./business";
export { receiptDetailsOf, recordChargeReceipt, type ChargeReceiptDetails } from "./charge-details";
export { cardBrandName, paymentMethodLabel, queueTopUpReceipt, receiptPath, topUpLabel, topUpReceiptKey, TOPUP_RECEIPT_KIND } from "../purchases";
export { deliverQueuedEmails, renderOutboxBatch, wakeEmailWorker } from "./emails";
export { afterPaymentNotes, getReceipt, type Receipt, type ReceiptOptions } from "./receipts";
