import { z } from "zod";
import { InvalidInputError, Money, requirePayIn, type Customer, type PayInMethod } from "@xpay-connect/core";
import type { App } from "../app";
import type { ServiceContext } from "../context";
import { newId } from "../crypto";
import { applyStatus, findPayment, paymentJson, timeline } from "../payments";
import { answerCreateFailure } from "../api/create-failure";
import { ApiError } from "../api/errors";
import { recoverCreate } from "../api/create-recovery";
import { idempotent, type Answer, type BindKey } from "../api/idempotency";
import { ListQuery, listPayments } from "../api/list";
import {
  BEARER,
  CurrencySchema,
  GatewayIdSchema,
  IdempotencyHeaders,
  MetadataSchema,
  PaymentSchema,
  amountText,
  errors,
  httpUrl,
  json,
  optionalText,
  pageOf,
  pathId,
  text,
} from "../api/schemas";
import { merchantOf } from "../api/v1";
import { payInLifetimeMs } from "./expiry";
import { payInCancelRoute } from "./cancel";
import { lockOrderPayIn, orderTaken } from "./open-order";

/** The shopper, as the gateway needs them. */
const CustomerSchema = z
  .object(
    {
      name: text(100).meta({ description: "The customer's name.", examples: ["John Doe"] }),
      email: optionalText(255).meta({ examples: ["buyer@example.com"] }),
      phone: optionalText(32).meta({ description: "Xpress Pay: the wallet number (03xxxxxxxxx); without it the hosted page asks.", examples: ["03001234567"] }),
    },
    { error: "expected an object with the customer's name" },
  )
  // A missing customer is reported as its missing name, the one field every gateway needs.
  .prefault({} as { name: string })
  .meta({ id: "Customer" });

/** POST /v1/payments. Fields are checked in this order, so the first wrong one is named. */
const PaymentCreate = z
  .object(
    {
      gateway: GatewayIdSchema,
      method: text(32).meta({ description: "The channel: xpress-pay easypaisa|jazzcash; xpay-pk card; xpay-eg card|kiosk|fawry|wallet|valu; xpay-kg qr.", examples: ["easypaisa"] }),
      currency: CurrencySchema,
      amount: amountText("The amount."),
      order_ref: text(128).meta({ description: "Your order number; the gateway sees our payment id as its merchant reference.", examples: ["ORDER-1042"] }),
      customer: CustomerSchema,
      return_url: httpUrl("Where the gateway's page sends the shopper back (http or https).").nullish(),
      description: optionalText(255),
      metadata: MetadataSchema.nullish(),
    },
    { error: "expected a JSON object" },
  )
  .meta({ id: "PaymentCreate" });

const PaymentParams = z.object({ id: pathId("The payment id (`pay_...`).", "pay_3kTqx9Lw2VbNcQ8e") });

/** POST /v1/payments, GET /v1/payments/:id, GET /v1/payments, POST /v1/payments/:id/cancel. */
export function payInRoutes(app: App, ctx: ServiceContext): void {
  app.post(
    "/payments",
    {
      schema: {
        operationId: "createPayment",
        summary: "Create a pay-in",
        description:
          "Stored first (pending), then created at the gateway with our payment id as the merchant reference. Answers the payment and its next action. One pay-in per order at a time: while one is pending, requires_action or authorized, another create for its `order_ref` answers 409 `order_has_open_payment` with that payment; once one was paid, 409 `order_already_paid` (also when the gateway took the money after the pay-in had expired, failed or been canceled: that payment keeps its status and carries `attention` `paid_after_*`). A new attempt is allowed once the earlier ones failed, expired or were canceled unpaid.",
        tags: ["payments"],
        security: BEARER,
        headers: IdempotencyHeaders,
        body: PaymentCreate,
        response: {
          201: json(PaymentSchema, "Created at the gateway; send the shopper to `next_action`."),
          202: json(PaymentSchema, "Stored, but the gateway's answer was unclear: reconciliation will settle it. Do not create another."),
          ...errors(400, 401, 402, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const merchantId = merchantOf(request);
      const answer = await idempotent(ctx.db, merchantId, request.headers["idempotency-key"], request.body, (bind) => createPayIn(ctx, merchantId, request.body, bind), {
        lockSeconds: ctx.config.idempotencyLockSeconds,
        recover: (id) => recoverCreate(ctx, id, (p) => paymentJson(p)),
      });
      return reply.code(answer.status as 201).send(answer.body as z.output<typeof PaymentSchema>);
    },
  );

  app.get(
    "/payments/:id",
    {
      schema: {
        operationId: "getPayment",
        summary: "A pay-in with its event timeline",
        tags: ["payments"],
        security: BEARER,
        params: PaymentParams,
        response: { 200: json(PaymentSchema, "The payment, with `events`."), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const p = await findPayment(ctx.db, request.params.id, merchantOf(request));
      if (!p) throw new ApiError(404, "not_found", `id: no payment ${request.params.id}`, "id");
      return paymentJson(p, await timeline(ctx.db, p.id));
    },
  );

  app.get(
    "/payments",
    {
      schema: {
        operationId: "listPayments",
        summary: "List pay-ins, newest first",
        tags: ["payments"],
        security: BEARER,
        querystring: ListQuery,
        response: { 200: json(pageOf(PaymentSchema, "PaymentList"), "A page."), ...errors(400, 401) },
      },
    },
    async (request) => listPayments(ctx, merchantOf(request), request.query, "pay_in", (p) => paymentJson(p)),
  );

  payInCancelRoute(app, ctx);
}

/** Creates a pay-in: stored first (pending), then created at the gateway with our payment id as its merchant reference. */
async function createPayIn(ctx: ServiceContext, merchantId: string, body: z.output<typeof PaymentCreate>, bind: BindKey): Promise<Answer> {
  const { gateway, method, currency } = body;
  const connector = requirePayIn(await ctx.merchants.connector(merchantId, gateway));
  if (!(connector.capabilities.payInMethods as readonly string[]).includes(method)) {
    throw new InvalidInputError("method", `one of ${connector.capabilities.payInMethods.join(", ")} for ${gateway}`, method);
  }
  if (!(connector.capabilities.currencies as readonly string[]).includes(currency)) {
    throw new InvalidInputError("currency", `one of ${connector.capabilities.currencies.join(", ")} for ${gateway}`, currency);
  }
  const amount = Money.parse(body.amount, currency, "amount");
  if (amount.minor <= 0) throw new InvalidInputError("amount", "more than zero", amount.format());
  const customer: Customer = { name: body.customer.name, ...(body.customer.email ? { email: body.customer.email } : {}), ...(body.customer.phone ? { phone: body.customer.phone } : {}) };
  const returnUrl = body.return_url ?? undefined;

  const id = newId("pay");
  await ctx.db.tx(async (sql) => {
    const holder = await lockOrderPayIn(sql, merchantId, body.order_ref);
    if (holder) throw orderTaken(holder, (p) => paymentJson(p));
    await sql.query(
      `insert into payments (id, merchant_id, kind, gateway, method, order_ref, amount_minor, currency, status, party, return_url, metadata, expires_at)
       values ($1, $2, 'pay_in', $3, $4, $5, $6, $7, 'pending', $8, $9, $10, now() + make_interval(secs => $11))`,
      [id, merchantId, gateway, method, body.order_ref, amount.minor, currency, JSON.stringify({ customer }), returnUrl ?? null, JSON.stringify(body.metadata ?? {}), payInLifetimeMs(ctx.config, connector.capabilities, method as PayInMethod) / 1000],
    );
    await sql.query("insert into payment_events (payment_id, type, to_status, source) values ($1, 'created', 'pending', 'api')", [id]);
    await bind(sql, id);
  });
  try {
    const payIn = await connector.createPayIn({
      merchantRef: id,
      amount,
      method: method as PayInMethod,
      customer,
      callbackUrl: ctx.callbackUrl(gateway, id),
      callbackToken: ctx.secrets.callbackToken(id),
      ...(returnUrl ? { returnUrl } : {}),
      ...(body.description ? { description: body.description } : {}),
    });
    // A callback may have settled the payment before this answer came back: what it wrote stays.
    await ctx.db.query(
      `update payments set gateway_ref = coalesce(gateway_ref, $2),
         next_action = case when status in ('pending', 'requires_action') then $3::jsonb else next_action end,
         gateway_status = case when status = 'pending' then $4 else gateway_status end,
         amount_minor = case when status = 'pending' then $5 else amount_minor end, updated_at = now()
       where id = $1`,
      [
        id,
        payIn.gatewayRef,
        JSON.stringify(payIn.nextAction),
        payIn.gatewayStatus,
        // A gateway that adds its fees to the bill (XPay EG) charges, and calls back with, the total.
        (payIn.amount ?? amount).minor,
      ],
    );
    const { payment } = await applyStatus(ctx.db, id, { status: payIn.status, source: "api", gatewayStatus: payIn.gatewayStatus, gatewayRef: payIn.gatewayRef }, ctx.events);
    return { status: 201, body: paymentJson(payment) };
  } catch (error) {
    return answerCreateFailure(ctx, id, error, { key: "payment", json: (p) => paymentJson(p) });
  }
}
