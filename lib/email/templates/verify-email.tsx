import type { EmailMessage } from "../transport";
import { EmailButton, EmailFallbackLink, EmailLayout, EmailText } from "./layout";

const SUBJECT = "Verify your email for Billfold";

export function verifyEmailMessage({ to, url, hours }: { to: string; url: string; hours: number }): EmailMessage {
  return {
    to,
    subject: SUBJECT,
    body: (
      <EmailLayout title={SUBJECT}>
        <EmailText>Confirm that {to} is your address to finish setting up your Billfold account.</EmailText>
        <EmailButton href={url}>Verify my email</EmailButton>
        <EmailFallbackLink href={url} />
        <EmailText>The link works once and expires in {hours} hours. If you did not sign up, ignore this email.</EmailText>
      </EmailLayout>
    ),
    text: [
      `Confirm that ${to} is your address to finish setting up your Billfold account:`,
      "",
      url,
      "",
      `The link works once and expires in ${hours} hours. If you did not sign up, ignore this email.`,
    ].join("\n"),
  };
}
