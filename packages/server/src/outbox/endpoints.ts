import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { App } from "../app";
import type { ServiceContext } from "../context";
import { newId } from "../crypto";
import { ApiError } from "../api/errors";
import { BEARER, PaymentSchema, errors, httpUrl, json, optionalText, pathId } from "../api/schemas";
import { merchantOf } from "../api/v1";
import { EndpointAddressError, checkEndpointUrl } from "./address-guard";

/** An endpoints row (secrets stay sealed: they are read only by the delivery worker). */
interface EndpointRow {
  id: string;
  merchant_id: string;
  url: string;
  description: string | null;
  enabled: boolean;
  created_at: Date;
  disabled_at: Date | null;
  previous_secret_expires_at: Date | null;
}

/** The columns an answer is built from: never a secret, sealed or not. */
const PUBLIC_COLUMNS = "id, merchant_id, url, description, enabled, created_at, disabled_at, previous_secret_expires_at";

/** Enabled endpoints a merchant may have: each event is sent to every one of them. */
export const MAX_ENABLED_ENDPOINTS = 16;
/** The longest a rotated-out secret keeps signing (7 days); the default is 24 hours. */
export const MAX_GRACE_SECONDS = 7 * 86_400;
const DEFAULT_GRACE_SECONDS = 86_400;

/** A new signing secret: "whsec_" and 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

const iso = (description: string) => z.string().meta({ description, format: "date-time" });

/** An endpoint as the API answers it. */
const EndpointSchema = z
  .object({
    id: z.string().meta({ examples: ["end_9sQw2Lw9xVbNcQ8e"] }),
    object: z.literal("endpoint"),
    url: z.string().meta({ description: "Where status events are POSTed." }),
    description: z.string().nullable(),
    enabled: z.boolean(),
    created_at: iso("Created."),
    disabled_at: iso("When it was disabled.").nullable(),
    previous_secret_expires_at: iso("While in the future, deliveries carry a second v1 signature made with the previous secret.").nullable(),
    secret: z.string().optional().meta({ description: "The signing secret (`whsec_...`): only in the answers of create and rotate-secret. Store it; it is not shown again." }),
  })
  .meta({ id: "Endpoint" });

const EndpointCreate = z
  .object(
    {
      url: httpUrl("Your storefront's http(s) URL that receives status events.").meta({ examples: ["https://shop.example/xpay-hooks"] }),
      description: optionalText(255).meta({ examples: ["main store"] }),
    },
    { error: "expected a JSON object" },
  )
  .meta({ id: "EndpointCreate" });

const EndpointRotate = z
  .object(
    {
      grace_seconds: z
        .number({ error: `expected an integer from 0 to ${MAX_GRACE_SECONDS} (how long the previous secret keeps signing)` })
        .int(`expected an integer from 0 to ${MAX_GRACE_SECONDS}`)
        .min(0, `expected an integer from 0 to ${MAX_GRACE_SECONDS}`)
        .max(MAX_GRACE_SECONDS, `expected an integer from 0 to ${MAX_GRACE_SECONDS}`)
        .nullish()
        .meta({ description: "How long the previous secret keeps signing too (a second v1 signature); 86400 when absent." }),
    },
    { error: "expected a JSON object" },
  )
  .nullish()
  .meta({ id: "EndpointRotate" });

/** What each enabled endpoint receives: the OpenAPI document's `statusChanged` webhook. */
export const EventSchema = z
  .object({
    id: z.string().meta({ description: "Stable: one per payment and status. Deduplicate on it.", examples: ["evt_Xq3Lw9xVbNcQ8eT2"] }),
    type: z.string().meta({ examples: ["payment.succeeded", "payment.failed", "payout.succeeded"] }),
    created_at: iso("When the change was recorded."),
    data: PaymentSchema,
  })
  .meta({ id: "Event", description: "A status change delivered to your endpoint." });

const EndpointParams = z.object({ id: pathId("The endpoint id.", "end_9sQw2Lw9xVbNcQ8e") });

/** An endpoint as the API shows it; `secret` only in the answers of create and rotate-secret. */
export function endpointJson(e: EndpointRow, secret?: string): z.output<typeof EndpointSchema> {
  const graceEnds = e.previous_secret_expires_at && new Date(e.previous_secret_expires_at);
  return {
    id: e.id,
    object: "endpoint" as const,
    url: e.url,
    description: e.description,
    enabled: e.enabled,
    created_at: new Date(e.created_at).toISOString(),
    disabled_at: e.disabled_at && new Date(e.disabled_at).toISOString(),
    // While set and in the future, deliveries carry a second v1 signature made with the previous secret.
    previous_secret_expires_at: graceEnds && graceEnds.getTime() > Date.now() ? graceEnds.toISOString() : null,
    ...(secret ? { secret } : {}),
  };
}

/**
 * The storefront endpoints API, authenticated by the merchant's API key:
 * POST /v1/endpoints, GET /v1/endpoints, DELETE /v1/endpoints/:id, POST /v1/endpoints/:id/rotate-secret.
 */
export function endpointRoutes(app: App, ctx: ServiceContext): void {
  app.post(
    "/endpoints",
    {
      schema: {
        operationId: "createEndpoint",
        summary: "Add a storefront endpoint (where status changes are delivered)",
        description:
          'Each status change is POSTed to every enabled endpoint as an `Event`, signed `X-Xpay-Connect-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">` with the endpoint\'s secret, and retried with exponential backoff for at least 24 hours until a 2xx. At most 16 enabled endpoints per merchant. The URL must resolve to public addresses: loopback, private (RFC 1918, fc00::/7), link-local (169.254.0.0/16 with the cloud metadata address, fe80::/10), carrier-grade NAT, multicast and other special-purpose addresses are refused with 422 `endpoint_address_refused` here and on every delivery, unless the operator set ALLOW_PRIVATE_ENDPOINTS=true.',
        tags: ["endpoints"],
        security: BEARER,
        body: EndpointCreate,
        response: { 201: json(EndpointSchema, "The endpoint and its signing `secret` (shown once)."), ...errors(400, 401, 422) },
      },
    },
    async (request, reply) => {
      const merchantId = merchantOf(request);
      const { url } = request.body;
      await checkEndpointUrl(url, ctx.endpointPolicy).catch((error: unknown) => {
        throw error instanceof EndpointAddressError ? new ApiError(422, "endpoint_address_refused", `url: ${error.message}`, "url") : error;
      });
      const description = request.body.description ?? null;
      const secret = newSigningSecret();
      const id = newId("end");
      const row = await ctx.db.tx(async (sql) => {
        // The merchant row is the lock that keeps two concurrent creates from both passing the limit.
        await sql.query("select id from merchants where id = $1 for update", [merchantId]);
        const [count] = await sql.query<{ n: number }>("select count(*)::int as n from endpoints where merchant_id = $1 and enabled", [merchantId]);
        if (Number(count?.n ?? 0) >= MAX_ENABLED_ENDPOINTS) {
          throw new ApiError(422, "limit_reached", `url: at most ${MAX_ENABLED_ENDPOINTS} enabled endpoints per merchant; delete one first`, "url");
        }
        const [created] = await sql.query<EndpointRow>(
          `insert into endpoints (id, merchant_id, url, description, secret_ciphertext) values ($1, $2, $3, $4, $5) returning ${PUBLIC_COLUMNS}`,
          [id, merchantId, url, description, ctx.secrets.encrypt(secret)],
        );
        return created as EndpointRow;
      });
      ctx.log.info({ merchant_id: merchantId, endpoint_id: id }, "storefront endpoint created");
      return reply.code(201).send(endpointJson(row, secret));
    },
  );

  app.get(
    "/endpoints",
    {
      schema: {
        operationId: "listEndpoints",
        summary: "The merchant's endpoints, enabled first (secrets are not shown)",
        tags: ["endpoints"],
        security: BEARER,
        response: { 200: json(z.object({ object: z.literal("list"), data: z.array(EndpointSchema) }).meta({ id: "EndpointList" }), "The endpoints (at most 100)."), ...errors(401) },
      },
    },
    async (request) => {
      const rows = await ctx.db.query<EndpointRow>(
        `select ${PUBLIC_COLUMNS} from endpoints where merchant_id = $1 order by enabled desc, created_at desc, id desc limit 100`,
        [merchantOf(request)],
      );
      return { object: "list" as const, data: rows.map((e) => endpointJson(e)) };
    },
  );

  app.delete(
    "/endpoints/:id",
    {
      schema: {
        operationId: "deleteEndpoint",
        summary: "Disable an endpoint: nothing more is delivered to it (its waiting deliveries are given up)",
        tags: ["endpoints"],
        security: BEARER,
        params: EndpointParams,
        response: { 200: json(EndpointSchema, "The endpoint, disabled."), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const merchantId = merchantOf(request);
      const id = request.params.id;
      const row = await ctx.db.tx(async (sql) => {
        const [updated] = await sql.query<EndpointRow>(
          `update endpoints set enabled = false, disabled_at = coalesce(disabled_at, now()) where id = $1 and merchant_id = $2 returning ${PUBLIC_COLUMNS}`,
          [id, merchantId],
        );
        if (!updated) throw new ApiError(404, "not_found", `id: no endpoint ${id}`, "id");
        // Nothing more goes to a disabled endpoint: its waiting deliveries are given up, kept for the record.
        await sql.query(
          "update deliveries set abandoned_at = now(), last_error = coalesce(last_error, 'endpoint disabled') where endpoint_id = $1 and delivered_at is null and abandoned_at is null",
          [id],
        );
        return updated;
      });
      ctx.log.info({ merchant_id: merchantId, endpoint_id: id }, "storefront endpoint disabled");
      return endpointJson(row);
    },
  );

  app.post(
    "/endpoints/:id/rotate-secret",
    {
      schema: {
        operationId: "rotateEndpointSecret",
        summary: "Replace an endpoint's signing secret (the previous one keeps signing during a grace period)",
        tags: ["endpoints"],
        security: BEARER,
        params: EndpointParams,
        body: EndpointRotate,
        response: { 200: json(EndpointSchema, "The endpoint with its new `secret` (shown once)."), ...errors(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const merchantId = merchantOf(request);
      const id = request.params.id;
      const grace = request.body?.grace_seconds ?? DEFAULT_GRACE_SECONDS;
      const secret = newSigningSecret();
      const row = await ctx.db.tx(async (sql) => {
        const [current] = await sql.query<{ enabled: boolean }>("select enabled from endpoints where id = $1 and merchant_id = $2 for update", [id, merchantId]);
        if (!current) throw new ApiError(404, "not_found", `id: no endpoint ${id}`, "id");
        if (!current.enabled) throw new ApiError(409, "endpoint_disabled", `id: endpoint ${id} is disabled; create a new one`, "id");
        const [rotated] = await sql.query<EndpointRow>(
          `update endpoints set
             previous_secret_ciphertext = case when $4::int > 0 then secret_ciphertext end,
             previous_secret_expires_at = case when $4::int > 0 then now() + make_interval(secs => $4::int) end,
             secret_ciphertext = $3
           where id = $1 and merchant_id = $2 returning ${PUBLIC_COLUMNS}`,
          [id, merchantId, ctx.secrets.encrypt(secret), grace],
        );
        return rotated as EndpointRow;
      });
      ctx.log.info({ merchant_id: merchantId, endpoint_id: id, grace_seconds: grace }, "storefront endpoint secret rotated");
      return endpointJson(row, secret);
    },
  );
}
