/** The calendar month (UTC) a USAGE debit or a recharge counts towards, and when its cap resets. */
export function usagePeriod(now: Date): { start: Date; resetsAt: Date } {
  return {
    start: usagePeriodStart(now),
    resetsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  };
}

export function usagePeriodStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}
