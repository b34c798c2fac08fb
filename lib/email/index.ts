import "server-only";

// Email, a gateway: the SMTP transport, the outbox (queue in the caller's transaction, send after
// the commit), and the templates, which take plain data. It imports nothing of the domain.
export { sendEmail, type EmailMessage } from "./transport";
export {
  deliverQueuedEmails,
  emailLink,
  emailsQueuedIn,
  enqueueEmail,
  outboxPayloads,
  queueEmailToAddress,
  renderPlainEmail,
  sendClaimedEmail,
  sendQueuedEmailsNow,
  type EmailRenderer,
  type OutboxEmail,
  type OutboxKind,
} from "./outbox";
export { topUpReceiptMessage } from "./templates/receipt";
export { resetPasswordMessage } from "./templates/reset-password";
export { verifyEmailMessage } from "./templates/verify-email";
