import { z } from "zod";
import { InvalidInputError, Money, requirePayout, type PayoutMethod, type Recipient } from "@xpay-connect/core";
import type { App } from "../app";
import type { ServiceContext } from "../context";
import { newId } from "../crypto";
import { answerCreateFailure } from "../api/create-failure";
import { ApiError, apiFieldError, capable } from "../api/errors";
import { recoverCreate } from "../api/create-recovery";
import { idempotent, type Answer, type BindKey } from "../api/idempotency";
import { ListQuery, listPayments } from "../api/list";
import { BEARER, CurrencySchema, GatewayIdSchema, MetadataSchema, RequiredIdempotencyHeaders, PayoutSchema, amountText, errors, json, optionalText, pageOf, pathId, text } from "../api/schemas";
import { merchantOf } from "../api/v1";
import { maskAccountNumber, maskMobile, maskedRecipient } from "./masking";
import { applyStatus, findPayment, paymentJson, timeline, type PaymentEventRow, type PaymentRow } from "../payments";

/** The recipient as stored with a payout and shown by the API: no national id, the wallet and account numbers masked. */
export type StoredRecipient = z.output<typeof PayoutSchema>["recipient"];

/** A payout as the API shows it: the payment shape (`object: "payout"`) plus its recipient. */
export function payoutJson(p: PaymentRow, events?: PaymentEventRow[]) {
  const stored = (p.party as { recipient?: StoredRecipient }).recipient;
  return { ...paymentJson(p, events), recipient: stored ? maskedRecipient(stored) : null };
}

/** Who receives a payout; which fields are needed depends on the gateway and method. */
const RecipientSchema = z
  .object(
    {
      name: text(100).meta({ examples: ["Ali Khan"] }),
      mobile: optionalText(32).meta({ description: "Wallet or mobile number. Stored and shown masked (`0311****445`).", examples: ["03112233445"] }),
      email: optionalText(255),
      national_id: optionalText(32).meta({ description: "PayPro: CNIC, 13 digits. Sent to the gateway, never stored." }),
      bank_code: optionalText(64).meta({ description: "From the gateway's bank list." }),
      account_number: optionalText(64).meta({ description: "Stored and shown masked (`****6789`: at most the last four characters)." }),
    },
    { error: "expected an object with the recipient's name and account (mobile, bank_code, account_number...)" },
  )
  .meta({ id: "Recipient", description: "Which fields are needed depends on the gateway and method (PayPro bank: bank_code, account_number, national_id)." });

/** POST /v1/payouts. Fields are checked in this order, so the first wrong one is named. */
const PayoutCreate = z
  .object(
    {
      gateway: GatewayIdSchema.meta({ description: "A gateway that pays out (xpress-pay, paypro); the others answer 422 `capability_missing`." }),
      method: text(32).meta({ description: "xpress-pay easypaisa|jazzcash; paypro bank|wallet|easypaisa|jazzcash.", examples: ["easypaisa"] }),
      currency: CurrencySchema,
      amount: amountText("The amount to send (PayPro: whole rupees)."),
      order_ref: text(128).meta({ description: "Your payout reference.", examples: ["PAYOUT-77"] }),
      recipient: RecipientSchema,
      remark: optionalText(255),
      metadata: MetadataSchema.nullish(),
    },
    { error: "expected a JSON object" },
  )
  .meta({ id: "PayoutCreate" });

const PayoutParams = z.object({ id: pathId("The payout id (`po_...`).", "po_3kTqx9Lw2VbNcQ8e") });

/** POST /v1/payouts, GET /v1/payouts/:id, GET /v1/payouts. */
export function payoutRoutes(app: App, ctx: ServiceContext): void {
  app.post(
    "/payouts",
    {
      schema: {
        operationId: "createPayout",
        summary: "Send money out (xpress-pay, paypro)",
        description:
          "Stored first (pending), then created at the gateway with our payout id as the merchant reference; the outcome arrives by callback or reconciliation. `Idempotency-Key` is required: a retry without it would send the money again.",
        tags: ["payouts"],
        security: BEARER,
        headers: RequiredIdempotencyHeaders,
        body: PayoutCreate,
        response: {
          201: json(PayoutSchema, "Created at the gateway, usually pending until it reports."),
          202: json(PayoutSchema, "Stored, outcome unknown: reconciliation settles it. Do not create another."),
          ...errors(400, 401, 402, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const merchantId = merchantOf(request);
      // The route is part of the hashed request: a key first used for another endpoint is refused, not replayed.
      const answer = await idempotent(ctx.db, merchantId, request.headers["idempotency-key"], { route: "POST /v1/payouts", body: request.body }, (bind) => createPayout(ctx, merchantId, request.body, bind), {
        lockSeconds: ctx.config.idempotencyLockSeconds,
        recover: (id) => recoverCreate(ctx, id, (p) => payoutJson(p)),
      });
      return reply.code(answer.status as 201).send(answer.body as z.output<typeof PayoutSchema>);
    },
  );

  app.get(
    "/payouts/:id",
    {
      schema: {
        operationId: "getPayout",
        summary: "A payout with its event timeline",
        tags: ["payouts"],
        security: BEARER,
        params: PayoutParams,
        response: { 200: json(PayoutSchema, "The payout, with `events`."), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const p = await findPayment(ctx.db, request.params.id, merchantOf(request));
      if (!p || p.kind !== "payout") throw new ApiError(404, "not_found", `id: no payout ${request.params.id}`, "id");
      return payoutJson(p, await timeline(ctx.db, p.id));
    },
  );

  app.get(
    "/payouts",
    {
      schema: {
        operationId: "listPayouts",
        summary: "List payouts, newest first",
        tags: ["payouts"],
        security: BEARER,
        querystring: ListQuery,
        response: { 200: json(pageOf(PayoutSchema, "PayoutList"), "A page of payouts."), ...errors(400, 401) },
      },
    },
    async (request) => listPayments(ctx, merchantOf(request), request.query, "payout", (p) => payoutJson(p)),
  );
}

/** The request's recipient, as the connector takes it and as it is stored. */
function recipientOf(r: z.output<typeof RecipientSchema>): { recipient: Recipient; stored: NonNullable<StoredRecipient> } {
  const { name, mobile, email, national_id: nationalId, bank_code: bankCode, account_number: accountNumber } = r;
  const recipient: Recipient = { name, ...(mobile ? { mobile } : {}), ...(email ? { email } : {}), ...(nationalId ? { nationalId } : {}), ...(bankCode ? { bankCode } : {}), ...(accountNumber ? { accountNumber } : {}) };
  // The national id is needed once, by the gateway; the wallet and account numbers are kept masked (masking.ts).
  const stored = {
    name,
    ...(mobile ? { mobile: maskMobile(mobile) } : {}),
    ...(email ? { email } : {}),
    ...(bankCode ? { bank_code: bankCode } : {}),
    ...(accountNumber ? { account_number: maskAccountNumber(accountNumber) } : {}),
  };
  return { recipient, stored };
}

/** Creates a payout: stored first (pending), then created at the gateway with our payout id as its merchant reference. */
async function createPayout(ctx: ServiceContext, merchantId: string, body: z.output<typeof PayoutCreate>, bind: BindKey): Promise<Answer> {
  const { gateway, method, currency } = body;
  const connector = await capable(async () => requirePayout(await ctx.merchants.connector(merchantId, gateway)));
  if (!(connector.capabilities.payoutMethods as readonly string[]).includes(method)) {
    throw new InvalidInputError("method", `one of ${connector.capabilities.payoutMethods.join(", ")} for ${gateway} payouts`, method);
  }
  if (!(connector.capabilities.currencies as readonly string[]).includes(currency)) {
    throw new InvalidInputError("currency", `one of ${connector.capabilities.currencies.join(", ")} for ${gateway}`, currency);
  }
  const amount = Money.parse(body.amount, currency, "amount");
  if (amount.minor <= 0) throw new InvalidInputError("amount", "more than zero", amount.format());
  const orderRef = body.order_ref;
  const { recipient, stored } = recipientOf(body.recipient);
  const remark = body.remark;
  const meta = body.metadata ?? {};

  const id = newId("po");
  await ctx.db.tx(async (sql) => {
    await sql.query(
      `insert into payments (id, merchant_id, kind, gateway, method, order_ref, amount_minor, currency, status, party, metadata)
       values ($1, $2, 'payout', $3, $4, $5, $6, $7, 'pending', $8, $9)`,
      [id, merchantId, gateway, method, orderRef, amount.minor, currency, JSON.stringify({ recipient: stored }), JSON.stringify(meta)],
    );
    await sql.query("insert into payment_events (payment_id, type, to_status, source) values ($1, 'created', 'pending', 'api')", [id]);
    await bind(sql, id);
  });
  try {
    const created = await connector.createPayout({
      merchantRef: id,
      amount,
      method: method as PayoutMethod,
      recipient,
      callbackUrl: ctx.callbackUrl(gateway, id),
      ...(remark ? { remark } : {}),
    });
    // A callback may have settled the payout before this answer came back: what it wrote stays.
    await ctx.db.query("update payments set gateway_ref = coalesce(gateway_ref, $2), gateway_status = case when status = 'pending' then $3 else gateway_status end, updated_at = now() where id = $1", [
      id,
      created.gatewayRef,
      created.gatewayStatus,
    ]);
    const { payment } = await applyStatus(ctx.db, id, { status: created.status, source: "api", gatewayStatus: created.gatewayStatus, gatewayRef: created.gatewayRef }, ctx.events);
    return { status: 201, body: payoutJson(payment) };
  } catch (error) {
    return answerCreateFailure(ctx, id, error, { key: "payout", json: (p) => payoutJson(p), inputError: apiFieldError });
  }
}
