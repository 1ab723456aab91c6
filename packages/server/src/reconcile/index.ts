import { DeclinedError, InvalidInputError, isXpayError, requirePayIn, requirePayout, type PaymentSnapshot } from "@xpay-connect/core";
import type { ServerConfig } from "../config";
import type { ServiceContext } from "../context";
import { int } from "../db/db";
import type { Worker } from "../features";
import { amountOf, applyStatus, type PaymentRow } from "../payments";
import { safeError } from "../ops/log";
import { GatewayRateLimit } from "./limiter";
import { resolveRefunds, claimRefunds } from "./refunds";

/** How reconciliation runs; every field has a default from the configuration. */
export interface ReconcileOptions {
  /** Open payments untouched for this long are re-queried (config reconcileAfterMs). */
  afterMs: number;
  /** How often the worker looks for them; 0: never by itself, only through `runOnce`/`reconcileNow`. */
  intervalMs: number;
  /** Status queries per second per gateway, for all instances on the database together. */
  ratePerSecond: number;
  /** Queries a gateway may get at once after a quiet spell (default: the rate, at least 1). */
  burst: number;
  /** How long a claimed payment belongs to one instance (longer than any gateway timeout). */
  leaseMs: number;
  /** The longest wait between two queries of a payment the gateway still reports open. */
  maxBackoffMs: number;
  /** The most payments one pass claims per gateway. */
  batch: number;
  /** A payout its gateway still answers "not found" for this long after its creation is flagged and no longer re-queried (config payoutUnknownAfterMs). */
  payoutUnknownAfterMs: number;
  /** The clock, in ms since the epoch: every time comparison uses it, so tests can move it. */
  now: () => number;
}

/** What re-querying one payment did (the "reconcile.result" event's `outcome`). */
export type ReconcileOutcome = "applied" | "unchanged" | "expired" | "conflict" | "mismatch" | "error" | "unknown";

/** One re-queried payment (or a payment's pending refunds). */
export interface ReconcileResult {
  paymentId: string;
  gateway: string;
  outcome: ReconcileOutcome;
}

/** What one pass did. */
export interface ReconcileReport {
  results: ReconcileResult[];
  /** Payments and refunds that were due but left for a later pass by the rate limit. */
  deferred: number;
}

/** Statuses that wait on the gateway. */
export const OPEN_STATUSES = ["pending", "requires_action", "authorized"] as const;
const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(", ");

/** A payments row with its reconciliation bookkeeping (migration 3). */
export interface ReconcileRow extends PaymentRow {
  reconcile_attempts: number;
  next_reconcile_at: Date | null;
}

/** The options from the configuration, with overrides. */
export function reconcileOptions(config: ServerConfig, overrides: Partial<ReconcileOptions> = {}): ReconcileOptions {
  const ratePerSecond = overrides.ratePerSecond ?? config.reconcileRatePerSecond ?? 5;
  if (!(ratePerSecond > 0)) throw new Error(`RECONCILE_RATE_PER_SECOND: expected a positive number, got ${ratePerSecond}`);
  return {
    afterMs: config.reconcileAfterMs,
    intervalMs: config.reconcileIntervalMs ?? 15_000,
    ratePerSecond,
    burst: Math.max(1, Math.ceil(ratePerSecond)),
    leaseMs: 120_000,
    maxBackoffMs: 3_600_000,
    batch: 100,
    payoutUnknownAfterMs: config.payoutUnknownAfterMs ?? 48 * 3_600_000,
    now: Date.now,
    ...overrides,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Re-queries stale open payments at their gateway and applies the answer through applyStatus
 * (source "reconcile"); abandoned pay-ins past `expires_at` that the gateway still reports unpaid
 * expire (source "expiry"). Payments are claimed with a lease (FOR UPDATE SKIP LOCKED), so
 * instances sharing a database never query one payment at once; queries per gateway are bounded by
 * a token bucket in the database; a payment the gateway still reports open is asked again later,
 * with exponential backoff.
 */
export class Reconciler {
  readonly options: ReconcileOptions;
  private readonly limit: GatewayRateLimit;

  constructor(
    private readonly ctx: ServiceContext,
    overrides: Partial<ReconcileOptions> = {},
  ) {
    this.options = reconcileOptions(ctx.config, overrides);
    this.limit = new GatewayRateLimit(ctx.db, this.options.ratePerSecond, this.options.burst);
  }

  /** One pass: whatever is due and within the rate limit now. Never waits for tokens. */
  async runOnce(): Promise<ReconcileReport> {
    const now = this.options.now();
    const due = await this.ctx.db.query<{ gateway: string; n: number | string }>(
      `select gateway, count(*) as n from payments
       where status in (${OPEN_SQL}) and (updated_at <= $1::timestamptz or (kind = 'pay_in' and expires_at <= $2::timestamptz))
         and (next_reconcile_at is null or next_reconcile_at <= $2::timestamptz)
       group by gateway`,
      [iso(now - this.options.afterMs), iso(now)],
    );
    const refundsDue = await this.ctx.db.query<{ gateway: string; n: number | string }>(
      `select p.gateway, count(*) as n from refunds r join payments p on p.id = r.payment_id
       where r.status = 'pending' and r.updated_at <= $1::timestamptz and (r.next_check_at is null or r.next_check_at <= $2::timestamptz)
       group by p.gateway`,
      [iso(now - this.options.afterMs), iso(now)],
    );
    const counts = new Map<string, { payments: number; refunds: number }>();
    for (const r of due) counts.set(r.gateway, { payments: int(r.n), refunds: 0 });
    for (const r of refundsDue) counts.set(r.gateway, { payments: counts.get(r.gateway)?.payments ?? 0, refunds: int(r.n) });
    const report: ReconcileReport = { results: [], deferred: 0 };
    await Promise.all(
      [...counts].map(async ([gateway, n]) => {
        const wanted = Math.min(n.payments + n.refunds, this.options.batch);
        const granted = await this.limit.take(gateway, wanted, now);
        report.deferred += n.payments + n.refunds - granted;
        const payments = await this.claim(gateway, Math.min(granted, n.payments), now);
        const refunds = await claimRefunds(this.ctx.db, gateway, granted - payments.length, now, this.options);
        await this.limit.giveBack(gateway, granted - payments.length - refunds.length);
        const results = await Promise.all([
          ...payments.map((p) => this.reconcileOne(p, now)),
          ...resolveRefunds(this.ctx, refunds, now, this.options),
        ]);
        for (const r of results) {
          report.results.push(r);
          this.ctx.events.emit("reconcile.result", { gateway: r.gateway, outcome: r.outcome });
        }
      }),
    );
    return report;
  }

  /** Claims up to `n` due payments of a gateway for this instance until the lease ends. */
  private async claim(gateway: string, n: number, now: number): Promise<ReconcileRow[]> {
    if (n <= 0) return [];
    return this.ctx.db.query<ReconcileRow>(
      `update payments set next_reconcile_at = $3::timestamptz, reconcile_attempts = reconcile_attempts + 1
       where id in (select id from payments
                    where gateway = $1 and status in (${OPEN_SQL})
                      and (updated_at <= $4::timestamptz or (kind = 'pay_in' and expires_at <= $5::timestamptz))
                      and (next_reconcile_at is null or next_reconcile_at <= $5::timestamptz)
                    order by updated_at, id limit $2 for update skip locked)
       returning *`,
      [gateway, n, iso(now + this.options.leaseMs), iso(now - this.options.afterMs), iso(now)],
    );
  }

  /** Asks the gateway about one claimed payment and applies its answer. */
  private async reconcileOne(p: ReconcileRow, now: number): Promise<ReconcileResult> {
    const result = (outcome: ReconcileOutcome): ReconcileResult => ({ paymentId: p.id, gateway: p.gateway, outcome });
    const expired = p.kind === "pay_in" && p.expires_at !== null && new Date(p.expires_at).getTime() <= now;
    let snapshot: PaymentSnapshot;
    try {
      const connector = await this.ctx.merchants.connector(p.merchant_id, p.gateway);
      // The stored currency: a lookup that names none (XPay EG) reads the amount in it, not in a default.
      const ref = { merchantRef: p.id, ...(p.gateway_ref ? { gatewayRef: p.gateway_ref } : {}), currency: amountOf(p).currency };
      snapshot = p.kind === "payout" ? await requirePayout(connector).getPayout(ref) : await requirePayIn(connector).getPayIn(ref);
    } catch (error) {
      // The gateway does not know the pay-in (its creation never arrived) or it cannot be asked: past its expiry, nobody can pay it.
      if (expired && (error instanceof DeclinedError || error instanceof InvalidInputError)) {
        return result(await this.expire(p, { reason: error.message }));
      }
      // A payout the gateway still does not know long after it was sent: asking hourly forever helps nobody.
      if (p.kind === "payout" && error instanceof DeclinedError && now - new Date(p.created_at).getTime() >= this.options.payoutUnknownAfterMs) {
        return result(await this.flagUnknownPayout(p, error));
      }
      this.ctx.log.warn({ payment: p.id, gateway: p.gateway, err: isXpayError(error) ? error.message : String(error) }, "reconcile: status query failed");
      await this.reschedule(p, now);
      return result("error");
    }
    const amountDiffers = snapshot.amount !== undefined && (snapshot.amount.currency !== p.currency || snapshot.amount.minor !== int(p.amount_minor));
    if (snapshot.merchantRef !== p.id || amountDiffers) {
      // Never settle on an answer about another payment or amount: record it and let a person look.
      const said = `${snapshot.merchantRef} ${snapshot.amount ? snapshot.amount.toString() : ""} ${snapshot.gatewayStatus}`.trim();
      await this.ctx.db.tx(async (sql) => {
        await sql.query("insert into payment_events (payment_id, type, source, detail) values ($1, 'reconcile_mismatch', 'reconcile', $2)", [
          p.id,
          JSON.stringify({ gateway_status: snapshot.gatewayStatus, merchant_ref: snapshot.merchantRef, amount: snapshot.amount?.format() ?? null, currency: snapshot.amount?.currency ?? null }),
        ]);
        await sql.query("update payments set flagged = coalesce(flagged, $2), updated_at = now() where id = $1", [p.id, `reconcile: the gateway reports ${said}`]);
      });
      await this.reschedule(p, now);
      return result("mismatch");
    }
    if (expired && (snapshot.status === "pending" || snapshot.status === "requires_action")) {
      return result(await this.expire(p, { gateway_status: snapshot.gatewayStatus }, snapshot));
    }
    if (snapshot.status === p.status) {
      if (!p.gateway_ref && snapshot.gatewayRef) await this.ctx.db.query("update payments set gateway_ref = $2 where id = $1 and gateway_ref is null", [p.id, snapshot.gatewayRef]);
      await this.reschedule(p, now);
      return result("unchanged");
    }
    const applied = await applyStatus(
      this.ctx.db,
      p.id,
      { status: snapshot.status, source: "reconcile", gatewayStatus: snapshot.gatewayStatus, ...(snapshot.gatewayRef ? { gatewayRef: snapshot.gatewayRef } : {}) },
      this.ctx.events,
    );
    if (applied.kind !== "apply") await this.reschedule(p, now);
    return result(applied.kind === "apply" ? "applied" : applied.kind === "noop" ? "unchanged" : "conflict");
  }

  private async expire(p: ReconcileRow, detail: Record<string, unknown>, snapshot?: PaymentSnapshot): Promise<ReconcileOutcome> {
    const applied = await applyStatus(
      this.ctx.db,
      p.id,
      { status: "expired", source: "expiry", ...(snapshot ? { gatewayStatus: snapshot.gatewayStatus } : {}), detail: { ...detail, expires_at: p.expires_at && new Date(p.expires_at).toISOString() } },
      this.ctx.events,
    );
    return applied.kind === "apply" ? "expired" : applied.kind === "noop" ? "unchanged" : "conflict";
  }

  /**
   * Stops re-querying a payout its gateway never heard of and flags it for a person: its status
   * stays as it is (nobody knows whether money moved; only the gateway may say "failed"), the
   * timeline gets `payout_unknown`, the log a warning. A later callback still applies as usual.
   */
  private async flagUnknownPayout(p: ReconcileRow, error: DeclinedError): Promise<ReconcileOutcome> {
    const hours = Math.round(this.options.payoutUnknownAfterMs / 360_000) / 10;
    const flagged = await this.ctx.db.tx(async (sql) => {
      const [row] = await sql.query<{ id: string }>(
        `update payments set flagged = coalesce(flagged, $2), next_reconcile_at = 'infinity', updated_at = now() where id = $1 and status in (${OPEN_SQL}) returning id`,
        [p.id, `reconcile: ${p.gateway} still does not know this payout ${hours} h after it was created; no longer re-queried: check with the gateway before paying it again`],
      );
      if (!row) return false;
      await sql.query("insert into payment_events (payment_id, type, source, detail) values ($1, 'payout_unknown', 'reconcile', $2)", [
        p.id,
        JSON.stringify({ gateway_answer: error.message, gateway_code: error.gatewayCode ?? null, created_at: new Date(p.created_at).toISOString(), unknown_after_ms: this.options.payoutUnknownAfterMs }),
      ]);
      return true;
    });
    if (!flagged) return "unchanged";
    this.ctx.log.warn(
      { payment: p.id, gateway: p.gateway, status: p.status, created_at: new Date(p.created_at).toISOString(), unknown_after_ms: this.options.payoutUnknownAfterMs },
      "reconcile: payout unknown to its gateway; flagged and no longer re-queried, a person must look",
    );
    return "unknown";
  }

  /** The next query of a payment still open: exponential backoff from the staleness threshold, capped. */
  private async reschedule(p: ReconcileRow, now: number): Promise<void> {
    await this.ctx.db.query(`update payments set next_reconcile_at = $2::timestamptz where id = $1 and status in (${OPEN_SQL})`, [
      p.id,
      iso(now + backoffMs(int(p.reconcile_attempts), this.options)),
    ]);
  }
}

/** Wait before the next query after `attempts` queries: the threshold (at least 1 s) doubled each time, capped. */
export function backoffMs(attempts: number, options: Pick<ReconcileOptions, "afterMs" | "maxBackoffMs">): number {
  return Math.min(Math.max(options.afterMs, 1000) * 2 ** Math.min(Math.max(attempts - 1, 0), 30), options.maxBackoffMs);
}

/** Runs one reconciliation pass now (tests and operators): `overrides` move the clock, the threshold or the rate. */
export function reconcileNow(ctx: ServiceContext, overrides: Partial<ReconcileOptions> = {}): Promise<ReconcileReport> {
  return new Reconciler(ctx, overrides).runOnce();
}

/**
 * The reconciliation worker: a pass every `reconcileIntervalMs` (none when 0), and while the rate
 * limit leaves payments waiting, further passes as tokens come back. Stop waits for the pass in flight.
 */
export const startReconciler: Worker = async (ctx) => {
  const reconciler = new Reconciler(ctx);
  const { intervalMs, ratePerSecond } = reconciler.options;
  let stopped = false;
  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  const pass = async () => {
    while (!stopped) {
      const report = await reconciler.runOnce().catch((error: unknown) => {
        ctx.log.error({ err: safeError(error) }, "reconcile pass failed");
        return undefined;
      });
      if (!report || report.deferred === 0 || stopped) return;
      await pause(Math.ceil(1000 / ratePerSecond));
    }
  };
  const tick = () => {
    if (stopped || running) return;
    running = pass().finally(() => {
      running = undefined;
    });
  };
  const timer = intervalMs > 0 ? setInterval(tick, intervalMs) : undefined;
  timer?.unref();
  if (timer) tick();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      wake?.();
      await running;
    },
  };
};
