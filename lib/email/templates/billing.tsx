import type { EmailMessage } from "../transport";
import { EmailButton, EmailFallbackLink, EmailLayout, EmailText } from "./layout";

export function paymentFailedMessage(options: {
  to: string;
  planName: string;
  amountDue: string;
  nextAttempt: string | null;
  fixUrl: string;
  invoiceUrl: string | null;
}): EmailMessage {
  const subject = `Your ${options.planName} payment failed`;
  const retry = options.nextAttempt ? `We will try the card again on ${options.nextAttempt}.` : "We will not try this card again.";
  return {
    to: options.to,
    subject,
    body: (
      <EmailLayout title={subject}>
        <EmailText>
          We couldn&apos;t collect {options.amountDue} for your Billfold {options.planName} plan. {retry} Update your card to keep your plan.
        </EmailText>
        <EmailButton href={options.fixUrl}>Update my card</EmailButton>
        <EmailFallbackLink href={options.fixUrl} />
        {options.invoiceUrl && <EmailText>The invoice: <a href={options.invoiceUrl}>{options.invoiceUrl}</a></EmailText>}
      </EmailLayout>
    ),
    text: [
      `We couldn't collect ${options.amountDue} for your Billfold ${options.planName} plan. ${retry} Update your card to keep your plan:`,
      "",
      options.fixUrl,
      ...(options.invoiceUrl ? ["", `The invoice: ${options.invoiceUrl}`] : []),
    ].join("\n"),
  };
}

/** `nowPlanName`: the plan the person is on once an immediate end has taken effect. */
export function subscriptionCanceledMessage(options: { to: string; planName: string; nowPlanName: string; endsOn: string; immediate: boolean; billingUrl: string }): EmailMessage {
  const subject = options.immediate ? `Your ${options.planName} plan has ended` : `Your ${options.planName} plan cancels on ${options.endsOn}`;
  const line = options.immediate
    ? `Your Billfold ${options.planName} plan ended on ${options.endsOn}. You are on the ${options.nowPlanName} plan now; your wallet balance is untouched.`
    : `Your Billfold ${options.planName} plan is canceled and ends on ${options.endsOn}. You keep it until then, and you can resume it any time before.`;
  return {
    to: options.to,
    subject,
    body: (
      <EmailLayout title={subject}>
        <EmailText>{line}</EmailText>
        <EmailButton href={options.billingUrl}>Open billing</EmailButton>
        <EmailFallbackLink href={options.billingUrl} />
      </EmailLayout>
    ),
    text: [line, "", options.billingUrl].join("\n"),
  };
}

export function renewalReceiptMessage(options: {
  to: string;
  planName: string;
  amountPaid: string;
  invoiceNumber: string | null;
  creditGranted: string | null;
  invoiceUrl: string | null;
  billingUrl: string;
}): EmailMessage {
  const subject = `Receipt for your Billfold ${options.planName} plan`;
  const line = `We received ${options.amountPaid} for your ${options.planName} plan${options.invoiceNumber ? ` (invoice ${options.invoiceNumber})` : ""}.`;
  const credit = options.creditGranted ? `${options.creditGranted} of credit has been added to your wallet.` : null;
  const link = options.invoiceUrl ?? options.billingUrl;
  return {
    to: options.to,
    subject,
    body: (
      <EmailLayout title={subject}>
        <EmailText>{line}</EmailText>
        {credit && <EmailText>{credit}</EmailText>}
        <EmailButton href={link}>View invoice</EmailButton>
        <EmailFallbackLink href={link} />
      </EmailLayout>
    ),
    text: [line, ...(credit ? [credit] : []), "", `View invoice: ${link}`].join("\n"),
  };
}
