// Minimal HTML helpers for the hosted pages: escaping, money formatting, layout.

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Minor units → display string; Intl knows zero-decimal currencies (JPY) from the code. */
export function formatMoney(amountMinor: number, currency: string): string {
  const code = currency.toUpperCase();
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat("en", { style: "currency", currency: code }).format(amountMinor / 10 ** digits);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/**
 * Unix seconds → "05 Sep 2027" in UTC, the way Stripe writes dates in proration descriptions
 * (fixed English abbreviations: ICU's en-GB would say "Sept").
 */
export function formatDate(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  return `${String(date.getUTCDate()).padStart(2, "0")} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 34rem; margin: 2rem auto; padding: 0 1rem; color: #1a1f36; }
  .banner { background: #fff4e5; border: 1px solid #f5c27a; padding: .5rem .75rem; border-radius: 6px; font-size: .85rem; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
  td, th { padding: .4rem 0; text-align: left; border-bottom: 1px solid #e3e8ee; }
  td.amount, th.amount { text-align: right; }
  label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
  input[type=text], input[type=email] { width: 100%; padding: .5rem; font-size: 1rem; box-sizing: border-box; }
  fieldset { margin: 1rem 0; border: 1px solid #e3e8ee; border-radius: 6px; }
  fieldset label { display: inline; font-weight: normal; margin: 0 .75rem 0 .25rem; }
  button, a.button { display: inline-block; margin-top: 1rem; padding: .6rem 1.2rem; font-size: 1rem; border-radius: 6px; border: 0; background: #635bff; color: white; cursor: pointer; text-decoration: none; }
  a.secondary, button.secondary { background: #e3e8ee; color: #1a1f36; }
  [role=alert] { color: #df1b41; margin-top: 1rem; min-height: 1.2em; }
  .muted { color: #697386; font-size: .9rem; }
</style>
</head>
<body>
<p class="banner">Local Stripe emulator: test mode, no real money moves.</p>
${body}
</body>
</html>`;
}
