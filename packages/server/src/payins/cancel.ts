import { z } from "zod";
import { isXpayError, requirePayIn, type PaymentSnapshot } from "@xpay-connect/core";
import type { App } from "../app";
import type { ServiceContext } from "../context";
import { int } from "../db/db";
import { ApiError } from "../api/errors";
import { BEARER, PaymentSchema, errors, json, optionalText, pathId } from "../api/schemas";
import { merchantOf } from "../api/v1";
import { amountOf, applyStatus, findPayment, paymentJson, type PaymentRow } from "../payments";

const PaymentParams = z.object({ id: pathId("The payment id (`pay_...`).", "pay_3kTqx9Lw2VbNcQ8e") });

const PaymentCancel = z
  .object({ reason: optionalText(255).meta({ description: "Why (kept on the timeline).", examples: ["the shopper chose another method"] }) }, { error: "expected a JSON object" })
  .nullish()
  .meta({ id: "PaymentCancel" });

/** Statuses a pay-in can be canceled from: nothing was taken yet. */
const CANCELABLE = ["pending", "requires_action"];
/** Already closed unpaid: canceling again changes nothing. */
const CLOSED_UNPAID = ["failed", "canceled", "expired"];

/**
 * POST /v1/payments/:id/cancel: the store gives up on an unpaid pay-in (the shopper chose another
 * method, the order was cancelled). None of the five gateways can withdraw a hosted page, bill or QR
 * it has issued, so the gateway is asked first (a pay-in it already took is never canceled), then the
 * pay-in is closed here. Money the gateway takes afterwards is kept and flagged `paid_after_canceled`
 * (a `payment.needs_attention` event), never dropped.
 */
export function payInCancelRoute(app: App, ctx: ServiceContext): void {
  app.post(
    "/payments/:id/cancel",
    {
      schema: {
        operationId: "cancelPayment",
        summary: "Cancel an unpaid pay-in",
        description:
          "Closes a `pending` or `requires_action` pay-in as `canceled` (a `payment.canceled` event), after asking the gateway whether it was paid meanwhile. The gateway cannot withdraw the page, bill or QR it issued: if the shopper pays it anyway, the payment keeps the money and carries `attention` `paid_after_canceled`. Canceling a pay-in already failed, canceled or expired answers it unchanged (idempotent). A paid one answers 409 `payment_already_paid`; an authorized one 409 `payment_authorized`.",
        tags: ["payments"],
        security: BEARER,
        params: PaymentParams,
        body: PaymentCancel,
        response: { 200: json(PaymentSchema, "The payment, `canceled` (or as it already was: failed, canceled, expired)."), ...errors(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const merchantId = merchantOf(request);
      const p = await findPayment(ctx.db, request.params.id, merchantId);
      if (!p || p.kind !== "pay_in") throw new ApiError(404, "not_found", `id: no pay-in ${request.params.id}`, "id");
      const settled = await cancelPayIn(ctx, p, request.body?.reason ?? null);
      return paymentJson(settled);
    },
  );
}

async function cancelPayIn(ctx: ServiceContext, p: PaymentRow, reason: string | null): Promise<PaymentRow> {
  if (CLOSED_UNPAID.includes(p.status)) return p;
  if (!CANCELABLE.includes(p.status)) throw refusal(p);
  const snapshot = await askGateway(ctx, p);
  if (snapshot && snapshot.status !== p.status && snapshot.status !== "pending" && snapshot.status !== "requires_action") {
    // The gateway knows more (paid, failed, expired): that is the answer, not a cancel.
    const applied = await applyStatus(
      ctx.db,
      p.id,
      { status: snapshot.status, source: "reconcile", gatewayStatus: snapshot.gatewayStatus, ...(snapshot.gatewayRef ? { gatewayRef: snapshot.gatewayRef } : {}), detail: { asked_before_cancel: true } },
      ctx.events,
    );
    if (!CLOSED_UNPAID.includes(applied.payment.status)) throw refusal(applied.payment);
    return applied.payment;
  }
  const applied = await applyStatus(ctx.db, p.id, { status: "canceled", source: "api", detail: { reason: reason ?? "canceled through the API" } }, ctx.events);
  if (CLOSED_UNPAID.includes(applied.payment.status)) return applied.payment;
  // A callback settled it between our look and the cancel.
  throw refusal(applied.payment);
}

/** The gateway's view, when it can be asked and its answer is about this payment and amount; else none (cancel anyway). */
async function askGateway(ctx: ServiceContext, p: PaymentRow): Promise<PaymentSnapshot | undefined> {
  try {
    const connector = requirePayIn(await ctx.merchants.connector(p.merchant_id, p.gateway));
    const snapshot = await connector.getPayIn({ merchantRef: p.id, ...(p.gateway_ref ? { gatewayRef: p.gateway_ref } : {}), currency: amountOf(p).currency });
    const same = snapshot.merchantRef === p.id && (!snapshot.amount || (snapshot.amount.currency === p.currency && snapshot.amount.minor === int(p.amount_minor)));
    return same ? snapshot : undefined;
  } catch (error) {
    // Unknown to the gateway (its creation never arrived) or unreachable: canceling is still right; a late payment is flagged.
    ctx.log.info({ payment: p.id, gateway: p.gateway, err: isXpayError(error) ? error.message : String(error) }, "cancel: the gateway could not be asked; canceling anyway");
    return undefined;
  }
}

function refusal(p: PaymentRow): ApiError {
  const authorized = p.status === "authorized";
  return new ApiError(
    409,
    authorized ? "payment_authorized" : "payment_already_paid",
    authorized
      ? `id: payment ${p.id} is authorized at the gateway; an authorization cannot be canceled through this call`
      : `id: payment ${p.id} was already paid (${p.status}); refund it instead`,
    "id",
    { payment_id: p.id, payment: paymentJson(p) },
  );
}
