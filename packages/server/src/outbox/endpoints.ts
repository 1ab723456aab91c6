import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { InvalidInputError } from "@xpay-connect/core";
import type { ServiceContext } from "../context";
import { newId } from "../crypto";
import { ApiError } from "../api/errors";
import { objectBody, optStr } from "../api/input";
import { merchantOf, urlField } from "../api/payments";

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

/** An endpoint as the API shows it; `secret` only in the answers of create and rotate-secret. */
export function endpointJson(e: EndpointRow, secret?: string) {
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
export function endpointRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post("/v1/endpoints", async (request, reply) => {
    const merchantId = merchantOf(request);
    const body = objectBody(request.body);
    if (body.url === undefined || body.url === null) throw new InvalidInputError("url", "the absolute http(s) URL of your storefront's receiver", body.url);
    const url = urlField(body, "url") as string;
    const description = optStr(body, "description", 255) ?? null;
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
  });

  app.get("/v1/endpoints", async (request) => {
    const rows = await ctx.db.query<EndpointRow>(
      `select ${PUBLIC_COLUMNS} from endpoints where merchant_id = $1 order by enabled desc, created_at desc, id desc limit 100`,
      [merchantOf(request)],
    );
    return { object: "list", data: rows.map((e) => endpointJson(e)) };
  });

  app.delete<{ Params: { id: string } }>("/v1/endpoints/:id", async (request) => {
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
  });

  app.post<{ Params: { id: string } }>("/v1/endpoints/:id/rotate-secret", async (request) => {
    const merchantId = merchantOf(request);
    const id = request.params.id;
    const body = request.body === undefined || request.body === null ? {} : objectBody(request.body);
    const grace = body.grace_seconds === undefined || body.grace_seconds === null ? DEFAULT_GRACE_SECONDS : body.grace_seconds;
    if (typeof grace !== "number" || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
      throw new InvalidInputError("grace_seconds", `an integer from 0 to ${MAX_GRACE_SECONDS} (how long the previous secret keeps signing)`, grace);
    }
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
  });
}
