import "server-only";

// The admin console's use-cases: the ledger, grants, refunds, users and the webhook inbox as an
// admin sees them, each change audited.
export { AUDIT_PAGE_SIZE, type AuditActor, recordAdminAction } from "./audit";
export { AUDIT_ACTION_LABELS, getAuditLog } from "./audit-view";
export { getAdminOverview } from "./queries";
export { ADMIN_ENTRY_FORM_FIELDS, ADMIN_ENTRY_PAGE_SIZE, type AdminEntryFilter, type AdminEntryFormValues, parseAdminEntryForm, adminEntryFilterParams, adminEntryFilterSchema, adminEntryListQuerySchema } from "./entry-filters";
export { listAdminEntries } from "./entry-query";
export { getAdminEntryTotals } from "./entry-totals";
export { exportAdminEntriesCsv } from "./entry-export";
export { getRefundStates, getRefundTarget, refundTopUp } from "./refunds";
export { RECENT_ENTRIES, USERS_PAGE_SIZE, getAdminUserDetail, searchUsers } from "./users";
export { WEBHOOK_EVENT_MAX_PAGE_SIZE, WEBHOOK_EVENT_PAGE_SIZE, type WebhookEventFilter, getWebhookEventStats, getWebhookEventWithPayload, listWebhookEvents, parseWebhookEventSearch, webhookEventFilterSchema } from "./webhook-events";
export { decodeCursor } from "./cursor";
export { adjustWallet, parseAdjustmentAmount } from "./adjustments";
export { endOfUtcDay, issuePromotionalGrant, voidPromotionalGrant } from "./grants";
export { BULK_REPLAY_LIMIT, countBulkReplayable, replayFailedWebhookEvents, replayWebhookEvent, type BulkReplayResult, type ReplayResult } from "./webhook-replay";
