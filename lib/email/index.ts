import nodemailer, { type Transporter } from "nodemailer";
import type { ReactElement } from "react";
import { env, mailFrom } from "../env";
import { log } from "../log";
import { renderEmailHtml } from "./render";

export interface EmailMessage {
  to: string;
  subject: string;
  /** The HTML part, written as a React element (templates in lib/email/templates). */
  body: ReactElement;
  /** The plain-text part; every link in the HTML appears here too. */
  text: string;
}

let transport: { url: string | undefined; transporter: Transporter } | undefined;

// One pooled SMTP connection per process and SMTP_URL. Without SMTP_URL (only possible outside
// production: the start-up guards require it there) mail is written to the log instead, so a
// developer running `next dev` by hand still sees the links.
function transporter(): Transporter {
  const url = env().SMTP_URL;
  if (transport && transport.url === url) return transport.transporter;
  const created = url ? nodemailer.createTransport(url) : nodemailer.createTransport({ jsonTransport: true });
  transport = { url, transporter: created };
  return created;
}

/** Sends one email through SMTP (HTML and plain text). Throws when the SMTP server refuses it. */
export async function sendEmail(message: EmailMessage): Promise<void> {
  const html = await renderEmailHtml(message.body);
  const info = await transporter().sendMail({ from: mailFrom(), to: message.to, subject: message.subject, html, text: message.text });
  if (!env().SMTP_URL) {
    log.warn("email_not_sent_smtp_url_unset", { to: message.to, subject: message.subject, text: message.text });
    return;
  }
  log.info("email_sent", { subject: message.subject, messageId: info.messageId });
}
