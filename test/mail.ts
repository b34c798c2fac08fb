// Vitest helper: a real mail catcher on free ports, wired into the app's SMTP_URL for one test file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { env } from "../lib/core/env";
import { freePort } from "../scripts/free-port";
import { startMailCatcher, type MailCatcher } from "../scripts/mail-catcher";
import { readInbox, type CaughtEmail } from "../scripts/mail-inbox";

export async function startTestMailCatcher(): Promise<MailCatcher> {
  const mailDirectory = mkdtempSync(path.join(tmpdir(), "billfold-mail-"));
  const catcher = await startMailCatcher({ smtpPort: await freePort(), webPort: await freePort(), mailDirectory });
  env().SMTP_URL = catcher.smtpUrl;
  return {
    ...catcher,
    async stop() {
      await catcher.stop();
      rmSync(mailDirectory, { recursive: true, force: true });
    },
  };
}

/** The catcher's inbox for `to` once it holds `count` emails (or after about 5 s, whatever it holds then). */
export async function waitForInbox(catcher: Pick<MailCatcher, "webUrl">, to: string, count: number): Promise<CaughtEmail[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const mail = await readInbox(catcher.webUrl, to);
    if (mail.length >= count) return mail;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return readInbox(catcher.webUrl, to);
}
