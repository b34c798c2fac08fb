// A local SMTP server with a web inbox (maildev), started by `npm run dev` and the e2e server when
// SMTP_URL is unset, so sign-up and password-reset emails can be read without a real mail provider.
import { mkdirSync } from "node:fs";
import { MailDev } from "maildev";
import { z } from "zod";

export interface MailCatcher {
  /** What the app gets as SMTP_URL. */
  smtpUrl: string;
  /** The web inbox; its REST API is under /api (GET /api/email lists every message). */
  webUrl: string;
  stop(): Promise<void>;
}

export async function startMailCatcher(options: { smtpPort: number; webPort: number; mailDirectory: string }): Promise<MailCatcher> {
  mkdirSync(options.mailDirectory, { recursive: true });
  // Bound to loopback only: the inbox holds password-reset links.
  const maildev = new MailDev({
    smtp: options.smtpPort,
    web: options.webPort,
    ip: "127.0.0.1",
    webIp: "127.0.0.1",
    mailDirectory: options.mailDirectory,
    maxEmails: 1000,
    silent: true,
  });
  await maildev.start();
  return {
    smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`,
    webUrl: `http://127.0.0.1:${options.webPort}`,
    stop: () => maildev.stop(),
  };
}

/** Ports from MAILDEV_SMTP_PORT / MAILDEV_WEB_PORT (maildev's own variable names), defaults 1025 / 1080. */
export function mailCatcherPorts(source: NodeJS.ProcessEnv = process.env): { smtpPort: number; webPort: number } {
  return { smtpPort: Number(source.MAILDEV_SMTP_PORT || 1025), webPort: Number(source.MAILDEV_WEB_PORT || 1080) };
}

export interface CaughtEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

const caughtSchema = z.array(
  z.object({
    to: z.array(z.object({ address: z.string() })),
    subject: z.string(),
    text: z.string().default(""),
    html: z.string().default(""),
  }),
);

/** Every email the catcher holds for `to` (oldest first), read through its REST API. */
export async function readInbox(webUrl: string, to: string): Promise<CaughtEmail[]> {
  const response = await fetch(`${webUrl}/api/email`);
  if (!response.ok) throw new Error(`mail catcher answered ${response.status}`);
  const wanted = to.toLowerCase();
  return caughtSchema
    .parse(await response.json())
    .map((email) => ({ ...email, to: email.to.map((recipient) => recipient.address.toLowerCase()) }))
    .filter((email) => email.to.includes(wanted));
}

/** The first link in an email's text part whose path is `path` (e.g. "/verify-email"). */
export function linkIn(email: CaughtEmail, path: string): URL {
  for (const match of email.text.matchAll(/https?:\/\/\S+/g)) {
    const url = new URL(match[0]);
    if (url.pathname === path) return url;
  }
  throw new Error(`no ${path} link in "${email.subject}"`);
}
