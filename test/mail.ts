// Vitest helper: a real mail catcher on free ports, wired into the app's SMTP_URL for one test file.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { env } from "../lib/env";
import { startMailCatcher, type MailCatcher } from "../scripts/mail-catcher";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

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
