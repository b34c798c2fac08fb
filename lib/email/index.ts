import "server-only";

// Email, a gateway: the SMTP transport, the outbox (queue in the caller's transaction; the worker
// sends it in batches after the commit, the cron sweep whatever is left), and the templates, which
// take plain data. It imports nothing of the domain.
export { sendEmail, type EmailMessage } from "./transport";
export {
  batchOf,
  deliverQueuedEmails,
  emailLink,
  emailsQueuedIn,
  enqueueEmail,
  outboxPayloads,
  queueEmailToAddress,
  renderPlainEmail,
  sendClaimedEmail,
  type BatchEmailRenderer,
  type ClaimedEmail,
  type EmailBatchResult,
  type EmailRenderer,
  type OutboxEmail,
  type OutboxKind,
} from "./outbox";
export { emailWorkerIdle, holdEmailWorker, wakeEmailWorker } from "./worker";
export { topUpReceiptMessage } from "./templates/receipt";
export { resetPasswordMessage } from "./templates/reset-password";
export { verifyEmailMessage } from "./templates/verify-email";
