import { SMTPServer } from "smtp-server";
import { onCleanup } from "./cleanup";

// A light SMTP server in the benchmark's own process, for Billfold's SMTP_URL, so the run includes
// rendering and sending every receipt (without one, receipts are dropped unrendered). It keeps no
// message: it counts the receipts by the purchase each one names (the receipt links to
// /wallet/receipts/<purchase id>), for the money check's "exactly one receipt per paid top-up".

export interface SmtpSink {
  url: string;
  /** Messages accepted, any kind. */
  messages(): number;
  /** How many receipts named each purchase id. */
  receiptsByPurchase(): ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

const RECEIPT_LINK = /\/wallet\/receipts\/([a-z0-9]+)/g;

export async function startSmtpSink(): Promise<SmtpSink> {
  let messages = 0;
  const receipts = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        messages += 1;
        // Quoted-printable bodies wrap long lines with a soft break ("=" at the end of the line).
        const raw = Buffer.concat(chunks).toString("latin1").replace(/=\r?\n/g, "");
        // The link appears in the text and the HTML part: one receipt, counted once.
        for (const purchaseId of new Set(Array.from(raw.matchAll(RECEIPT_LINK), (match) => match[1] ?? ""))) {
          receipts.set(purchaseId, (receipts.get(purchaseId) ?? 0) + 1);
        }
        callback();
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  onCleanup("stop the SMTP sink", stop);
  return { url: `smtp://127.0.0.1:${port}`, messages: () => messages, receiptsByPurchase: () => receipts, stop };
}
