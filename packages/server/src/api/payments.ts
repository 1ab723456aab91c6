import type { FastifyInstance, FastifyRequest } from "fastify";
import { InvalidInputError, Money, isPaymentStatus, requirePayIn, type Customer, type PayInMethod } from "@xpay-connect/core";
import type { ServiceContext } from "../context";
import { newId } from "../crypto";
import { gatewayId } from "../merchants";
import { applyStatus, findPayment, paymentJson, timeline, type PaymentRow } from "../payments";
import { answerCreateFailure } from "./create-failure";
import { ApiError } from "./errors";
import { idempotent, type Answer } from "./idempotency";
import { metadata, objectBody, optObject, optStr, str } from "./input";

/** The merchant a request is authenticated as (set by the API key hook). */
export function merchantOf(request: FastifyRequest): string {
  const id = (request as FastifyRequest & { merchantId?: string }).merchantId;
  if (!id) throw new ApiError(401, "unauthenticated", "Authorization: expected `Bearer <API key>`");
  return id;
}

/** An absolute http(s) URL field. */
export function urlField(body: Record<string, unknown>, field: string): string | undefined {
  const v = optStr(body, field, 2048);
  if (v === undefined) return undefined;
  try {
    const u = new URL(v);
    if (u.protocol === "http:" || u.protocol === "https:") return v;
  } catch {
    // reported below
  }
  throw new InvalidInputError(field, "an absolute http(s) URL", v);
}

/** POST /v1/payments, GET /v1/payments/:id, GET /v1/payments. */
export function paymentRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post("/v1/payments", async (request, reply) => {
    const merchantId = merchantOf(request);
    const key = request.headers["idempotency-key"];
    const answer = await idempotent(ctx.db, merchantId, Array.isArray(key) ? key[0] : key, request.body ?? null, () => createPayIn(ctx, merchantId, request.body));
    return reply.code(answer.status).send(answer.body);
  });

  app.get<{ Params: { id: string } }>("/v1/payments/:id", async (request) => {
    const p = await findPayment(ctx.db, request.params.id, merchantOf(request));
    if (!p) throw new ApiError(404, "not_found", `id: no payment ${request.params.id}`, "id");
    return paymentJson(p, await timeline(ctx.db, p.id));
  });

  app.get<{ Querystring: Record<string, string | undefined> }>("/v1/payments", async (request) => listPayments(ctx, merchantOf(request), request.query, "pay_in"));
}

/** Lists a merchant's payments or payouts, newest first, with filters and a cursor. */
export async function listPayments(ctx: ServiceContext, merchantId: string, query: Record<string, string | undefined>, kind: PaymentRow["kind"]) {
  const limit = query.limit === undefined ? 20 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new InvalidInputError("limit", "an integer from 1 to 100", query.limit);
  const where = ["merchant_id = $1", "kind = $2"];
  const params: unknown[] = [merchantId, kind];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace("?", `$${params.length}`));
  };
  if (query.status !== undefined) {
    if (!isPaymentStatus(query.status)) throw new InvalidInputError("status", "a payment status (pending, succeeded, failed, ...)", query.status);
    add("status = ?", query.status);
  }
  if (query.gateway !== undefined) add("gateway = ?", gatewayId(query.gateway));
  if (query.order_ref !== undefined) add("order_ref = ?", query.order_ref);
  if (query.starting_after !== undefined) {
    const cursor = decodeCursor(query.starting_after);
    params.push(cursor.at, cursor.id);
    where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(limit + 1);
  const rows = await ctx.db.query<PaymentRow>(`select * from payments where ${where.join(" and ")} order by created_at desc, id desc limit $${params.length}`, params);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    object: "list",
    data: page.map((p) => paymentJson(p)),
    has_more: rows.length > limit,
    next_cursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}

function encodeCursor(p: PaymentRow): string {
  return Buffer.from(`${new Date(p.created_at).toISOString()}|${p.id}`).toString("base64url");
}

function decodeCursor(text: string): { at: string; id: string } {
  const [at, id] = Buffer.from(text, "base64url").toString("utf8").split("|");
  if (!at || !id || Number.isNaN(Date.parse(at))) throw new InvalidInputError("starting_after", "a next_cursor from a previous page", text);
  return { at, id };
}

function customerOf(body: Record<string, unknown>): Customer {
  const c = optObject(body, "customer") ?? {};
  const name = c.name;
  if (typeof name !== "string" || !name.trim()) throw new InvalidInputError("customer.name", "the customer's name", name);
  const out: Customer = { name: name.trim() };
  for (const f of ["email", "phone"] as const) {
    if (c[f] === undefined || c[f] === null || c[f] === "") continue;
    if (typeof c[f] !== "string") throw new InvalidInputError(`customer.${f}`, "a string", c[f]);
    out[f] = c[f] as string;
  }
  return out;
}

/** Creates a pay-in: stored first (pending), then created at the gateway with our payment id as its merchant reference. */
async function createPayIn(ctx: ServiceContext, merchantId: string, raw: unknown): Promise<Answer> {
  const body = objectBody(raw);
  const gateway = gatewayId(body.gateway);
  const connector = requirePayIn(await ctx.merchants.connector(merchantId, gateway));
  const method = str(body, "method", 32);
  if (!(connector.capabilities.payInMethods as readonly string[]).includes(method)) {
    throw new InvalidInputError("method", `one of ${connector.capabilities.payInMethods.join(", ")} for ${gateway}`, method);
  }
  const currency = str(body, "currency", 3);
  if (!(connector.capabilities.currencies as readonly string[]).includes(currency)) {
    throw new InvalidInputError("currency", `one of ${connector.capabilities.currencies.join(", ")} for ${gateway}`, currency);
  }
  const amount = Money.parse(str(body, "amount", 32), currency, "amount");
  if (amount.minor <= 0) throw new InvalidInputError("amount", "more than zero", amount.format());
  const orderRef = str(body, "order_ref", 128);
  const customer = customerOf(body);
  const returnUrl = urlField(body, "return_url");
  const description = optStr(body, "description", 255);
  const meta = metadata(body);

  const id = newId("pay");
  await ctx.db.tx(async (sql) => {
    await sql.query(
      `insert into payments (id, merchant_id, kind, gateway, method, order_ref, amount_minor, currency, status, party, return_url, metadata, expires_at)
       values ($1, $2, 'pay_in', $3, $4, $5, $6, $7, 'pending', $8, $9, $10, now() + make_interval(secs => $11))`,
      [id, merchantId, gateway, method, orderRef, amount.minor, currency, JSON.stringify({ customer }), returnUrl ?? null, JSON.stringify(meta), Math.round(ctx.config.expireAfterMs / 1000)],
    );
    await sql.query("insert into payment_events (payment_id, type, to_status, source) values ($1, 'created', 'pending', 'api')", [id]);
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
      ...(description ? { description } : {}),
    });
    await ctx.db.query("update payments set gateway_ref = $2, next_action = $3, gateway_status = $4, amount_minor = $5, updated_at = now() where id = $1", [
      id,
      payIn.gatewayRef,
      JSON.stringify(payIn.nextAction),
      payIn.gatewayStatus,
      // A gateway that adds its fees to the bill (XPay EG) charges, and calls back with, the total.
      (payIn.amount ?? amount).minor,
    ]);
    const { payment } = await applyStatus(ctx.db, id, { status: payIn.status, source: "api", gatewayStatus: payIn.gatewayStatus, gatewayRef: payIn.gatewayRef }, ctx.events);
    return { status: 201, body: paymentJson(payment) };
  } catch (error) {
    return answerCreateFailure(ctx, id, error, { key: "payment", json: (p) => paymentJson(p) });
  }
}
