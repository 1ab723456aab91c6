import { z } from "zod";
import { DeclinedError, InvalidInputError, Money, OutcomeUnknownError, isXpayError, requireRefund } from "@xpay-connect/core";
import type { App } from "../app";
import type { ServiceContext } from "../context";
import { newId } from "../crypto";
import { int } from "../db/db";
import { ApiError, apiFieldError, capable } from "../api/errors";
import { idempotent, type Answer, type BindKey } from "../api/idempotency";
import { BEARER, IdempotencyHeaders, PaymentSchema, amountOut, amountText, errors, json, optionalText, pathId } from "../api/schemas";
import { merchantOf } from "../api/v1";
import { findPayment, paymentJson, type PaymentRow } from "../payments";
import { settleRefund, type RefundRow } from "./settle";

const PaymentParams = z.object({ id: pathId("The payment id.", "pay_3kTqx9Lw2VbNcQ8e") });

/** POST /v1/payments/:id/refunds: everything is optional. */
const RefundCreate = z
  .object(
    {
      // Absent means "what is left"; null is refused, so a client's empty variable never refunds everything.
      amount: amountText("How much to refund; what is left to refund when absent (null is refused).").optional(),
      reason: optionalText(255).meta({ examples: ["damaged in transit"] }),
    },
    { error: "expected a JSON object" },
  )
  .nullish()
  .meta({ id: "RefundCreate" });

/** A refund as the API answers it. */
export const RefundSchema = z
  .object({
    id: z.string().meta({ examples: ["re_8fQ2Lw9xVbNcQ8eT"] }),
    object: z.literal("refund"),
    payment_id: z.string(),
    amount: amountOut("The refunded amount."),
    currency: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]).meta({ description: "pending while the gateway's answer is unknown (reconciliation settles it)." }),
    reason: z.string().nullable(),
    gateway_status: z.string().nullable(),
    error: z.string().nullable().meta({ description: "Why a failed refund failed." }),
    created_at: z.string().meta({ format: "date-time" }),
    updated_at: z.string().meta({ format: "date-time" }),
  })
  .meta({ id: "Refund" });

const PaymentWithRefund = PaymentSchema.extend({ refund: RefundSchema }).meta({
  id: "PaymentWithRefund",
  description: "The payment after the refund (its `refunded_amount` and status updated), with the refund.",
});
const RefundList = z.object({ object: z.literal("list"), data: z.array(RefundSchema) }).meta({ id: "RefundList" });

/** Statuses a pay-in can be refunded from. */
const REFUNDABLE = ["succeeded", "partially_refunded"];

/** A refund as the API shows it. */
export function refundJson(r: RefundRow): z.output<typeof RefundSchema> {
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
export function refundRoutes(app: App, ctx: ServiceContext): void {
  app.post(
    "/payments/:id/refunds",
    {
      schema: {
        operationId: "refundPayment",
        summary: "Refund a succeeded pay-in, wholly or partly (where the gateway can)",
        description:
          "The amount is reserved under the payment's lock (never more than what is left), sent to the gateway, then settled: the payment becomes partially_refunded or refunded, with an outbox event.",
        tags: ["payments"],
        security: BEARER,
        params: PaymentParams,
        headers: IdempotencyHeaders,
        body: RefundCreate,
        response: {
          201: json(PaymentWithRefund, "Refunded."),
          202: json(PaymentWithRefund, "Sent, outcome unknown: the refund stays pending and reconciliation settles it."),
          ...errors(400, 401, 402, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const merchantId = merchantOf(request);
      const paymentId = request.params.id;
      const body = request.body ?? { reason: undefined };
      // The payment is part of the hashed request: the same key on another payment is refused, not replayed.
      const answer = await idempotent(ctx.db, merchantId, request.headers["idempotency-key"], { route: `POST /v1/payments/${paymentId}/refunds`, body }, (bind) => createRefund(ctx, merchantId, paymentId, body, bind), {
        lockSeconds: ctx.config.idempotencyLockSeconds,
        recover: (refundId) => recoverRefund(ctx, refundId),
      });
      return reply.code(answer.status as 201).send(answer.body as z.output<typeof PaymentWithRefund>);
    },
  );

  app.get(
    "/payments/:id/refunds",
    {
      schema: {
        operationId: "listRefunds",
        summary: "A pay-in's refunds, oldest first",
        tags: ["payments"],
        security: BEARER,
        params: PaymentParams,
        response: { 200: json(RefundList, "Every refund of the payment."), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const p = await findPayment(ctx.db, request.params.id, merchantOf(request));
      if (!p) throw new ApiError(404, "not_found", `id: no payment ${request.params.id}`, "id");
      const rows = await ctx.db.query<RefundRow>("select * from refunds where payment_id = $1 order by created_at, id", [p.id]);
      return { object: "list" as const, data: rows.map(refundJson) };
    },
  );
}

/**
 * Refunds a pay-in: the amount is reserved under the payment's row lock (never more than what is
 * left, counting refunds still in flight), then sent to the gateway, then settled in one transaction.
 */
async function createRefund(ctx: ServiceContext, merchantId: string, paymentId: string, body: NonNullable<z.output<typeof RefundCreate>>, bind: BindKey): Promise<Answer> {
  const found = await findPayment(ctx.db, paymentId, merchantId);
  if (!found) throw new ApiError(404, "not_found", `id: no payment ${paymentId}`, "id");
  if (found.kind !== "pay_in") throw new ApiError(409, "not_refundable", `id: ${paymentId} is a payout; only pay-ins are refunded`, "id");
  const connector = await capable(async () => requireRefund(await ctx.merchants.connector(merchantId, found.gateway)));
  const asked = body.amount !== undefined ? Money.parse(body.amount, found.currency, "amount") : undefined;
  if (asked && asked.minor <= 0) throw new InvalidInputError("amount", "more than zero", asked.format());
  const reason = body.reason;

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
    await bind(sql, refundId);
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


/**
 * The answer for a reclaimed Idempotency-Key whose request died after reserving its refund: never
 * a second refund. A refund still pending is unknown at the gateway (202); reconciliation asks.
 */
async function recoverRefund(ctx: ServiceContext, refundId: string): Promise<Answer | undefined> {
  const [refund] = await ctx.db.query<RefundRow>("select * from refunds where id = $1", [refundId]);
  const p = refund && (await findPayment(ctx.db, refund.payment_id));
  if (!refund || !p) return undefined;
  return { status: refund.status === "succeeded" ? 201 : 202, body: { ...paymentJson(p), refund: refundJson(refund) } };
}
