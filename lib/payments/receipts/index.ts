export { addressLinesOf, businessDetails, formatRate, vatIncluded, type BusinessDetails, type VatBreakdown } from "./business";
export { receiptDetailsOf, recordChargeReceipt, type ChargeReceiptDetails } from "./charge-details";
export { cardBrandName, paymentMethodLabel, receiptPath, topUpLabel } from "../purchases/labels";
export { queueTopUpReceipt, topUpReceiptKey, TOPUP_RECEIPT_KIND } from "../purchases/receipt-email";
export { afterPaymentNotes, getReceipt, type Receipt, type ReceiptOptions } from "./receipts";
