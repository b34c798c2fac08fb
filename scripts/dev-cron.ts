// `npm run dev`'s stand-in for production's cron (vercel.json): calls the app's own cron routes on a
// timer with the CRON_SECRET bearer, so failed and unmatched events are retried on their schedule,
// queued emails are sent, and grants and reservations expire locally. It calls the routes over HTTP rather
// than the lib functions in this process so that it runs exactly what production's cron runs, in the
// app's process with the app's environment (its Stripe client, its mail transport, its database pool).

/** The routes production's scheduler calls (vercel.json), in the order they run on each tick. */
export const CRON_PATHS = ["/api/cron/webhooks/retry", "/api/cron/credits"] as const;

/** Production's cron runs every minute; a shorter default makes a local retry visible sooner. */
export const DEFAULT_DEV_CRON_INTERVAL_MS = 30_000;

export interface DevCronOptions {
  appUrl: string;
  cronSecret: string;
  intervalMs: number;
  /** Called with a line per run that did something, or that failed; console.log by default. */
  log?: (line: string) => void;
}

export interface DevCron {
  /** Runs every route once now (as a tick does) and resolves when they have answered. */
  runOnce(): Promise<void>;
  stop(): void;
}

/** Reads BILLFOLD_DEV_CRON_INTERVAL_SECONDS: a whole number of seconds, 0 to switch the timer off. */
export function devCronIntervalMs(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return DEFAULT_DEV_CRON_INTERVAL_MS;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new Error(`BILLFOLD_DEV_CRON_INTERVAL_SECONDS must be a whole number of seconds (0 switches the sweeps off), not "${value}".`);
  }
  return seconds * 1000;
}

export function startDevCron({ appUrl, cronSecret, intervalMs, log = console.log }: DevCronOptions): DevCron {
  let running: Promise<void> | null = null;

  async function callRoute(path: string) {
    try {
      const response = await fetch(new URL(path, appUrl), { method: "POST", headers: { authorization: `Bearer ${cronSecret}` } });
      const body = await response.text();
      // Quiet while there is nothing to do; a run that moved something, or failed, is worth a line.
      if (!response.ok) log(`[dev cron] ${path} answered ${response.status}: ${body.slice(0, 300)}`);
      else if (didSomething(body)) log(`[dev cron] ${path}: ${body}`);
    } catch (error) {
      // The app may still be compiling or restarting; the next tick tries again.
      log(`[dev cron] ${path} could not be reached (${error instanceof Error ? error.message : String(error)}); trying again in ${intervalMs / 1000} s`);
    }
  }

  function runOnce(): Promise<void> {
    // A slow run (Next compiling a route on first call) is not overlapped by the next tick.
    running ??= (async () => {
      for (const path of CRON_PATHS) await callRoute(path);
    })().finally(() => (running = null));
    return running;
  }

  const timer = intervalMs > 0 ? setInterval(() => void runOnce(), intervalMs) : null;
  timer?.unref();
  return { runOnce, stop: () => (timer ? clearInterval(timer) : undefined) };
}

/** True when a sweep's JSON answer has any count above zero. */
function didSomething(body: string): boolean {
  const hasPositive = (value: unknown): boolean =>
    typeof value === "number" ? value > 0 : typeof value === "object" && value !== null && Object.values(value).some(hasPositive);
  try {
    return hasPositive(JSON.parse(body));
  } catch {
    return true;
  }
}
