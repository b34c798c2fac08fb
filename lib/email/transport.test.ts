import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "../core/env";
import { sendEmail } from "./transport";
import { resetPasswordMessage } from "./templates/reset-password";

afterEach(() => vi.restoreAllMocks());

describe("sendEmail without SMTP_URL", () => {
  it("logs that the email was not sent, with no body, link or address", async () => {
    const lines: string[] = [];
    for (const method of ["log", "info", "warn", "error"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const token = "tokenSecret0123456789abcdefghijklmnopqrstu";
    const to = "owner.of.the.account@example.com";
    const saved = env().SMTP_URL;
    env().SMTP_URL = undefined;
    try {
      await sendEmail(resetPasswordMessage({ to, url: `https://billfold.example.com/reset-password?token=${token}`, minutes: 60 }));
    } finally {
      env().SMTP_URL = saved;
    }
    const logged = lines.join("\n");
    expect(logged).toContain("email_not_sent_smtp_url_unset");
    expect(logged).toContain("Reset your Billfold password"); // the subject says what was not sent
    expect(logged).not.toContain(token);
    expect(logged).not.toContain("reset-password");
    expect(logged).not.toContain("owner.of.the.account");
  });
});
