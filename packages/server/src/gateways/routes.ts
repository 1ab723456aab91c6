import { z } from "zod";
import {
  GATEWAYS,
  GATEWAY_IDS,
  InvalidInputError,
  OutcomeUnknownError,
  configJsonSchema,
  createConnector,
  gatewayDefinition,
  parseGatewayConfig,
  publicConfig,
  secretFields,
  type Connector,
  type GatewayId,
} from "@xpay-connect/core";
import type { App } from "../app";
import type { ServiceContext } from "../context";
import { ApiError } from "../api/errors";
import { BEARER, GatewayIdSchema, errors, json, storable } from "../api/schemas";
import { merchantOf } from "../api/v1";

/** A merchant's account at one gateway, as the API shows it: never a secret value. */
const GatewayAccountSchema = z
  .object({
    object: z.literal("gateway_account"),
    gateway: GatewayIdSchema,
    title: z.string().meta({ examples: ["XPay (Egypt)"] }),
    country: z.enum(["PK", "EG", "KG"]),
    capabilities: z.object({
      pay_in: z.boolean(),
      payout: z.boolean(),
      refund: z.boolean(),
      balance: z.boolean(),
      query: z.boolean(),
      pay_in_methods: z.array(z.string()),
      payout_methods: z.array(z.string()),
      currencies: z.array(z.string()),
      callback_verification: z.enum(["signature", "query"]),
    }),
    callback_url: z.object({
      mode: z.enum(["per_payment", "dashboard"]).meta({ description: "`per_payment`: the service sends each payment's own URL; `dashboard`: set `url` in the gateway's dashboard." }),
      url: z.string().nullable().meta({ description: "The URL to set in the gateway's dashboard (`dashboard` mode); null otherwise.", examples: ["https://pay.example.com/callbacks/xpay-eg"] }),
    }),
    config: z.record(z.string(), z.unknown()).meta({ description: "The account's non-secret config fields and their values.", examples: [{ baseUrl: "https://community.xpay.app", communityId: "m2J7eBK" }] }),
    secrets_set: z.array(z.string()).meta({ description: "The names of the secret fields that hold a value (the values are never returned).", examples: [["apiKey"]] }),
    created_at: z.string().meta({ format: "date-time" }),
    updated_at: z.string().meta({ format: "date-time" }),
  })
  .meta({ id: "GatewayAccount" });

const GatewayParams = z.object({ gateway: GatewayIdSchema });

/** Statuses of a payment still waiting on its gateway: its account must stay while one exists. */
const IN_FLIGHT = ["pending", "requires_action", "authorized"];

/** One account as the API shows it. */
function accountJson(ctx: ServiceContext, gateway: GatewayId, config: Record<string, unknown>, createdAt: Date, updatedAt: Date): z.output<typeof GatewayAccountSchema> {
  const definition = gatewayDefinition(gateway);
  const c = definition.capabilities;
  return {
    object: "gateway_account",
    gateway,
    title: definition.title,
    country: definition.country,
    capabilities: {
      pay_in: c.payIn,
      payout: c.payout,
      refund: c.refund,
      balance: c.balance,
      query: c.query,
      pay_in_methods: [...c.payInMethods],
      payout_methods: [...c.payoutMethods],
      currencies: [...c.currencies],
      callback_verification: c.callbackVerification,
    },
    callback_url: { mode: c.callbackUrl, url: c.callbackUrl === "dashboard" ? `${ctx.config.publicUrl}/callbacks/${gateway}` : null },
    config: publicConfig(definition, config),
    secrets_set: secretFields(definition).filter((name) => config[name] !== undefined && config[name] !== null && config[name] !== ""),
    created_at: new Date(createdAt).toISOString(),
    updated_at: new Date(updatedAt).toISOString(),
  };
}

/**
 * Proves credentials with the gateway's cheapest authenticated call: a refusal is a 422 naming the
 * credential; an unreachable gateway is a 502 (nothing is stored either way).
 */
async function checkCredentials(connector: Connector, gateway: GatewayId): Promise<void> {
  try {
    await connector.checkCredentials();
  } catch (error) {
    if (error instanceof InvalidInputError) {
      throw new ApiError(422, "credentials_refused", `${error.field}: ${gateway} refused these credentials: expected ${error.expected}; nothing was stored`, error.field);
    }
    if (error instanceof OutcomeUnknownError) throw new ApiError(502, "gateway_unreachable", `gateway: ${gateway} did not answer the credentials check; nothing was stored, try again`, "gateway");
    throw error;
  }
}

/** Refuses config text with a NUL character or a lone surrogate (a header or URL the gateway would get, a value PostgreSQL cannot compare), naming its field. */
function storableConfig(config: Record<string, unknown>, check: z.RefinementCtx): void {
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === "string" && !storable(value)) check.addIssue({ code: "custom", path, message: "expected text without NUL characters or lone surrogates" });
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, [...path, storable(k) ? k : "(key)"]);
  };
  for (const [key, value] of Object.entries(config)) walk(value, [storable(key) ? key : "body"]);
}

/** GET /v1/gateways, GET /v1/gateways/schema, PUT and DELETE /v1/gateways/:gateway. */
export function gatewayRoutes(app: App, ctx: ServiceContext): void {
  app.get(
    "/gateways",
    {
      schema: {
        operationId: "listGatewayAccounts",
        summary: "The merchant's gateway accounts: capabilities, methods, currencies, callback URL mode and the non-secret config",
        tags: ["gateways"],
        security: BEARER,
        response: { 200: json(z.object({ object: z.literal("list"), data: z.array(GatewayAccountSchema) }).meta({ id: "GatewayAccountList" }), "Every configured gateway, by id."), ...errors(401) },
      },
    },
    async (request) => {
      const accounts = await ctx.merchants.gatewayAccounts(merchantOf(request));
      return { object: "list" as const, data: accounts.map((a) => accountJson(ctx, a.gateway, a.config, a.createdAt, a.updatedAt)) };
    },
  );

  app.get(
    "/gateways/schema",
    {
      schema: {
        operationId: "gatewayConfigSchemas",
        summary: "Each gateway's config fields as JSON Schema, for settings forms",
        description: "Titles, descriptions, types and `secret: true` on credentials (render them as password fields; their values are never returned).",
        tags: ["gateways"],
        security: BEARER,
        response: {
          200: json(
            z.object({ object: z.literal("list"), data: z.array(z.object({ gateway: GatewayIdSchema, title: z.string(), country: z.string(), callback_url: z.enum(["per_payment", "dashboard"]), schema: z.record(z.string(), z.unknown()) })) }).meta({ id: "GatewayConfigSchemas" }),
            "One JSON Schema (draft 2020-12) per gateway.",
          ),
          ...errors(401),
        },
      },
    },
    async (request) => {
      merchantOf(request);
      return {
        object: "list" as const,
        data: GATEWAY_IDS.map((gateway) => ({
          gateway,
          title: GATEWAYS[gateway].title,
          country: GATEWAYS[gateway].country,
          callback_url: GATEWAYS[gateway].capabilities.callbackUrl,
          schema: configJsonSchema(gatewayDefinition(gateway)) as Record<string, unknown>,
        })),
      };
    },
  );

  app.put(
    "/gateways/:gateway",
    {
      schema: {
        operationId: "putGatewayAccount",
        summary: "Add or replace the merchant's account at a gateway",
        description:
          "The body is the gateway's config (see GET /v1/gateways/schema), checked against its schema (a 400 names the field), then against the gateway with its cheapest authenticated call where it has one (a 422 `credentials_refused` names the credential). Stored encrypted; secret values are never returned.",
        tags: ["gateways"],
        security: BEARER,
        params: GatewayParams,
        body: z.record(z.string(), z.unknown(), { error: "expected a JSON object: the gateway's config" }).superRefine(storableConfig).meta({ description: "The gateway's config fields (GET /v1/gateways/schema).", examples: [{ baseUrl: "http://127.0.0.1:4010/xpress-pay", appId: "..." }] }),
        response: {
          200: json(GatewayAccountSchema, "Replaced."),
          201: json(GatewayAccountSchema, "Added."),
          ...errors(400, 401, 422, 502),
        },
      },
    },
    async (request, reply) => {
      const merchantId = merchantOf(request);
      const { gateway } = request.params;
      const config = parseGatewayConfig(gateway, request.body) as Record<string, unknown>;
      await checkCredentials(createConnector(gateway, config as never) as Connector, gateway);
      const existed = (await ctx.merchants.gateways(merchantId)).includes(gateway);
      await ctx.merchants.setGatewayAccount(merchantId, gateway, config);
      ctx.log.info({ merchant_id: merchantId, gateway }, existed ? "gateway account replaced" : "gateway account added");
      const stored = (await ctx.merchants.gatewayAccounts(merchantId)).find((a) => a.gateway === gateway);
      if (!stored) throw new Error(`the ${gateway} account was not stored`);
      return reply.code(existed ? 200 : 201).send(accountJson(ctx, gateway, stored.config, stored.createdAt, stored.updatedAt));
    },
  );

  app.delete(
    "/gateways/:gateway",
    {
      schema: {
        operationId: "deleteGatewayAccount",
        summary: "Remove the merchant's account at a gateway",
        description: "Refused (409 `account_in_use`) while a payment at this gateway still waits on it: its callbacks and reconciliation need the credentials.",
        tags: ["gateways"],
        security: BEARER,
        params: GatewayParams,
        response: { 200: json(GatewayAccountSchema, "Removed: the account as it was."), ...errors(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const merchantId = merchantOf(request);
      const { gateway } = request.params;
      const account = (await ctx.merchants.gatewayAccounts(merchantId)).find((a) => a.gateway === gateway);
      if (!account) throw new ApiError(404, "not_found", `gateway: this merchant has no ${gateway} account`, "gateway");
      const [waiting] = await ctx.db.query<{ n: number }>("select count(*)::int as n from payments where merchant_id = $1 and gateway = $2 and status = any($3)", [merchantId, gateway, IN_FLIGHT]);
      if (Number(waiting?.n ?? 0) > 0) {
        throw new ApiError(409, "account_in_use", `gateway: ${waiting?.n} ${gateway} payment(s) still wait on this account (callbacks, reconciliation); remove it once they are settled`, "gateway");
      }
      await ctx.merchants.removeGatewayAccount(merchantId, gateway);
      ctx.log.info({ merchant_id: merchantId, gateway }, "gateway account removed");
      return accountJson(ctx, gateway, account.config, account.createdAt, account.updatedAt);
    },
  );
}
