// Hosted invoice page and invoice PDF: every finalized invoice links to both, through the real SDK.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../index";
import { postForm, startTestEmulator } from "../testing";

let emulator: RunningEmulator;
let stripe: Stripe;

beforeAll(async () => {
  ({ emulator, stripe } = await startTestEmulator());
});
afterAll(async () => {
  await emulator.close();
});

async function openInvoice(amount: number, currency = "usd"): Promise<Stripe.Invoice> {
  const customer = await stripe.customers.create({ email: "invoice-page@example.com" });
  await stripe.invoiceItems.create({ customer: customer.id, amount, currency, description: "Consulting" });
  const draft = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: "include" });
  return stripe.invoices.finalizeInvoice(draft.id);
}

/** Checks the PDF's structure by hand: header, every xref offset pointing at its object, startxref at `xref`. */
function expectWellFormedPdf(bytes: Buffer): void {
  const text = bytes.toString("latin1");
  expect(text.startsWith("%PDF-1.4\n")).toBe(true);
  expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(text)?.[1]);
  expect(text.slice(startxref, startxref + 4)).toBe("xref");
  const header = /xref\n0 (\d+)\n/.exec(text.slice(startxref));
  const count = Number(header?.[1]);
  expect(count).toBeGreaterThan(1);
  const entriesStart = startxref + (header?.[0].length ?? 0);
  for (let index = 1; index < count; index++) {
    const entry = text.slice(entriesStart + index * 20, entriesStart + (index + 1) * 20);
    expect(entry).toMatch(/^\d{10} 00000 n\r\n$/);
    const offset = Number(entry.slice(0, 10));
    expect(text.slice(offset, offset + `${index} 0 obj`.length)).toBe(`${index} 0 obj`);
  }
  const length = Number(/<< \/Length (\d+) >>\nstream\n/.exec(text)?.[1]);
  const streamStart = text.indexOf("stream\n") + "stream\n".length;
  expect(text.slice(streamStart + length, streamStart + length + "\nendstream".length)).toBe("\nendstream");
}

describe("hosted invoice page and PDF", () => {
  it("gives a finalized invoice a hosted page with its number, lines, total and status", async () => {
    const invoice = await openInvoice(2550); // $25.50
    expect(invoice.hosted_invoice_url).toBe(`${emulator.url}/invoices/${invoice.id}`);
    expect(invoice.invoice_pdf).toBe(`${emulator.url}/invoices/${invoice.id}/pdf`);
    const response = await fetch(invoice.hosted_invoice_url ?? "");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain(`Invoice ${invoice.number}`);
    expect(html).toContain("Consulting");
    expect(html).toContain("$25.50");
    expect(html).toMatch(/data-testid="invoice-status">open</);
    expect(html).toContain("Pay $25.50");
  });

  it("serves a valid PDF with the invoice's number and total", async () => {
    const invoice = await openInvoice(123456, "eur"); // €1,234.56
    const response = await fetch(invoice.invoice_pdf ?? "");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(Number(response.headers.get("content-length"))).toBe(bytes.length);
    expectWellFormedPdf(bytes);
    const text = bytes.toString("latin1");
    expect(text).toContain(`(Invoice ${invoice.number}) Tj`);
    expect(text).toContain("Total: ?1,234.56"); // the euro sign is outside the PDF's ASCII subset
  });

  it("has no page for a draft, and 404s unknown invoices", async () => {
    const customer = await stripe.customers.create({ email: "draft@example.com" });
    const draft = await stripe.invoices.create({ customer: customer.id });
    expect(draft.hosted_invoice_url).toBeNull();
    expect((await fetch(`${emulator.url}/invoices/${draft.id}`)).status).toBe(404);
    expect((await fetch(`${emulator.url}/invoices/in_missing/pdf`)).status).toBe(404);
  });

  it("pays an open invoice on the page: a declined card leaves it open, a good card pays it", async () => {
    const invoice = await openInvoice(900); // $9.00
    const declined = await postForm(`${invoice.hosted_invoice_url}/pay`, { card_number: "4000 0000 0000 0002" });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("Your card was declined.");
    expect((await stripe.invoices.retrieve(invoice.id)).status).toBe("open");
    const paid = await postForm(`${invoice.hosted_invoice_url}/pay`, { card_number: "4242 4242 4242 4242" });
    expect(paid.status).toBe(200);
    const after = await stripe.invoices.retrieve(invoice.id);
    expect(after.status).toBe("paid");
    expect(after.amount_paid).toBe(900);
    const events = await stripe.events.list({ type: "invoice.paid", limit: 5 });
    expect(events.data.some((event) => event.type === "invoice.paid" && event.data.object.id === invoice.id)).toBe(true);
    const page = await (await fetch(invoice.hosted_invoice_url ?? "")).text();
    expect(page).toMatch(/data-testid="invoice-status">paid</);
    expect(page).not.toContain("Pay $9.00");
  });
});
