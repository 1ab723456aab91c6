import { DeclinedError, InvalidInputError, OutcomeUnknownError } from "@xpay-connect/core";
import type { ServiceContext } from "../context";
import { applyStatus, findPayment, type PaymentRow } from "../payments";
import { ApiError } from "./errors";
import type { Answer } from "./idempotency";

/**
 * What a failed gateway create leaves behind, for pay-ins and payouts alike: an input error sent
 * nothing, so the stored row goes and the field is answered; a decline fails the payment (402);
 * an unknown outcome keeps it pending (202) for reconciliation to settle, never re-sent.
 */
export async function answerCreateFailure(
  ctx: ServiceContext,
  id: string,
  error: unknown,
  show: { key: "payment" | "payout"; json: (p: PaymentRow) => unknown; inputError?: (e: InvalidInputError) => Error },
): Promise<Answer> {
  if (error instanceof InvalidInputError) {
    await ctx.db.tx(async (sql) => {
      await sql.query("delete from payment_events where payment_id = $1", [id]);
      await sql.query("delete from payments where id = $1", [id]);
    });
    throw show.inputError ? show.inputError(error) : error;
  }
  if (error instanceof DeclinedError) {
    const detail = { declined: error.message, gateway_code: error.gatewayCode ?? null };
    const { payment } = await applyStatus(ctx.db, id, { status: "failed", source: "api", detail }, ctx.events);
    throw new ApiError(402, "declined", error.message, undefined, { [show.key]: show.json(payment) });
  }
  if (error instanceof OutcomeUnknownError) {
    await ctx.db.query("insert into payment_events (payment_id, type, source, detail) values ($1, 'create_outcome_unknown', 'api', $2)", [id, JSON.stringify({ message: error.message })]);
    const p = await findPayment(ctx.db, id);
    return { status: 202, body: p ? show.json(p) : { id } };
  }
  throw error;
}
