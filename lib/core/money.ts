// Money is an integer number of minor units with an ISO 4217 code; it is formatted only here, at the edge.
export interface Money {
  amountMinor: number;
  currency: string;
}

// Building an Intl.NumberFormat costs tens of microseconds, and the webhook hot path asks per event.
const minorUnitDigitsByCurrency = new Map<string, number>();

export function minorUnitDigits(currency: string): number {
  let digits = minorUnitDigitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en-GB", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorUnitDigitsByCurrency.set(currency, digits);
  }
  return digits;
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

/**
 * An amount as a person typed or pasted it, reduced to digits the strict parsers read: "£20" → "20",
 * "20,50" → "20.50", "£1,234.56" → "1234.56", "-£5" → "-5", "20 GBP" → "20". Only this currency's
 * own symbol or code is taken off ("$20" stays, and is refused, on a pound form). A comma is a
 * decimal point when the currency has decimals, no point follows and at most that many digits come
 * after it; it is a thousands separator in groups of three before a point (or in a currency without
 * decimals). Anything else is left as it is for the parser to refuse: "1,000" could be either.
 */
export function typedAmountText(input: string, currency: string): string {
  let text = input.trim();
  let sign = "";
  if (text.startsWith("-")) {
    sign = "-";
    text = text.slice(1).trimStart();
  }
  const marks = [...new Set([currencySymbol(currency), narrowCurrencySymbol(currency), currency])].sort((a, b) => b.length - a.length);
  const leading = marks.find((mark) => text.toUpperCase().startsWith(mark.toUpperCase()));
  if (leading) text = text.slice(leading.length).trimStart();
  const trailing = marks.find((mark) => text.toUpperCase().endsWith(mark.toUpperCase()));
  if (trailing) text = text.slice(0, text.length - trailing.length).trimEnd();
  const digits = minorUnitDigits(currency);
  const decimalComma = new RegExp(`^(\\d+),(\\d{1,${Math.max(digits, 1)}})$`).exec(text);
  if (digits > 0 && decimalComma) text = `${decimalComma[1]}.${decimalComma[2]}`;
  else if (/^\d{1,3}(,\d{3})+\.\d+$/.test(text) || (digits === 0 && /^\d{1,3}(,\d{3})+$/.test(text))) text = text.replaceAll(",", "");
  return `${sign}${text}`;
}

function narrowCurrencySymbol(currency: string): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency, currencyDisplay: "narrowSymbol" }).formatToParts(0).find((part) => part.type === "currency")?.value ?? currency;
}

/**
 * The exact decimal of an amount in minor units, for files people import (CSV): -1250 GBP → "-12.50",
 * 5 GBP → "0.05", 500 JPY → "500". Built from the integer's digits, so no float ever touches it.
 */
export function minorToDecimalString(amountMinor: number, currency: string): string {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`${amountMinor} is not a whole number of minor units`);
  const digits = minorUnitDigits(currency);
  const sign = amountMinor < 0 ? "-" : "";
  const text = String(Math.abs(amountMinor)).padStart(digits + 1, "0");
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * The inverse of minorToDecimalString, for amounts people type: "12.50" GBP → 1250, "-0.5" GBP → -50,
 * "500" JPY → 500. Parsed as text, so no float ever holds the money. Null for anything that is not a
 * plain signed decimal with at most the currency's number of decimals, or is too large to be exact.
 */
export function decimalStringToMinor(text: string, currency: string): number | null {
  const match = /^\s*([-+]?)(\d{1,13})(?:\.(\d*))?\s*$/.exec(text);
  if (!match) return null;
  const [, sign = "", whole = "0", fraction = ""] = match;
  const digits = minorUnitDigits(currency);
  if (fraction.length > digits) return null;
  const minor = Number(`${whole}${fraction.padEnd(digits, "0")}`);
  if (!Number.isSafeInteger(minor)) return null;
  return sign === "-" && minor !== 0 ? -minor : minor;
}
