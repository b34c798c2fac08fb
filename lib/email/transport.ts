import { createHash } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import type { ReactElement } from "react";
import { env, mailFrom } from "../core/env";
import { log } from "../core/log";
import { renderEmailHtml } from "./render";

export interface EmailMessage {
  to: string;
  subject: string;
  /** The HTML part, written as a React element (templates in lib/email/templates). */
  body: ReactElement;
  /** The plain-text part; every link in the HTML appears here too. */
  text: string;
}

let transport: { url: string; transporter: Transporter } | undefined;

// One pooled SMTP connection per process and SMTP_URL.
function transporter(url: string): Transporter {
  if (transport && transport.url === url) return transport.transporter;
  const created = nodemailer.createTransport(url);
  transport = { url, transporter: created };
  return created;
}

/** Who a log line is about, without the address: the same address gives the same short hash. */
function recipientHash(address: string): string {
  return createHash("sha256").update(address.trim().toLowerCase()).digest("hex").slice(0, 16);
}

/**
 * Sends one email through SMTP (HTML and plain text). Throws when the SMTP server refuses it.
 * Without SMTP_URL (only possible outside production: the start-up guards require it there) the
 * email is dropped and the log says so. Never its body: that holds sign-in and reset links, which
 * anyone who reads the logs could use. `npm run dev` starts a local mail catcher to read them in.
 */
export async function sendEmail(message: EmailMessage): Promise<void> {
  const url = env().SMTP_URL;
  if (!url) {
    log.warn("email_not_sent_smtp_url_unset", { toHash: recipientHash(message.to), subject: message.subject });
    return;
  }
  const html = await renderEmailHtml(message.body);
  const info = await transporter(url).sendMail({ from: mailFrom(), to: message.to, subject: message.subject, html, text: message.text });
  log.info("email_sent", { subject: message.subject, messageId: info.messageId });
}
