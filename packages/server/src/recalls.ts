import { createHash } from "node:crypto";
import type { EventEmitter } from "node:events";
import { Money, transition, type VerifiedCallback } from "@xpay-connect/core";
import { announceAttention, raiseAttention, type RaisedAttention } from "./attention";
import { int, type Db } from "./db/db";
import { recordEvent, type PaymentRow } from "./payments";

/** What applying a recall did: its callback's outcome. */
export type RecallOutcome = "applied" | "unchanged" | "conflict";

/**
 * Assumption: Xpress Pay's recall notice carries no recall id, and the gateway retries a notice until
 * it is acknowledged, so two notices with the same order, amount and reason are one recall.
 */
export function recallNoticeKey(event: Pick<VerifiedCallback, "gatewayRef" | "amount" | "raw">): string {
  const reason = typeof event.raw.reason === "string" ? event.raw.reason : "";
  return createHash("sha256")
    .update([event.gatewayRef ?? "", event.amount?.minor ?? "", event.amount?.currency ?? "", reason].join("\u0000"))
    .digest("hex")
    .slice(0, 32);
}

/**
 * Applies a verified recall (dispute) to a paid pay-in in one transaction: the recall is recorded
 * once (its notice key), its amount added to `reversed_minor`; a recall of part of the payment keeps
 * the status (`succeeded` or `partially_refunded`) and sends `payment.partially_reversed`, the recall
 * that claws back the whole amount moves it to `reversed` (`payment.reversed`); both events carry
 * `recall: {amount, currency, reason, verified_by}`. A recall only the URL token vouches for also
 * raises `payment.needs_attention` (reason `recall_unconfirmed`). A recall of more than is left, or
 * of a payment that is not paid, is kept on the timeline and flagged, never applied.
 */
export async function applyRecall(db: Db, paymentId: string, event: VerifiedCallback, callbackId: number, events?: EventEmitter): Promise<RecallOutcome> {
  const done = await db.tx(async (sql): Promise<{ outcome: RecallOutcome; changed?: { payment: PaymentRow; from: string; to: string }; attention?: RaisedAttention }> => {
    const [p] = await sql.query<PaymentRow>("select * from payments where id = $1 for update", [paymentId]);
    if (!p) throw new Error(`payment ${paymentId} does not exist`);
    const amount = event.amount ?? Money.ofMinor(int(p.amount_minor) - int(p.reversed_minor), p.currency);
    const key = recallNoticeKey(event);
    const reason = typeof event.raw.reason === "string" ? event.raw.reason : null;
    const recall = { amount: amount.format(), currency: amount.currency, reason, verified_by: event.verifiedBy };
    const detail = { callback_id: callbackId, kind: "recall", gateway_status: event.gatewayStatus, ...recall };
    const timeline = (type: string, to: string | null) =>
      sql.query("insert into payment_events (payment_id, type, from_status, to_status, source, detail) values ($1, $2, $3, $4, 'callback', $5)", [p.id, type, p.status, to, JSON.stringify(detail)]);

    const [known] = await sql.query("select 1 from recalls where payment_id = $1 and notice_key = $2", [p.id, key]);
    if (known) {
      await timeline("recall_duplicate", p.status);
      return { outcome: "unchanged" };
    }
    const reversed = int(p.reversed_minor) + amount.minor;
    const full = reversed >= int(p.amount_minor);
    const step = transition(p.status, "reversed");
    const paid = p.status === "succeeded" || p.status === "partially_refunded" || p.status === "reversed";
    if (amount.currency !== p.currency || reversed > int(p.amount_minor) || !paid || (full && step.kind === "conflict")) {
      await timeline("recall_conflict", "reversed");
      await sql.query("update payments set flagged = $2, updated_at = now() where id = $1", [p.id, `callback reported a recall of ${amount.toString()} on a ${p.status} payment (${Money.ofMinor(int(p.reversed_minor), p.currency).toString()} recalled before)`]);
      const [flagged] = await sql.query<PaymentRow>("select * from payments where id = $1", [p.id]);
      const attention = event.verifiedBy === "token" ? await raiseAttention(sql, flagged ?? p, "recall_unconfirmed", amount, `recall:${key}`, { recall }) : undefined;
      return { outcome: "conflict", ...(attention ? { attention } : {}) };
    }
    await sql.query(
      "insert into recalls (payment_id, notice_key, amount_minor, currency, reason, verified_by, callback_id) values ($1, $2, $3, $4, $5, $6, $7)",
      [p.id, key, amount.minor, amount.currency, reason, event.verifiedBy, callbackId],
    );
    const to = full && step.kind === "apply" ? "reversed" : p.status;
    const [updated] = await sql.query<PaymentRow>(
      `update payments set reversed_minor = $2, status = $3, gateway_status = $4, next_action = null, updated_at = now() where id = $1 returning *`,
      [p.id, reversed, to, event.gatewayStatus],
    );
    if (!updated) throw new Error(`payment ${paymentId} vanished`);
    await timeline(to === p.status ? "recall_recorded" : "status_changed", to);
    const attention = event.verifiedBy === "token" ? await raiseAttention(sql, updated, "recall_unconfirmed", amount, `recall:${key}`, { recall }) : undefined;
    const payment = attention?.payment ?? updated;
    await recordEvent(sql, payment, to === "reversed" && to !== p.status ? "payment.reversed" : "payment.partially_reversed", `recall:${key}`, { recall });
    return {
      outcome: "applied",
      ...(to !== p.status ? { changed: { payment, from: p.status, to } } : {}),
      ...(attention ? { attention } : {}),
    };
  });
  if (done.changed) events?.emit("payment.changed", done.changed);
  else if (done.outcome === "applied") events?.emit("outbox.recorded");
  announceAttention(events, done.attention);
  return done.outcome;
}
