import type { Sql } from "../db/db";
import { ApiError } from "../api/errors";
import type { PaymentRow } from "../payments";

/** A pay-in in one of these may still be paid: it holds its order. */
const OPEN = ["pending", "requires_action", "authorized"];
/** Closed unpaid: a holder in one of these was paid late. */
const CLOSED = ["failed", "expired", "canceled"];

/**
 * A pay-in closed unpaid (expired, failed, canceled) whose money the gateway took anyway: it keeps
 * its status, but the order was paid. Its needs-attention timeline entry is the durable record
 * (payments.attention holds only the latest reason, which a later recall may replace).
 */
const PAID_LATE = `exists (select 1 from payment_events e where e.payment_id = p.id and e.type = 'needs_attention' and e.detail->>'reason' like 'paid_after_%')`;

/**
 * Takes the order's lock until the transaction ends and answers the pay-in that holds the order:
 * one not failed, expired or canceled (open ones may still be paid; the others were paid), or one
 * paid after it had been closed (late), if any.
 * Two creates for one order wait for each other here, on every instance, so the second sees the
 * first's row. A lock, not a unique index: databases from before may already hold two such
 * pay-ins for one order, and a failed migration would stop the service.
 */
export async function lockOrderPayIn(sql: Sql, merchantId: string, orderRef: string): Promise<PaymentRow | undefined> {
  await sql.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [`pay_in\n${merchantId}\n${orderRef}`]);
  const [holder] = await sql.query<PaymentRow>(
    `select * from payments p where merchant_id = $1 and kind = 'pay_in' and order_ref = $2
       and (status not in ('failed', 'expired', 'canceled') or ${PAID_LATE})
     order by status in ('pending', 'requires_action', 'authorized'), created_at desc limit 1`,
    [merchantId, orderRef],
  );
  return holder;
}

/** 409 carrying the pay-in that holds the order: `order_has_open_payment` (go on with it) or `order_already_paid`. */
export function orderTaken(holder: PaymentRow, json: (p: PaymentRow) => unknown): ApiError {
  const open = OPEN.includes(holder.status);
  return new ApiError(
    409,
    open ? "order_has_open_payment" : "order_already_paid",
    open
      ? `order_ref: order ${holder.order_ref} already has an open payment ${holder.id} (${holder.status}); continue with it (error.payment), or create another once it has failed, expired or been canceled`
      : CLOSED.includes(holder.status)
        ? `order_ref: order ${holder.order_ref} was paid late by ${holder.id} (${holder.status}, then paid: see error.payment.attention); ship the order or refund that payment; a new payment needs another order_ref`
        : `order_ref: order ${holder.order_ref} was already paid by ${holder.id} (${holder.status}); a new payment needs another order_ref`,
    "order_ref",
    { payment_id: holder.id, payment: json(holder) },
  );
}
