import type { EmailMessage } from "../transport";
import { EmailButton, EmailFallbackLink, EmailLayout, EmailText } from "./layout";

/** The receipt for a credited top-up; the full, printable receipt is the in-app page it links to. */
export function topUpReceiptMessage(options: {
  to: string;
  businessName: string;
  amount: string;
  description: string;
  paidOn: string;
  reference: string | null;
  purchaseId: string;
  receiptUrl: string;
}): EmailMessage {
  const subject = `Your receipt from ${options.businessName}: ${options.amount} top-up`;
  const line = `Thank you for your payment to ${options.businessName}. ${options.amount} has been added to your wallet.`;
  const details = [
    `Amount paid: ${options.amount}`,
    `For: ${options.description}`,
    `Date paid: ${options.paidOn}`,
    ...(options.reference ? [`Payment reference: ${options.reference}`] : []),
    `Receipt number: ${options.purchaseId}`,
  ];
  return {
    to: options.to,
    subject,
    body: (
      <EmailLayout title={subject}>
        <EmailText>{line}</EmailText>
        {details.map((detail) => (
          <EmailText key={detail}>{detail}</EmailText>
        ))}
        <EmailButton href={options.receiptUrl}>View receipt</EmailButton>
        <EmailFallbackLink href={options.receiptUrl} />
      </EmailLayout>
    ),
    text: [line, "", ...details, "", `View or print your receipt: ${options.receiptUrl}`].join("\n"),
  };
}
