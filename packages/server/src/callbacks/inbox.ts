import type { EventEmitter } from "node:events";
import { VerificationError, gatewayDefinition, isXpayError, transition, type CallbackInput, type CallbackKind, type CallbackEvent } from "@xpay-connect/core";
import type { Secrets } from "../crypto";
import { int, type Db } from "../db/db";
import type { Merchants } from "../merchants";
import { amountOf, applyStatus, findPayment, type PaymentRow } from "../payments";
import { applyRecall } from "../recalls";
import { StoreFailure, storeFailure, type StoreFailureReport } from "./store-failure";

/** A callback as it arrived, before it is stored. */
export interface IncomingCallback {
  gateway: string;
  /** Known from the URL for per-payment callback URLs; found in the body for dashboard URLs. */
  paymentId?: string;
  /** The exact bytes received. */
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** What processing a stored callback did. */
export type CallbackOutcome = "applied" | "unchanged" | "conflict" | "rejected" | "retry";

/** A processed callback's outcome, written back with the others of its batch. */
interface Processed {
  row: CallbackRow;
  outcome: CallbackOutcome;
  note: string;
  paymentId: string | null;
  /** A retry because the gateway's lookup still showed the old status: when, and that it uses one lag retry. */
  lagRetryInSeconds?: number;
}

interface CallbackRow {
  id: number | string;
  gateway: string;
  payment_id: string | null;
  path_token: boolean;
  raw_body_bytes: Uint8Array;
  headers: Record<string, string>;
  attempts: number;
  lag_retries: number;
  received_at: Date;
}

/** After this many failed verification attempts (gateway unreachable) a callback is given up and left for reconciliation. */
const MAX_ATTEMPTS = 12;
/**
 * When the gateway's lookup still shows the old status (it lags its own callback), the callback is
 * asked again after each of these delays, then rejected (`status_mismatch`). Hand-written on purpose:
 * a few spaced tries cover a lookup catching up, and reconciliation takes over after them.
 */
export const LAG_RETRY_SECONDS: readonly number[] = [5, 30, 120, 600];
/** Rows per intake INSERT: PostgreSQL takes at most 65535 parameters in one statement. */
const ROWS_PER_INSERT = 1000;
/** Headers worth keeping with a callback (signatures and content type); the rest is hop noise. */
const KEPT_HEADERS = /^(content-type|x-signature|x-xpay-signature|signature|user-agent)$/i;

/**
 * Callback intake and processing. Intake stores the raw callback (group commit: callbacks arriving
 * together share one INSERT) and only then lets the route acknowledge it. Processing claims stored
 * callbacks under a lease (FOR UPDATE SKIP LOCKED, so several instances share the work), verifies
 * them through the connector, and applies the status in one transaction.
 */
export class CallbackInbox {
  private batch: PendingCallback[] = [];
  private flushing = false;
  /** Settles when the intake INSERT in progress commits (a new one for each INSERT). */
  private flushed: Promise<void> = Promise.resolve();
  private flushDone: () => void = () => undefined;
  private processing: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly merchants: Merchants,
    private readonly secrets: Secrets,
    /** Emits "callback.stored", "callback.processed", "callback.drain_failed" and "payment.changed" (see ServiceContext.events). */
    private readonly events?: EventEmitter,
    /** How long a claimed callback is ours before another instance may take it (a crash mid-verification). */
    private readonly leaseSeconds = 60,
    /** The delays of the lagging-lookup retries (LAG_RETRY_SECONDS unless configured). */
    private readonly lagRetrySeconds: readonly number[] = LAG_RETRY_SECONDS,
  ) {}

  /** Stores a callback durably; resolves with its id once committed. */
  store(callback: IncomingCallback): Promise<number> {
    const stored = new Promise<number>((resolve, reject) => this.batch.push({ callback, resolve, reject }));
    if (!this.flushing) {
      this.flushed = new Promise((resolve) => (this.flushDone = resolve));
      setImmediate(() => void this.flush());
    }
    this.flushing = true;
    return stored;
  }

  /** Processes stored callbacks now (and keeps polling every `pollMs` for other instances' and retried ones). */
  start(pollMs = 1000): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Stops polling and waits for intake and processing in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    while (this.flushing || this.batch.length) await this.flush();
    await this.processing;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Starts a processing pass unless one runs; a pass that is running runs again when it ends. */
  kick(): void {
    if (this.stopped) return;
    if (this.processing) {
      this.again = true;
      return;
    }
    this.processing = this.drain()
      // A database blip must not crash the service: the claimed rows' leases expire and the next poll retries them.
      .catch((error: unknown) => void this.events?.emit("callback.drain_failed", error))
      .finally(() => {
        this.processing = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    if (!batch.length) {
      this.flushing = false;
      this.flushDone();
      return;
    }
    for (let i = 0; i < batch.length; i += ROWS_PER_INSERT) await this.insert(batch.slice(i, i + ROWS_PER_INSERT));
    // Whoever waits for this INSERT goes on now, even if more callbacks wait for the next one.
    const committed = this.flushDone;
    if (this.batch.length) {
      this.flushed = new Promise((resolve) => (this.flushDone = resolve));
      committed();
      return this.flush();
    }
    this.flushing = false;
    committed();
  }

  /**
   * Stores callbacks in one INSERT; if it fails, each row alone, so one bad row never fails the
   * others: only the rows that fail alone are refused (StoreFailure: a 4xx when the body is at
   * fault, a 503 when the database is). Failures are reported without bodies, headers or tokens.
   */
  private async insert(rows: PendingCallback[]): Promise<void> {
    const ids = await this.insertRows(rows.map((r) => r.callback)).catch((batchError: unknown) => {
      this.reportStoreFailure(batchError, rows.length);
      return rows.length === 1 ? batchError : undefined;
    });
    if (Array.isArray(ids)) {
      rows.forEach((r, i) => this.stored(r, ids[i]));
    } else if (rows.length === 1) {
      (rows[0] as PendingCallback).reject(storeFailure(ids));
    } else {
      for (const r of rows) {
        const one = await this.insertRows([r.callback]).catch((rowError: unknown) => {
          this.reportStoreFailure(rowError, 1);
          r.reject(storeFailure(rowError));
          return undefined;
        });
        if (one) this.stored(r, one[0]);
      }
    }
    this.kick();
  }

  /** One multi-row INSERT (bytes as bytea; the readable text is the `callbacks_readable` view's job); answers the ids in order. */
  private async insertRows(callbacks: IncomingCallback[]): Promise<(number | string | undefined)[]> {
    const values: unknown[] = [];
    const rows = callbacks.map((callback, i) => {
      values.push(callback.gateway, callback.paymentId ?? null, Boolean(callback.paymentId), callback.rawBody, JSON.stringify(keptHeaders(callback.headers)));
      const o = i * 5;
      return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5})`;
    });
    const ids = await this.db.query<{ id: number | string }>(
      `insert into callbacks (gateway, payment_id, path_token, raw_body_bytes, headers) values ${rows.join(", ")} returning id`,
      values,
    );
    return ids.map((r) => r.id);
  }

  private stored(r: PendingCallback, id: number | string | undefined): void {
    try {
      r.resolve(int(id));
      this.events?.emit("callback.stored", r.callback.gateway);
    } catch (error) {
      r.reject(storeFailure(error));
    }
  }

  /** Reports a failed intake write: its SQLSTATE and a message with quoted values removed, never parameters. */
  private reportStoreFailure(error: unknown, rows: number): void {
    const report: StoreFailureReport = { ...StoreFailure.describe(error), rows };
    this.events?.emit("callback.store_failed", report);
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      // Intake first: the INSERT storing callbacks right now commits before the next batch is claimed.
      // Only that one INSERT: under a sustained flood processing still advances a batch per INSERT.
      if (this.flushing) await this.flushed;
      const claimed = await this.db.query<CallbackRow>(
        `update callbacks set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $1)
         where id in (select id from callbacks where state in ('received', 'retry') and next_attempt_at <= now()
                      order by id limit 32 for update skip locked)
         returning id, gateway, payment_id, path_token, coalesce(raw_body_bytes, convert_to(raw_body, 'UTF8')) as raw_body_bytes, headers, attempts, lag_retries, received_at`,
        [this.leaseSeconds],
      );
      if (!claimed.length) return;
      // One read of the batch's payments and one write of its outcomes: a flood of duplicates must
      // not cost two statements each while intake shares the database.
      const ids = [...new Set(claimed.map((r) => r.payment_id).filter((id): id is string => id !== null))];
      const known = new Map((ids.length ? await this.db.query<PaymentRow>("select * from payments where id = any($1)", [ids]) : []).map((p) => [p.id, p]));
      const done = await Promise.all(claimed.map((row) => this.track(this.process(row, row.payment_id ? known.get(row.payment_id) : undefined))));
      await this.finish(done);
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  /** Verifies one stored callback and applies it; answers its outcome (`known`: its payment, read with the batch). */
  private async process(row: CallbackRow, known: PaymentRow | undefined): Promise<Processed> {
    // The exact bytes received: signatures are checked over them, JSON is read from their UTF-8 text.
    const input: CallbackInput = { rawBody: Buffer.from(row.raw_body_bytes), headers: row.headers };
    let outcome: CallbackOutcome;
    let note = "";
    let paymentId = row.payment_id;
    try {
      let payment = known;
      if (!payment && !paymentId) {
        // A dashboard callback URL: the body names our payment id (sent as the merchant reference).
        paymentId = parsed(row.gateway, () => gatewayDefinition(row.gateway).parseCallback(input)).merchantRef || null;
        payment = paymentId ? await findPayment(this.db, paymentId) : undefined;
      }
      if (!payment || payment.gateway !== row.gateway) throw new VerificationError(`no ${row.gateway} payment ${paymentId ?? "(unnamed)"}`, "unknown_payment");
      const connector = await this.merchants.connector(payment.merchant_id, payment.gateway);
      const kind: CallbackKind = payment.kind;
      const claimed = parsed(row.gateway, () => connector.parseCallback(input, kind));
      if (transition(payment.status, claimed.status).kind === "noop") {
        // Nothing this callback claims could change the payment (a duplicate, or older news): no need to ask the gateway.
        return { row, outcome: "unchanged", note: "unchanged", paymentId: payment.id };
      }
      const token = this.secrets.callbackToken(payment.id);
      const event = await connector.verifyCallback(input, {
        kind: payment.kind,
        merchantRef: payment.id,
        ...(payment.gateway_ref ? { gatewayRef: payment.gateway_ref } : {}),
        amount: amountOf(payment),
        // A per-payment URL's token was checked at intake; dashboard gateways echo it in the body.
        token: { expected: token, received: row.path_token ? token : undefined },
      });
      // A recall claws back an amount (all or part of the payment): applied by its own rules (recalls.ts).
      if (event.kind === "recall") {
        const recalled = await applyRecall(this.db, payment.id, event, int(row.id), this.events);
        return { row, outcome: recalled, note: recalled, paymentId: payment.id };
      }
      const result = await applyStatus(this.db, payment.id, {
        status: event.status,
        source: "callback",
        gatewayStatus: event.gatewayStatus,
        ...(event.gatewayRef ? { gatewayRef: event.gatewayRef } : {}),
        detail: { callback_id: int(row.id), kind: event.kind, verified_by: event.verifiedBy },
      }, this.events);
      outcome = result.kind === "apply" ? "applied" : result.kind === "noop" ? "unchanged" : "conflict";
    } catch (error) {
      // The gateway's lookup still shows the old status: ask again a few times before rejecting.
      const lagDelay = error instanceof VerificationError && error.reason === "status_mismatch" ? this.lagRetrySeconds[row.lag_retries] : undefined;
      if (lagDelay !== undefined) return { row, outcome: "retry", note: `status_mismatch: lookup retry ${row.lag_retries + 1} of ${this.lagRetrySeconds.length}`, paymentId, lagRetryInSeconds: lagDelay };
      const final = error instanceof VerificationError || row.attempts >= MAX_ATTEMPTS;
      outcome = final ? "rejected" : "retry";
      note = error instanceof VerificationError ? error.reason : isXpayError(error) ? `${error.code}: ${error.message}` : String(error);
    }
    return { row, outcome, note: note || outcome, paymentId };
  }

  /** Writes processed callbacks' outcomes back to their rows in one statement, and reports them. */
  private async finish(done: Processed[]): Promise<void> {
    await this.db.query(
      `update callbacks c set state = v.state, outcome = v.outcome, payment_id = coalesce(c.payment_id, v.payment_id),
         processed_at = case when v.state = 'retry' then null else now() end,
         next_attempt_at = case when v.state = 'retry' then now() + make_interval(secs => v.retry_in) else c.next_attempt_at end,
         lag_retries = c.lag_retries + v.lagged
       from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::int[]) as v(id, state, outcome, payment_id, retry_in, lagged)
       where c.id = v.id`,
      [
        done.map((d) => String(d.row.id)),
        done.map((d) => (d.outcome === "retry" ? "retry" : d.outcome === "rejected" ? "rejected" : "applied")),
        done.map((d) => d.note),
        done.map((d) => d.paymentId),
        done.map((d) => d.lagRetryInSeconds ?? Math.min(3600, 2 ** d.row.attempts)),
        done.map((d) => (d.lagRetryInSeconds === undefined ? 0 : 1)),
      ],
    );
    for (const d of done) {
      this.events?.emit("callback.processed", {
        gateway: d.row.gateway,
        outcome: d.outcome,
        latencyMs: Date.now() - new Date(d.row.received_at).getTime(),
        callbackId: int(d.row.id),
        paymentId: d.paymentId,
        note: d.note,
      });
    }
  }
}

/** A callback waiting for the intake INSERT, and the route waiting for it to be stored. */
interface PendingCallback {
  callback: IncomingCallback;
  resolve: (id: number) => void;
  reject: (e: unknown) => void;
}

/**
 * Runs a callback parser (pure: no gateway, no database). Whatever it throws is about the body
 * itself, which will never read differently: a final rejection ("malformed"), never a retry.
 */
function parsed(gateway: string, parse: () => CallbackEvent): CallbackEvent {
  try {
    return parse();
  } catch (error) {
    if (error instanceof VerificationError) throw error;
    throw new VerificationError(`${gateway} callback cannot be read: ${error instanceof Error ? error.message : String(error)}`, "malformed", { gateway, cause: error });
  }
}

function keptHeaders(headers: IncomingCallback["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (KEPT_HEADERS.test(k) && v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? (v[0] ?? "") : v;
  return out;
}
