import { createHash } from "node:crypto";
import net from "node:net";
import nodemailer, { type Transporter } from "nodemailer";
import { parseConnectionUrl } from "nodemailer/lib/shared";
import type SMTPConnection from "nodemailer/lib/smtp-connection";
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

// One transport per process and SMTP_URL, for the emails sent one at a time (the account emails).
function transporter(url: string): Transporter {
  if (transport && transport.url === url) return transport.transporter;
  const created = nodemailer.createTransport(transportOptions(url));
  transport = { url, transporter: created };
  return created;
}

/** SMTP_URL's settings, with every connection opened by connectWithoutDelay. */
function transportOptions(url: string) {
  return { ...parseConnectionUrl(url), getSocket: connectWithoutDelay };
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Opens the SMTP server's TCP connection with Nagle's algorithm off (nodemailer leaves it on).
 * Nodemailer writes a message in several small chunks, and with Nagle on each waits for the
 * server's delayed ACK: about 45 ms per message on a local SMTP server, where it takes 3 ms with it
 * off. TLS (implicit or STARTTLS) is set up on this socket by nodemailer as before. If it cannot
 * connect, nodemailer is left to connect itself (`false`), so the failure takes nodemailer's own
 * path: an error handed back here would leave a dead slot in its pool.
 */
function connectWithoutDelay(options: SMTPConnection.Options, callback: (error: Error | null, socket: { connection: net.Socket } | false) => void): void {
  const port = Number(options.port) || (options.secure ? 465 : 587); // nodemailer's defaults
  const socket = net.connect({ host: options.host ?? "localhost", port, noDelay: true });
  socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error("SMTP connection timeout")));
  const failed = () => callback(null, false);
  socket.once("error", failed);
  socket.once("connect", () => {
    socket.setTimeout(0);
    socket.off("error", failed);
    callback(null, { connection: socket });
  });
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
  if (!url) return dropEmail(message);
  await sendThrough(transporter(url), message);
}

/** Sends one message of a batch; throws when the SMTP server refuses it. */
export type BatchSender = (message: EmailMessage) => Promise<void>;

/**
 * Runs `work` with a sender on a pooled SMTP transport (nodemailer `pool: true`), so a batch of
 * emails goes over one connection instead of a new one per message, and closes the pool after it:
 * nothing stays connected between batches (an idle socket would keep a script or a test alive).
 */
export async function withPooledTransport<T>(work: (send: BatchSender) => Promise<T>): Promise<T> {
  const url = env().SMTP_URL;
  if (!url) return work(async (message) => dropEmail(message));
  const pool = nodemailer.createTransport({ ...transportOptions(url), pool: true });
  try {
    return await work((message) => sendThrough(pool, message));
  } finally {
    pool.close();
  }
}

function dropEmail(message: EmailMessage): void {
  log.warn("email_not_sent_smtp_url_unset", { toHash: recipientHash(message.to), subject: message.subject });
}

async function sendThrough(through: Transporter, message: EmailMessage): Promise<void> {
  const html = await renderEmailHtml(message.body);
  const info = await through.sendMail({ from: mailFrom(), to: message.to, subject: message.subject, html, text: message.text });
  log.info("email_sent", { subject: message.subject, messageId: info.messageId });
}
