import type { ServiceContext } from "./context";
import type { Worker } from "./features";

/** The pg-boss queue of the service's housekeeping. */
export const MAINTENANCE_QUEUE = "xpay-maintenance";
/** Hourly, at minute 17 (a cron that pg-boss runs once across every instance). */
export const MAINTENANCE_CRON = "17 * * * *";
/** Idempotency keys are kept at least this long (Stripe keeps them 24 hours). */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
/** Processed callbacks are kept this long for audit and replay, then pruned. */
export const CALLBACK_RETENTION_DAYS = 30;
/** Callbacks rejected as unreadable ("malformed": nothing to audit or replay) go after this long instead. */
export const MALFORMED_CALLBACK_RETENTION_HOURS = 1;

/** One housekeeping pass: prunes expired idempotency keys and old processed callbacks. Answers what it removed. */
export async function runMaintenance(ctx: Pick<ServiceContext, "db">): Promise<{ idempotencyKeys: number; callbacks: number }> {
  const keys = await ctx.db.query(
    "delete from idempotency_keys where created_at < now() - make_interval(hours => $1) and status_code is not null returning key",
    [IDEMPOTENCY_KEY_TTL_HOURS],
  );
  const callbacks = await ctx.db.query(
    `delete from callbacks where state in ('applied', 'rejected') and (processed_at < now() - make_interval(days => $1)
       or (state = 'rejected' and outcome = 'malformed' and processed_at < now() - make_interval(hours => $2))) returning id`,
    [CALLBACK_RETENTION_DAYS, MALFORMED_CALLBACK_RETENTION_HOURS],
  );
  return { idempotencyKeys: keys.length, callbacks: callbacks.length };
}

/**
 * Housekeeping on pg-boss: a cron schedule shared by all instances (pg-boss runs each tick once),
 * worked by whichever instance fetches it first.
 */
export const startMaintenance: Worker = async (ctx) => {
  await ctx.jobs.createQueue(MAINTENANCE_QUEUE);
  await ctx.jobs.schedule(MAINTENANCE_QUEUE, MAINTENANCE_CRON);
  const workerId = await ctx.jobs.work(MAINTENANCE_QUEUE, { pollingIntervalSeconds: 1 }, async () => {
    const removed = await runMaintenance(ctx);
    ctx.log.info({ removed }, "maintenance pass");
    ctx.events.emit("maintenance.done", removed);
  });
  return { stop: () => ctx.jobs.offWork(MAINTENANCE_QUEUE, { id: workerId }) };
};
