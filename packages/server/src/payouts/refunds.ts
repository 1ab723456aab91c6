import type { FastifyInstance } from "fastify";
import { DeclinedError, InvalidInputError, Money, OutcomeUnknownError, isXpayError, requireRefund, type Transition } from "@xpay-connect/core";
import type { ServiceContext } from "../context";
import { newId } from "../crypto";
import { int } from "../db/db";
import { ApiError } from "../api/errors";
import { idempotent, type Answer } from "../api/idempotency";
import { objectBody, optStr, str } from "../api/input";
import { merchantOf } from "../api/payments";
import { applyStatus, findPayment, paymentJson, recordEvent, type PaymentRow } from "../payments";
import { apiFieldError, capable, idempotencyKey, joined } from "./shared";

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

/** Statuses a pay-in can be refunded from. */
const REFUNDABLE = ["succeeded", "partially_refunded"];

/** A refund as the API shows it. */
export function refundJson(r: RefundRow) {
  return {
    id: r.id,
    object: "refund",
    payment_id: r.payment_id,
    amount: Money.ofMinor(int(r.amount_minor), r.currency).format(),
    currency: r.currency,
    status: r.status,
    reason: r.reason,
    gateway_status: r.gateway_status,
    error: r.error,
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}

/** POST /v1/payments/:id/refunds (where the gateway can refund) and GET /v1/payments/:id/refunds. */
export function refundRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post<{ Params: { id: string } }>("/v1/payments/:id/refunds", async (request, reply) => {
    const merchantId = merchantOf(request);
    const paymentId = request.params.id;
    // The payment is part of the hashed request: the same key on another payment is refused, not replayed.
    const answer = await idempotent(ctx.db, merchantId, idempotencyKey(request), { route: `POST /v1/payments/${paymentId}/refunds`, body: request.body ?? null }, () =>
      createRefund(ctx, merchantId, paymentId, request.body),
    );
    return reply.code(answer.status).send(answer.body);
  });

  app.get<{ Params: { id: string } }>("/v1/payments/:id/refunds", async (request) => {
    const p = await findPayment(ctx.db, request.params.id, merchantOf(request));
    if (!p) throw new ApiError(404, "not_found", `id: no payment ${request.params.id}`, "id");
    const rows = await ctx.db.query<RefundRow>("select * from refunds where payment_id = $1 order by created_at, id", [p.id]);
    return { object: "list", data: rows.map(refundJson) };
  });
}

/**
 * Refunds a pay-in: the amount is reserved under the payment's row lock (never more than what is
 * left, counting refunds still in flight), then sent to the gateway, then settled in one transaction.
 */
async function createRefund(ctx: ServiceContext, merchantId: string, paymentId: string, raw: unknown): Promise<Answer> {
  const body = raw === undefined || raw === null ? {} : objectBody(raw);
  const found = await findPayment(ctx.db, paymentId, merchantId);
  if (!found) throw new ApiError(404, "not_found", `id: no payment ${paymentId}`, "id");
  if (found.kind !== "pay_in") throw new ApiError(409, "not_refundable", `id: ${paymentId} is a payout; only pay-ins are refunded`, "id");
  const connector = await capable(async () => requireRefund(await ctx.merchants.connector(merchantId, found.gateway)));
  const asked = body.amount === undefined || body.amount === null ? undefined : Money.parse(str(body, "amount", 32), found.currency, "amount");
  if (asked && asked.minor <= 0) throw new InvalidInputError("amount", "more than zero", asked.format());
  const reason = optStr(body, "reason", 255);

  const refundId = newId("re");
  const refund = await ctx.db.tx(async (sql) => {
    const [p] = await sql.query<PaymentRow>("select * from payments where id = $1 for update", [paymentId]);
    if (!p) throw new ApiError(404, "not_found", `id: no payment ${paymentId}`, "id");
    if (!REFUNDABLE.includes(p.status)) {
      throw new ApiError(409, "not_refundable", `id: payment ${paymentId} is ${p.status}; only a succeeded or partially refunded payment can be refunded`, "id");
    }
    const [held] = await sql.query<{ minor: number | string }>("select coalesce(sum(amount_minor), 0) as minor from refunds where payment_id = $1 and status = 'pending'", [p.id]);
    const left = int(p.amount_minor) - int(p.refunded_minor) - int(held?.minor ?? 0);
    if (left <= 0) throw new ApiError(409, "not_refundable", `id: nothing is left to refund on payment ${paymentId}`, "id");
    const minor = asked?.minor ?? left;
    if (minor > left) throw new InvalidInputError("amount", `at most ${Money.ofMinor(left, p.currency).format()} (what is left to refund)`, asked?.format());
    const [row] = await sql.query<RefundRow>(
      "insert into refunds (id, merchant_id, payment_id, amount_minor, currency, status, reason) values ($1, $2, $3, $4, $5, 'pending', $6) returning *",
      [refundId, merchantId, p.id, minor, p.currency, reason ?? null],
    );
    await sql.query("insert into payment_events (payment_id, type, source, detail) values ($1, 'refund_requested', 'refund', $2)", [
      p.id,
      JSON.stringify({ refund_id: refundId, amount: Money.ofMinor(minor, p.currency).format() }),
    ]);
    if (!row) throw new Error(`refund ${refundId} was not stored`);
    return row;
  });

  try {
    const done = await connector.refund({
      merchantRef: found.id,
      ...(found.gateway_ref ? { gatewayRef: found.gateway_ref } : {}),
      amount: Money.ofMinor(int(refund.amount_minor), refund.currency),
    });
    const settled = await settleRefund(ctx, refundId, { status: "succeeded", gatewayRef: done.gatewayRef, gatewayStatus: done.gatewayStatus });
    return { status: 201, body: { ...paymentJson(settled.payment), refund: refundJson(settled.refund) } };
  } catch (error) {
    if (error instanceof InvalidInputError || error instanceof DeclinedError) {
      // The gateway refused: nothing moved, the reserved amount is free again.
      await settleRefund(ctx, refundId, { status: "failed", error: error.message });
      throw error instanceof InvalidInputError ? apiFieldError(error) : error;
    }
    // Unknown outcome (or an unexpected failure): keep the amount reserved; reconciliation asks the gateway.
    await ctx.db.query("insert into payment_events (payment_id, type, source, detail) values ($1, 'refund_outcome_unknown', 'refund', $2)", [
      found.id,
      JSON.stringify({ refund_id: refundId, message: isXpayError(error) ? error.message : "unexpected error" }),
    ]);
    if (!(error instanceof OutcomeUnknownError)) throw error;
    const p = await findPayment(ctx.db, found.id);
    return { status: 202, body: { ...(p ? paymentJson(p) : { id: found.id }), refund: refundJson(refund) } };
  }
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
