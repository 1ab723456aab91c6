import { Money, type Transition } from "@xpay-connect/core";
import type { ServiceContext } from "../context";
import { int, joined } from "../db/db";
import { applyStatus, recordEvent, type PaymentRow } from "../payments";

/** A refunds row. */
export interface RefundRow {
  id: string;
  merchant_id: string;
  payment_id: string;
  amount_minor: number | string;
  currency: string;
  status: "pending" | "succeeded" | "failed";
  reason: string | null;
  gateway_ref: string | null;
  gateway_status: string | null;
  error: string | null;
  created_at: Date;
  updated_at: Date;
}

/** How a refund ended. */
export type RefundResult = { status: "succeeded"; gatewayRef?: string; gatewayStatus?: string } | { status: "failed"; error: string };

/**
 * Settles a pending refund in one transaction: a success adds to the payment's refunded amount and
 * moves it to partially_refunded or refunded through applyStatus (source "refund"), with an outbox
 * event for every partial refund; a failure frees the reserved amount. A settled refund is left as it is.
 */
export async function settleRefund(ctx: ServiceContext, refundId: string, result: RefundResult): Promise<{ refund: RefundRow; payment: PaymentRow }> {
  let changed: (Transition & { payment: PaymentRow }) | undefined;
  const settled = await ctx.db.tx(async (sql) => {
    const [pending] = await sql.query<RefundRow>("select * from refunds where id = $1", [refundId]);
    if (!pending) throw new Error(`refund ${refundId} does not exist`);
    const [p] = await sql.query<PaymentRow>("select * from payments where id = $1 for update", [pending.payment_id]);
    if (!p) throw new Error(`payment ${pending.payment_id} does not exist`);
    const [r] = await sql.query<RefundRow>(
      `update refunds set status = $2, gateway_ref = coalesce($3, gateway_ref), gateway_status = coalesce($4, gateway_status), error = $5, updated_at = now()
       where id = $1 and status = 'pending' returning *`,
      [refundId, result.status, result.status === "succeeded" ? (result.gatewayRef ?? null) : null, result.status === "succeeded" ? (result.gatewayStatus ?? null) : null, result.status === "failed" ? result.error : null],
    );
    if (!r) {
      const [current] = await sql.query<RefundRow>("select * from refunds where id = $1", [refundId]);
      return { refund: current ?? pending, payment: p };
    }
    const detail = { refund_id: r.id, amount: Money.ofMinor(int(r.amount_minor), r.currency).format() };
    if (result.status === "failed") {
      await sql.query("insert into payment_events (payment_id, type, source, detail) values ($1, 'refund_failed', 'refund', $2)", [p.id, JSON.stringify({ ...detail, error: result.error })]);
      return { refund: r, payment: p };
    }
    const [added] = await sql.query<PaymentRow>("update payments set refunded_minor = refunded_minor + $2, updated_at = now() where id = $1 returning *", [p.id, r.amount_minor]);
    if (!added) throw new Error(`payment ${p.id} vanished`);
    await sql.query("insert into payment_events (payment_id, type, source, detail) values ($1, 'refund_succeeded', 'refund', $2)", [p.id, JSON.stringify(detail)]);
    const target = int(added.refunded_minor) >= int(added.amount_minor) ? "refunded" : "partially_refunded";
    const step = await applyStatus(joined(ctx.db, sql), p.id, { status: target, source: "refund", ...(result.gatewayStatus ? { gatewayStatus: result.gatewayStatus } : {}), detail: { refund_id: r.id } });
    if (step.kind === "apply") changed = step;
    // A second partial refund changes no status, but the storefront must still hear of the new refunded amount.
    else if (step.kind === "noop" && target === "partially_refunded") await recordEvent(sql, step.payment, "payment.partially_refunded", `payment.partially_refunded/${r.id}`);
    return { refund: r, payment: step.payment };
  });
  if (changed) ctx.events.emit("payment.changed", { payment: changed.payment, from: changed.from, to: changed.to });
  return settled;
}
