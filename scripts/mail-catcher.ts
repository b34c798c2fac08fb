// A local SMTP server with a web inbox (maildev), started by `npm run dev` and the e2e server when
// SMTP_URL is unset, so sign-up and password-reset emails can be read without a real mail provider.
import { mkdirSync } from "node:fs";
import { MailDev } from "maildev";

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
