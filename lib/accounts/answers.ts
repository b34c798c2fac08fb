import { TOKEN_LIFETIME_MS } from "./tokens";

// What a person is told after asking for an email. Sign-up and the reset request say the same
// whether or not the address has an account; the email itself tells its owner which case it was.
// The address is echoed as typed, so the person recognises what they entered.

export interface AccountAnswer {
  message: string;
}

export function signUpAnswer(email: string): AccountAnswer {
  return { message: `We've sent a link to ${email}. Open it to confirm your address, then sign in.` };
}

export function passwordResetAnswer(email: string): AccountAnswer {
  const hours = TOKEN_LIFETIME_MS.reset_password / 3_600_000;
  return { message: `If ${email} has a Billfold account, we've sent it a link to choose a new password. The link works for ${hours} ${hours === 1 ? "hour" : "hours"}.` };
}

export function verificationResentAnswer(email: string): AccountAnswer {
  return { message: `We've sent a new link to ${email}.` };
}
