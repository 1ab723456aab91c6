import type { EventEmitter } from "node:events";
import { Money, type PaymentStatus } from "@xpay-connect/core";
import { stableId } from "./crypto";
import { int, type Sql } from "./db/db";
import { recordEvent, type PaymentRow } from "./payments";

/**
 * Why a payment needs a person:
 * - `paid_after_expired` / `paid_after_failed` / `paid_after_canceled`: the gateway took the money
 *   after we had closed the payment (the order may be cancelled: ship it or refund it);
 * - `recall_unconfirmed`: a recall (dispute) that only the per-payment URL token vouches for (no
 *   lookup at the gateway can confirm it): check it with the gateway.
 */
export type AttentionReason = "paid_after_expired" | "paid_after_failed" | "paid_after_canceled" | "recall_unconfirmed";

/** What payments.attention holds (migration 6): the latest reason, with the amount concerned. */
export interface AttentionRow {
  reason: AttentionReason;
  amount_minor: number | string;
  currency: string;
  at: string;
}

/** A needs-attention event raised in a transaction, announced on the service's events after the commit. */
export interface RaisedAttention {
  payment: PaymentRow;
  reason: AttentionReason;
  amount: Money;
  eventId: string;
}

/** Statuses after which money taken at the gateway is a late payment (the shopper may have been told the order is off). */
const CLOSED_UNPAID: readonly PaymentStatus[] = ["expired", "failed", "canceled"];

/** The reason when `reported` after `current` is money taken on a closed payment, else undefined. */
export function latePaymentReason(current: PaymentStatus, reported: PaymentStatus): AttentionReason | undefined {
  return reported === "succeeded" && CLOSED_UNPAID.includes(current) ? (`paid_after_${current}` as AttentionReason) : undefined;
}

/** The API's view of payments.attention. */
export function attentionJson(p: PaymentRow & { attention?: AttentionRow | null }): { reason: AttentionReason; amount: string; currency: string; at: string } | null {
  const a = p.attention;
  if (!a) return null;
  return { reason: a.reason, amount: Money.ofMinor(int(a.amount_minor), a.currency).format(), currency: a.currency, at: new Date(a.at).toISOString() };
}

/**
 * Marks a payment as needing a person and writes its `payment.needs_attention` outbox event, once
 * per `key` (the same late success or recall reported again raises nothing new). Runs inside the
 * caller's transaction, with the payment row locked. Answers the raised attention, or undefined when
 * it was raised before.
 */
export async function raiseAttention(sql: Sql, p: PaymentRow, reason: AttentionReason, amount: Money, key: string, extra: Record<string, unknown> = {}): Promise<RaisedAttention | undefined> {
  const eventKey = `needs_attention:${key}`;
  const eventId = stableId("evt", p.id, eventKey);
  const [seen] = await sql.query("select 1 from outbox_events where id = $1", [eventId]);
  if (seen) return undefined;
  const attention: AttentionRow = { reason, amount_minor: amount.minor, currency: amount.currency, at: new Date().toISOString() };
  const [updated] = await sql.query<PaymentRow>("update payments set attention = $2, updated_at = now() where id = $1 returning *", [p.id, JSON.stringify(attention)]);
  const payment = updated ?? p;
  await recordEvent(sql, payment, "payment.needs_attention", eventKey, { attention: { reason, amount: amount.format(), currency: amount.currency, ...extra } });
  await sql.query("insert into payment_events (payment_id, type, source, detail) values ($1, 'needs_attention', 'service', $2)", [
    p.id,
    JSON.stringify({ reason, amount: amount.format(), currency: amount.currency, ...extra }),
  ]);
  return { payment, reason, amount, eventId };
}

/** Announces raised attention after the commit: the metric, the warn log line and the outbox worker listen. */
export function announceAttention(events: EventEmitter | undefined, raised: RaisedAttention | undefined): void {
  if (!raised) return;
  events?.emit("payment.needs_attention", { payment: raised.payment, reason: raised.reason, amount: raised.amount });
  events?.emit("outbox.recorded", raised.eventId);
}
