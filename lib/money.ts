// Money is an integer number of minor units with an ISO 4217 code; it is formatted only here, at the edge.
export interface Money {
  amountMinor: number;
  currency: string;
}

export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(amountMinor: number, currency: string, locale = "en-GB"): string {
  const digits = minorUnitDigits(currency);
  // Dividing an integer by a power of ten only for display; never stored or summed.
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amountMinor / 10 ** digits);
}

/** The currency's symbol as people write it next to an amount ("£" for GBP), for labels such as "Amount (£)". */
export function currencySymbol(currency: string, locale = "en-GB"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).formatToParts(0).find((part) => part.type === "currency")?.value ?? currency;
}
