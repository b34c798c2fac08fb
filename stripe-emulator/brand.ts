// The name the emulated Stripe account shows to people: on invoices, receipts (the statement
// descriptor), invoice PDFs, the portal's return link and the server's greeting. Stripe takes it
// from the account's settings; here it is the `brand` option of startEmulator.

/** Neutral on purpose: an app passes its own name. */
export const DEFAULT_BRAND = "Test account";

/** Stripe prints statement descriptors in capitals, at most 22 characters. */
export function statementDescriptor(brand: string): string {
  return brand.toUpperCase().slice(0, 22);
}

/** What `GET /` answers as `emulator`: "billfold-stripe-emulator" for the brand "Billfold". */
export function emulatorName(brand: string): string {
  const slug = brand.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return slug ? `${slug}-stripe-emulator` : "stripe-emulator";
}
