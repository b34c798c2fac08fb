import type { EmailMessage } from "../transport";
import { EmailButton, EmailFallbackLink, EmailLayout, EmailText } from "./layout";

const SUBJECT = "Reset your Billfold password";

export function resetPasswordMessage({ to, url, minutes }: { to: string; url: string; minutes: number }): EmailMessage {
  return {
    to,
    subject: SUBJECT,
    body: (
      <EmailLayout title={SUBJECT}>
        <EmailText>Someone asked to reset the password of the Billfold account for {to}.</EmailText>
        <EmailButton href={url}>Choose a new password</EmailButton>
        <EmailFallbackLink href={url} />
        <EmailText>The link works once and expires in {minutes} minutes. If it was not you, ignore this email: your password stays as it is.</EmailText>
      </EmailLayout>
    ),
    text: [
      `Someone asked to reset the password of the Billfold account for ${to}. Choose a new password here:`,
      "",
      url,
      "",
      `The link works once and expires in ${minutes} minutes. If it was not you, ignore this email: your password stays as it is.`,
    ].join("\n"),
  };
}
