import type { EmailMessage } from "../transport";
import { EmailButton, EmailLayout, EmailText } from "./layout";

const SUBJECT = "Someone tried to sign up to Billfold with your email";

// Sent instead of a verification link when the address already has an account, so the sign-up
// form can answer the same whether or not the email exists.
export function signUpAttemptMessage({ to, signInUrl, resetUrl }: { to: string; signInUrl: string; resetUrl: string }): EmailMessage {
  return {
    to,
    subject: SUBJECT,
    body: (
      <EmailLayout title={SUBJECT}>
        <EmailText>Someone tried to create a Billfold account for {to}, but you already have one.</EmailText>
        <EmailButton href={signInUrl}>Sign in</EmailButton>
        <EmailText>
          Forgot your password? <a href={resetUrl}>Reset it here</a>. If this was not you, ignore this email; nothing has changed.
        </EmailText>
      </EmailLayout>
    ),
    text: [
      `Someone tried to create a Billfold account for ${to}, but you already have one.`,
      "",
      `Sign in: ${signInUrl}`,
      `Forgot your password? Reset it: ${resetUrl}`,
      "",
      "If this was not you, ignore this email; nothing has changed.",
    ].join("\n"),
  };
}
