// Features a plan can unlock. Plans list their keys as data (Plan.features); code only ever asks
// "does this user's effective plan include X?", so moving a feature between plans is a data change.

export const FEATURES = {
  statement_export: "Download wallet statements (CSV)",
  email_support: "Email support",
  priority_support: "Priority support",
} as const;

export type FeatureKey = keyof typeof FEATURES;

export function isFeatureKey(value: string): value is FeatureKey {
  return value in FEATURES;
}
