import "server-only";

export { isClean, reconcile, type Discrepancy, type ReconcileRange, type ReconciliationReport } from "./reconcile";
export { backfillEvents, rangeTarget, SYSTEM_ACTOR, type BackfillCounts } from "./backfill";
export { RECONCILED_TYPES, type ReconciledType } from "./expectations";
export { lastDays, reconcileRangeSchema, toFormValue } from "./range";
