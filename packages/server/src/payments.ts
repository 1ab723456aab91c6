import type { EventEmitter } from "node:events";
import { Money, transition, type NextAction, type PaymentStatus, type Transition } from "@xpay-connect/core";
import { announceAttention, attentionJson, latePaymentReason, raiseAttention, type AttentionRow, type RaisedAttention } from "./attention";
import { stableId } from "./crypto";
import { int, type Db, type Sql } from "./db/db";

/** A payments row. */
export interface PaymentRow {
  id: string;
  merchant_id: string;
  kind: "pay_in" | "payout";
  gateway: string;
  method: string;
  order_ref: string;
  amount_minor: number | string;
  currency: string;
  status: PaymentStatus;
  gateway_status: string | null;
  gateway_ref: string | null;
  next_action: NextAction | null;
  party: Record<string, unknown>;
  return_url: string | null;
  metadata: Record<string, string>;
  refunded_minor: number | string;
  flagged: string | null;
  /** Why a person must look at it (migration 6). */
  attention: AttentionRow | null;
  /** Clawed back by recalls so far (migration 6). */
  reversed_minor: number | string;
  expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A timeline entry. */
export interface PaymentEventRow {
  id: number | string;
  type: string;
  from_status: string | null;
  to_status: string | null;
  source: string;
  detail: Record<string, unknown>;
  created_at: Date;
}

/** The stored amount as Money. */
export function amountOf(p: PaymentRow): Money {
  return Money.ofMinor(int(p.amount_minor), p.currency);
}

/** A payment as the API and the outbox show it. */
export function paymentJson(p: PaymentRow, events?: PaymentEventRow[]) {
  return {
    id: p.id,
    object: p.kind === "payout" ? ("payout" as const) : ("payment" as const),
    gateway: p.gateway,
    method: p.method,
    order_ref: p.order_ref,
    amount: amountOf(p).format(),
    currency: p.currency,
    status: p.status,
    gateway_status: p.gateway_status,
    gateway_ref: p.gateway_ref,
    next_action: p.next_action,
    return_url: p.return_url,
    metadata: p.metadata,
    refunded_amount: Money.ofMinor(int(p.refunded_minor), p.currency).format(),
    flagged: p.flagged,
    reversed_amount: Money.ofMinor(int(p.reversed_minor ?? 0), p.currency).format(),
    attention: attentionJson(p),
    expires_at: p.expires_at && new Date(p.expires_at).toISOString(),
    created_at: new Date(p.created_at).toISOString(),
    updated_at: new Date(p.updated_at).toISOString(),
    ...(events
      ? {
          events: events.map((e) => ({
            type: e.type,
            from: e.from_status,
            to: e.to_status,
            source: e.source,
            detail: e.detail,
            at: new Date(e.created_at).toISOString(),
          })),
        }
      : {}),
  };
}

/** A status change to apply: where it came from and what the gateway said. */
export interface StatusChange {
  status: PaymentStatus;
  source: "api" | "callback" | "reconcile" | "expiry" | "refund";
  gatewayStatus?: string;
  gatewayRef?: string;
  detail?: Record<string, unknown>;
}

/** Reads a payment (of a merchant, when given). */
export async function findPayment(sql: Sql, id: string, merchantId?: string): Promise<PaymentRow | undefined> {
  const [row] = await sql.query<PaymentRow>(
    merchantId ? "select * from payments where id = $1 and merchant_id = $2" : "select * from payments where id = $1",
    merchantId ? [id, merchantId] : [id],
  );
  return row;
}

/** A payment's timeline, oldest first. */
export function timeline(sql: Sql, id: string): Promise<PaymentEventRow[]> {
  return sql.query<PaymentEventRow>("select * from payment_events where payment_id = $1 order by id", [id]);
}

/**
 * Applies a status through the monotone machine in one transaction: the row is locked, the
 * decision recorded on the timeline, and an applied change writes the payment and its outbox
 * event (stable id: one per payment and status) with a delivery per enabled endpoint.
 * Emits "payment.changed" on `events` after the commit.
 */
export async function applyStatus(db: Db, paymentId: string, change: StatusChange, events?: EventEmitter): Promise<Transition & { payment: PaymentRow; attention?: RaisedAttention }> {
  const result = await db.tx(async (sql): Promise<Transition & { payment: PaymentRow; attention?: RaisedAttention }> => {
    const [p] = await sql.query<PaymentRow>("select * from payments where id = $1 for update", [paymentId]);
    if (!p) throw new Error(`payment ${paymentId} does not exist`);
    const step = transition(p.status, change.status);
    await sql.query(
      "insert into payment_events (payment_id, type, from_status, to_status, source, detail) values ($1, $2, $3, $4, $5, $6)",
      [p.id, step.kind === "apply" ? "status_changed" : step.kind === "noop" ? "status_unchanged" : "status_conflict", p.status, change.status, change.source, JSON.stringify({ gateway_status: change.gatewayStatus ?? null, ...change.detail })],
    );
    if (step.kind === "conflict") {
      const [flagged] = await sql.query<PaymentRow>(
        "update payments set flagged = $2, updated_at = now() where id = $1 returning *",
        [p.id, `${change.source} reported ${change.status} after ${p.status}`],
      );
      // Money taken on a payment we had closed: a storefront event, a metric and a log line, once per payment and reason.
      const reason = latePaymentReason(p.status, change.status);
      const attention = reason ? await raiseAttention(sql, flagged ?? p, reason, amountOf(p), reason, { reported_status: change.status, source: change.source }) : undefined;
      return { ...step, payment: attention?.payment ?? flagged ?? p, ...(attention ? { attention } : {}) };
    }
    if (step.kind === "noop") {
      if (change.gatewayRef && !p.gateway_ref) await sql.query("update payments set gateway_ref = $2 where id = $1", [p.id, change.gatewayRef]);
      return { ...step, payment: p };
    }
    const [updated] = await sql.query<PaymentRow>(
      `update payments set status = $2, gateway_status = coalesce($3, gateway_status), gateway_ref = coalesce(gateway_ref, $4),
         next_action = case when $2 in ('pending', 'requires_action') then next_action else null end, updated_at = now()
       where id = $1 returning *`,
      [p.id, change.status, change.gatewayStatus ?? null, change.gatewayRef ?? null],
    );
    if (!updated) throw new Error(`payment ${paymentId} vanished`);
    await recordEvent(sql, updated, `${updated.kind === "payout" ? "payout" : "payment"}.${change.status}`);
    return { ...step, payment: updated };
  });
  if (result.kind === "apply") events?.emit("payment.changed", { payment: result.payment, from: result.from, to: result.to });
  announceAttention(events, result.attention);
  return result;
}

/**
 * Writes an outbox event (idempotent by its stable id) and a delivery for each enabled endpoint of the merchant.
 * `key` tells apart events of one type that may happen more than once (each partial refund); it defaults to the type.
 * `extra` adds top-level fields beside `data` (a needs-attention event's reason and amount, a recall's amount).
 */
export async function recordEvent(sql: Sql, p: PaymentRow, type: string, key: string = type, extra: Record<string, unknown> = {}): Promise<string> {
  const id = stableId("evt", p.id, key);
  const payload = { id, type, created_at: new Date().toISOString(), data: paymentJson(p), ...extra };
  const inserted = await sql.query(
    "insert into outbox_events (id, merchant_id, payment_id, type, payload) values ($1, $2, $3, $4, $5) on conflict (id) do nothing returning id",
    [id, p.merchant_id, p.id, type, JSON.stringify(payload)],
  );
  if (inserted.length) {
    await sql.query(
      "insert into deliveries (event_id, endpoint_id) select $1, id from endpoints where merchant_id = $2 and enabled on conflict do nothing",
      [id, p.merchant_id],
    );
  }
  return id;
}
