import { renderPlainEmail, emailLink, outboxPayloads, resetPasswordMessage, verifyEmailMessage, type EmailRenderer } from "../email";
import { issueToken, TOKEN_LIFETIME_MS } from "./tokens";

// The account emails whose link carries a token. The token is issued when the email is sent, so no
// token is ever stored in plain text (the outbox row holds only where the link leads).

/** Renders the account emails; any other kind as lib/email renders it. */
export const renderAccountEmail: EmailRenderer = async (kind, rawPayload, user) => {
  const to = user.email;
  switch (kind) {
    case "verify_email": {
      const p = outboxPayloads.verify_email.parse(rawPayload);
      const token = await issueToken(user.id, "verify_email");
      return verifyEmailMessage({ to, url: emailLink("/verify-email", { token, callbackUrl: p.callbackUrl }), hours: TOKEN_LIFETIME_MS.verify_email / 3_600_000 });
    }
    case "reset_password": {
      const token = await issueToken(user.id, "reset_password");
      return resetPasswordMessage({ to, url: emailLink("/reset-password", { token }), minutes: TOKEN_LIFETIME_MS.reset_password / 60_000 });
    }
    default:
      return renderPlainEmail(kind, rawPayload, user);
  }
};
