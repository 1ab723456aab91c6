import type { FastifyInstance } from "fastify";
import { InvalidInputError, Money, requirePayout, type PayoutMethod, type Recipient } from "@xpay-connect/core";
import type { ServiceContext } from "../context";
import { newId } from "../crypto";
import { answerCreateFailure } from "../api/create-failure";
import { ApiError } from "../api/errors";
import { idempotent, type Answer } from "../api/idempotency";
import { metadata, objectBody, optObject, optStr, str } from "../api/input";
import { listPayments, merchantOf } from "../api/payments";
import { gatewayId } from "../merchants";
import { applyStatus, findPayment, paymentJson, timeline, type PaymentEventRow, type PaymentRow } from "../payments";
import { apiFieldError, capable, idempotencyKey, nestedStr } from "./shared";

/** The recipient as stored with a payout and shown by the API: no national id, the account number masked. */
export interface StoredRecipient {
  name: string;
  mobile?: string;
  email?: string;
  bank_code?: string;
  account_number?: string;
}

/** A payout as the API shows it: the payment shape (`object: "payout"`) plus its recipient. */
export function payoutJson(p: PaymentRow, events?: PaymentEventRow[]) {
  const recipient = (p.party as { recipient?: StoredRecipient }).recipient ?? null;
  return { ...paymentJson(p, events), recipient };
}

/** POST /v1/payouts, GET /v1/payouts/:id, GET /v1/payouts. */
export function payoutRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post("/v1/payouts", async (request, reply) => {
    const merchantId = merchantOf(request);
    // The route is part of the hashed request: a key first used for another endpoint is refused, not replayed.
    const answer = await idempotent(ctx.db, merchantId, idempotencyKey(request), { route: "POST /v1/payouts", body: request.body ?? null }, () =>
      createPayout(ctx, merchantId, request.body),
    );
    return reply.code(answer.status).send(answer.body);
  });

  app.get<{ Params: { id: string } }>("/v1/payouts/:id", async (request) => {
    const p = await findPayment(ctx.db, request.params.id, merchantOf(request));
    if (!p || p.kind !== "payout") throw new ApiError(404, "not_found", `id: no payout ${request.params.id}`, "id");
    return payoutJson(p, await timeline(ctx.db, p.id));
  });

  app.get<{ Querystring: Record<string, string | undefined> }>("/v1/payouts", async (request) => {
    const merchantId = merchantOf(request);
    const page = await listPayments(ctx, merchantId, request.query, "payout");
    const ids = page.data.map((p) => p.id);
    const rows = ids.length ? await ctx.db.query<{ id: string; party: PaymentRow["party"] }>(`select id, party from payments where id in (${ids.map((_, i) => `$${i + 1}`).join(", ")})`, ids) : [];
    const recipients = new Map(rows.map((r) => [r.id, (r.party as { recipient?: StoredRecipient }).recipient ?? null]));
    return { ...page, data: page.data.map((p) => ({ ...p, recipient: recipients.get(p.id) ?? null })) };
  });
}

/** The request's recipient, as the connector takes it and as it is stored. */
function recipientOf(body: Record<string, unknown>): { recipient: Recipient; stored: StoredRecipient } {
  const r = optObject(body, "recipient");
  if (!r) throw new InvalidInputError("recipient", "an object with the recipient's name and account (mobile, bank_code, account_number...)", body.recipient);
  const name = nestedStr(r, "recipient", "name", 100);
  if (!name) throw new InvalidInputError("recipient.name", "the recipient's name", r.name);
  const mobile = nestedStr(r, "recipient", "mobile", 32);
  const email = nestedStr(r, "recipient", "email");
  const nationalId = nestedStr(r, "recipient", "national_id", 32);
  const bankCode = nestedStr(r, "recipient", "bank_code", 64);
  const accountNumber = nestedStr(r, "recipient", "account_number", 64);
  const recipient: Recipient = { name, ...(mobile ? { mobile } : {}), ...(email ? { email } : {}), ...(nationalId ? { nationalId } : {}), ...(bankCode ? { bankCode } : {}), ...(accountNumber ? { accountNumber } : {}) };
  // The national id is needed once, by the gateway; only the account's last four characters are worth keeping.
  const stored: StoredRecipient = {
    name,
    ...(mobile ? { mobile } : {}),
    ...(email ? { email } : {}),
    ...(bankCode ? { bank_code: bankCode } : {}),
    ...(accountNumber ? { account_number: `****${accountNumber.slice(-4)}` } : {}),
  };
  return { recipient, stored };
}

/** Creates a payout: stored first (pending), then created at the gateway with our payout id as its merchant reference. */
async function createPayout(ctx: ServiceContext, merchantId: string, raw: unknown): Promise<Answer> {
  const body = objectBody(raw);
  const gateway = gatewayId(body.gateway);
  const connector = await capable(async () => requirePayout(await ctx.merchants.connector(merchantId, gateway)));
  const method = str(body, "method", 32);
  if (!(connector.capabilities.payoutMethods as readonly string[]).includes(method)) {
    throw new InvalidInputError("method", `one of ${connector.capabilities.payoutMethods.join(", ")} for ${gateway} payouts`, method);
  }
  const currency = str(body, "currency", 3);
  if (!(connector.capabilities.currencies as readonly string[]).includes(currency)) {
    throw new InvalidInputError("currency", `one of ${connector.capabilities.currencies.join(", ")} for ${gateway}`, currency);
  }
  const amount = Money.parse(str(body, "amount", 32), currency, "amount");
  if (amount.minor <= 0) throw new InvalidInputError("amount", "more than zero", amount.format());
  const orderRef = str(body, "order_ref", 128);
  const { recipient, stored } = recipientOf(body);
  const remark = optStr(body, "remark", 255);
  const meta = metadata(body);

  const id = newId("po");
  await ctx.db.tx(async (sql) => {
    await sql.query(
      `insert into payments (id, merchant_id, kind, gateway, method, order_ref, amount_minor, currency, status, party, metadata)
       values ($1, $2, 'payout', $3, $4, $5, $6, $7, 'pending', $8, $9)`,
      [id, merchantId, gateway, method, orderRef, amount.minor, currency, JSON.stringify({ recipient: stored }), JSON.stringify(meta)],
    );
    await sql.query("insert into payment_events (payment_id, type, to_status, source) values ($1, 'created', 'pending', 'api')", [id]);
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
    await ctx.db.query("update payments set gateway_ref = $2, gateway_status = $3, updated_at = now() where id = $1", [id, created.gatewayRef, created.gatewayStatus]);
    const { payment } = await applyStatus(ctx.db, id, { status: created.status, source: "api", gatewayStatus: created.gatewayStatus, gatewayRef: created.gatewayRef }, ctx.events);
    return { status: 201, body: payoutJson(payment) };
  } catch (error) {
    return answerCreateFailure(ctx, id, error, { key: "payout", json: (p) => payoutJson(p), inputError: apiFieldError });
  }
}
