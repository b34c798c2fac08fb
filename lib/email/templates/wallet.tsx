import type { EmailMessage } from "../transport";
import { EmailButton, EmailFallbackLink, EmailLayout, EmailText } from "./layout";

/** One paragraph and one button, in HTML and in plain text: what both wallet notices are. */
function walletNotice(options: { to: string; subject: string; line: string; button: string; url: string; textLead: string }): EmailMessage {
  return {
    to: options.to,
    subject: options.subject,
    body: (
      <EmailLayout title={options.subject}>
        <EmailText>{options.line}</EmailText>
        <EmailButton href={options.url}>{options.button}</EmailButton>
        <EmailFallbackLink href={options.url} />
      </EmailLayout>
    ),
    text: [options.line, "", `${options.textLead}${options.url}`].join("\n"),
  };
}

/** Sent once per downward crossing of the user's low-balance threshold. */
export function lowBalanceMessage(options: { to: string; available: string; threshold: string; walletUrl: string }): EmailMessage {
  return walletNotice({
    to: options.to,
    subject: `Your Billfold balance is below ${options.threshold}`,
    line: `You have ${options.available} left to spend, below the ${options.threshold} alert you set. Top up, or turn on auto-recharge, to keep going.`,
    button: "Open my wallet",
    url: options.walletUrl,
    textLead: "",
  });
}

/** Auto-recharge could not charge the saved card and has been switched off. */
export function rechargeFailedMessage(options: { to: string; amount: string; reason: string; fixUrl: string }): EmailMessage {
  return walletNotice({
    to: options.to,
    subject: "Auto-recharge is off: we couldn't charge your card",
    line: `We tried to add ${options.amount} to your Billfold wallet and the card was not charged. ${options.reason} Auto-recharge is switched off until you fix it.`,
    button: "Fix auto-recharge",
    url: options.fixUrl,
    textLead: "Fix it here: ",
  });
}
