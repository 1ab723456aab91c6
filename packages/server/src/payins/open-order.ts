import type { Sql } from "../db/db";
import { ApiError } from "../api/errors";
import type { PaymentRow } from "../payments";

/**
 * Takes the order's lock until the transaction ends and answers its open pay-in (pending,
 * requires_action or authorized), if any. Two creates for one order wait for each other here, on
 * every instance, so the second sees the first's row. A lock, not a unique index: databases from
 * before may already hold two open pay-ins for one order, and a failed migration would stop the service.
 */
export async function lockOpenPayIn(sql: Sql, merchantId: string, orderRef: string): Promise<PaymentRow | undefined> {
  await sql.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [`pay_in\n${merchantId}\n${orderRef}`]);
  const [open] = await sql.query<PaymentRow>(
    `select * from payments where merchant_id = $1 and kind = 'pay_in' and order_ref = $2 and status in ('pending', 'requires_action', 'authorized')
     order by created_at desc limit 1`,
    [merchantId, orderRef],
  );
  return open;
}

/** 409 `order_has_open_payment`, carrying the open payment so the caller can go on with it. */
export function orderHasOpenPayment(open: PaymentRow, json: (p: PaymentRow) => unknown): ApiError {
  return new ApiError(
    409,
    "order_has_open_payment",
    `order_ref: order ${open.order_ref} already has an open payment ${open.id} (${open.status}); continue with it (error.payment), or create another once it has failed, expired or been canceled`,
    "order_ref",
    { payment_id: open.id, payment: json(open) },
  );
}
