import type { Sql } from "../db/db";
import { ApiError } from "../api/errors";
import type { PaymentRow } from "../payments";

/** A pay-in in one of these may still be paid: it holds its order. */
const OPEN = ["pending", "requires_action", "authorized"];

/**
 * Takes the order's lock until the transaction ends and answers the pay-in that holds the order:
 * one not failed, expired or canceled (open ones may still be paid; the others were paid), if any.
 * Two creates for one order wait for each other here, on every instance, so the second sees the
 * first's row. A lock, not a unique index: databases from before may already hold two such
 * pay-ins for one order, and a failed migration would stop the service.
 */
export async function lockOrderPayIn(sql: Sql, merchantId: string, orderRef: string): Promise<PaymentRow | undefined> {
  await sql.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [`pay_in\n${merchantId}\n${orderRef}`]);
  const [holder] = await sql.query<PaymentRow>(
    `select * from payments where merchant_id = $1 and kind = 'pay_in' and order_ref = $2 and status not in ('failed', 'expired', 'canceled')
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
      : `order_ref: order ${holder.order_ref} was already paid by ${holder.id} (${holder.status}); a new payment needs another order_ref`,
    "order_ref",
    { payment_id: holder.id, payment: json(holder) },
  );
}
