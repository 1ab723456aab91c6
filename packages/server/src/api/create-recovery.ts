import type { ServiceContext } from "../context";
import { findPayment, type PaymentRow } from "../payments";
import type { Answer } from "./idempotency";

/**
 * The answer for a reclaimed Idempotency-Key whose request died after storing its payment (or payout):
 * never a second create. Without the gateway's reference the outcome is unknown (202): the
 * request may have died before or after the gateway heard of it, and reconciliation asks.
 */
export async function recoverCreate(ctx: ServiceContext, id: string, json: (p: PaymentRow) => unknown): Promise<Answer | undefined> {
  const p = await findPayment(ctx.db, id);
  if (!p) return undefined;
  if (p.gateway_ref !== null || p.status !== "pending") return { status: 201, body: json(p) };
  await ctx.db.query("insert into payment_events (payment_id, type, source, detail) values ($1, 'create_outcome_unknown', 'api', $2)", [
    id,
    JSON.stringify({ message: "the creating request was interrupted; reconciliation asks the gateway" }),
  ]);
  return { status: 202, body: json(p) };
}
