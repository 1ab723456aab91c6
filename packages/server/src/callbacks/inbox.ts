import type { EventEmitter } from "node:events";
import { VerificationError, gatewayDefinition, isXpayError, transition, type CallbackInput } from "@xpay-connect/core";
import type { Secrets } from "../crypto";
import { int, type Db } from "../db/db";
import type { Merchants } from "../merchants";
import { amountOf, applyStatus, findPayment, type PaymentRow } from "../payments";
import { applyRecall } from "../recalls";

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
}

interface CallbackRow {
  id: number | string;
  gateway: string;
  payment_id: string | null;
  path_token: boolean;
  raw_body_bytes: Uint8Array;
  headers: Record<string, string>;
  attempts: number;
  received_at: Date;
}

/** After this many failed verification attempts (gateway unreachable) a callback is given up and left for reconciliation. */
const MAX_ATTEMPTS = 12;
/** Headers worth keeping with a callback (signatures and content type); the rest is hop noise. */
const KEPT_HEADERS = /^(content-type|x-signature|x-xpay-signature|signature|user-agent)$/i;

/**
 * Callback intake and processing. Intake stores the raw callback (group commit: callbacks arriving
 * together share one INSERT) and only then lets the route acknowledge it. Processing claims stored
 * callbacks under a lease (FOR UPDATE SKIP LOCKED, so several instances share the work), verifies
 * them through the connector, and applies the status in one transaction.
 */
export class CallbackInbox {
  private batch: { callback: IncomingCallback; resolve: (id: number) => void; reject: (e: unknown) => void }[] = [];
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
    try {
      const values: unknown[] = [];
      const rows = batch.map(({ callback }, i) => {
        values.push(callback.gateway, callback.paymentId ?? null, Boolean(callback.paymentId), callback.rawBody, textView(callback.rawBody), JSON.stringify(keptHeaders(callback.headers)));
        const o = i * 6;
        return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6})`;
      });
      const ids = await this.db.query<{ id: number | string }>(
        `insert into callbacks (gateway, payment_id, path_token, raw_body_bytes, raw_body, headers) values ${rows.join(", ")} returning id`,
        values,
      );
      batch.forEach((b, i) => {
        b.resolve(int(ids[i]?.id));
        this.events?.emit("callback.stored", b.callback.gateway);
      });
      this.kick();
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
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
         returning id, gateway, payment_id, path_token, coalesce(raw_body_bytes, convert_to(raw_body, 'UTF8')) as raw_body_bytes, headers, attempts, received_at`,
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
        paymentId = gatewayDefinition(row.gateway).parseCallback(input).merchantRef || null;
        payment = paymentId ? await findPayment(this.db, paymentId) : undefined;
      }
      if (!payment || payment.gateway !== row.gateway) throw new VerificationError(`no ${row.gateway} payment ${paymentId ?? "(unnamed)"}`, "unknown_payment");
      const connector = await this.merchants.connector(payment.merchant_id, payment.gateway);
      const claimed = connector.parseCallback(input, payment.kind);
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
         next_attempt_at = case when v.state = 'retry' then now() + make_interval(secs => v.retry_in) else c.next_attempt_at end
       from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int[]) as v(id, state, outcome, payment_id, retry_in)
       where c.id = v.id`,
      [
        done.map((d) => String(d.row.id)),
        done.map((d) => (d.outcome === "retry" ? "retry" : d.outcome === "rejected" ? "rejected" : "applied")),
        done.map((d) => d.note),
        done.map((d) => d.paymentId),
        done.map((d) => Math.min(3600, 2 ** d.row.attempts)),
      ],
    );
    for (const d of done) {
      this.events?.emit("callback.processed", { gateway: d.row.gateway, outcome: d.outcome, latencyMs: Date.now() - new Date(d.row.received_at).getTime() });
    }
  }
}

/**
 * The body as text for people reading the table: its UTF-8 decoding, with what text cannot hold
 * (NUL) replaced. The exact bytes are in raw_body_bytes; processing reads those.
 */
function textView(body: Buffer): string {
  return body.toString("utf8").replaceAll("\u0000", "\ufffd");
}

function keptHeaders(headers: IncomingCallback["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (KEPT_HEADERS.test(k) && v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? (v[0] ?? "") : v;
  return out;
}
