import { log } from "../core/log";
import { deliverEmailBatch, type BatchEmailRenderer } from "./outbox";
import { withPooledTransport } from "./transport";

// The email worker: sends what the outbox holds, in batches, off the request path. A commit that
// queued emails (a top-up's receipt, a low-balance alert) wakes it and answers at once; a short
// moment later the worker drains the outbox: a burst of wakes becomes one batch, a full batch is
// followed by another, and a wake that came while it was sending starts one more pass. It runs on
// a timer, never inside a request's after(), and requests go first: it yields to the event loop
// between messages, and while wakes keep coming (the process is busy taking the events that queue
// emails) it waits for a quiet moment before each message, at most PAUSE_LIMIT_MS, so a sustained
// burst of webhooks is answered at full speed and its receipts follow it (and trickle meanwhile).
//
// Each row is claimed by one sender (SKIP LOCKED), so several processes, and the cron sweep, may
// drain at once without sending an email twice. Where the process can freeze once it has answered
// (serverless), the worker may not get to run: the cron sweep (POST /api/cron/webhooks/retry) sends
// what it left, with the same batch code (docs/webhooks.md).

/** How long after a wake the worker drains, and how long without a wake counts as quiet: long enough that a burst's wakes share one batch. */
const WAKE_DELAY_MS = 150;
/** The longest the worker waits for a quiet moment before its next message, so emails still go out under sustained load. */
const PAUSE_LIMIT_MS = 1_000;
/** Rows per batch: one claim, one user read, one renderer read, one mark for all of them. */
export const EMAIL_BATCH_SIZE = 50;

interface WorkerState {
  render: BatchEmailRenderer | null;
  timer: NodeJS.Timeout | null;
  draining: Promise<void> | null;
  /** A wake came while draining (its rows may be past the drain's last claim): drain again after. */
  wokenWhileDraining: boolean;
  /** Holders that keep the worker from starting a drain (holdEmailWorker). */
  holds: number;
  /** A drain came due while held: it starts when the last hold is released. */
  dueWhileHeld: boolean;
  idleWaiters: Array<() => void>;
  /** When the last wake came (ms since the epoch). */
  lastWakeAt: number;
}

// One worker per process: Next.js may load this module more than once (one copy per bundle, and
// again on a development reload), and two workers would only compete for the same rows.
const globalForWorker = globalThis as typeof globalThis & { billfoldEmailWorker?: WorkerState };
const worker: WorkerState = (globalForWorker.billfoldEmailWorker ??= {
  render: null,
  timer: null,
  draining: null,
  wokenWhileDraining: false,
  holds: 0,
  dueWhileHeld: false,
  idleWaiters: [],
  lastWakeAt: 0,
});

/**
 * Tells the worker that emails were queued (after the commit that queued them): it drains the
 * outbox shortly, rendering with `render`. Returns at once and never throws; no database work.
 */
export function wakeEmailWorker(render: BatchEmailRenderer): void {
  worker.render = render;
  worker.lastWakeAt = Date.now();
  if (worker.draining) worker.wokenWhileDraining = true;
  else schedule();
}

function schedule(): void {
  if (worker.timer || worker.draining) return;
  worker.timer = setTimeout(startDrain, WAKE_DELAY_MS);
}

function startDrain(): void {
  worker.timer = null;
  if (worker.holds > 0) {
    worker.dueWhileHeld = true;
    return;
  }
  const render = worker.render;
  if (!render) return settleIdle();
  worker.wokenWhileDraining = false;
  worker.draining = drain(render).finally(() => {
    worker.draining = null;
    if (worker.wokenWhileDraining) schedule();
    else settleIdle();
  });
}

/**
 * Sends batch after batch over one pooled connection, until a batch comes back short, or with a
 * failure: failed rows are claimable again at once, and sending them again straight away would only
 * spend their attempts while SMTP is down; the next wake or the cron sweep retries them.
 */
async function drain(render: BatchEmailRenderer): Promise<void> {
  try {
    await withPooledTransport(async (send) => {
      for (;;) {
        const batch = await deliverEmailBatch(render, send, EMAIL_BATCH_SIZE, requestsFirst);
        if (batch.claimed < EMAIL_BATCH_SIZE || batch.failed > 0) return;
      }
    });
  } catch (error) {
    // The database or the transport is down: the rows stay queued for the next wake or the cron sweep.
    log.error("email_worker_drain_failed", { error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Waits, before a message, until no wake has come for WAKE_DELAY_MS (the requests that queue emails
 * have paused), or PAUSE_LIMIT_MS at most; otherwise only yields to the event loop once.
 */
async function requestsFirst(): Promise<void> {
  const giveUpAt = Date.now() + PAUSE_LIMIT_MS;
  for (;;) {
    const quietIn = worker.lastWakeAt + WAKE_DELAY_MS - Date.now();
    if (quietIn <= 0) return new Promise((resolve) => setImmediate(resolve));
    if (Date.now() >= giveUpAt) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(quietIn, giveUpAt - Date.now())));
  }
}

function settleIdle(): void {
  if (worker.timer || worker.draining || worker.dueWhileHeld) return;
  for (const resolve of worker.idleWaiters.splice(0)) resolve();
}

/** Resolves once the worker has nothing scheduled and is not sending (at once when idle). */
export function emailWorkerIdle(): Promise<void> {
  if (!worker.timer && !worker.draining && !worker.dueWhileHeld) return Promise.resolve();
  return new Promise((resolve) => worker.idleWaiters.push(resolve));
}

/**
 * Keeps the worker from starting a drain until the returned release is called, once any drain under
 * way has finished; a drain that comes due meanwhile starts on release. For a test that counts the
 * statements of a piece of work (test/statement-count.ts), which nothing else may send meanwhile.
 */
export async function holdEmailWorker(): Promise<() => void> {
  worker.holds += 1;
  while (worker.draining) await worker.draining;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    worker.holds -= 1;
    if (worker.holds === 0 && worker.dueWhileHeld) {
      worker.dueWhileHeld = false;
      schedule();
    }
  };
}
