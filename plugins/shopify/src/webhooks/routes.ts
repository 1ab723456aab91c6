import type { FastifyInstance } from "fastify";
import type { CustomerRef, ShopDataHooks, ShopifyAppDeps } from "../deps";

/** The topics the app subscribes to (shopify.app.toml): the three compliance topics and app/uninstalled. */
export const WEBHOOK_TOPICS = ["customers/data_request", "customers/redact", "shop/redact", "app/uninstalled"] as const;

interface CompliancePayload {
  customer?: { id?: number | string | null; email?: string | null; phone?: string | null } | null;
  orders_requested?: (number | string)[];
  orders_to_redact?: (number | string)[];
  data_request?: { id?: number | string } | null;
}

const customerOf = (payload: CompliancePayload, orders: (number | string)[] | undefined): CustomerRef => ({
  id: payload.customer?.id ?? null,
  email: payload.customer?.email ?? null,
  phone: payload.customer?.phone ?? null,
  orders: Array.isArray(orders) ? orders : [],
});

/** Acts on one verified webhook; answers what it did (stored as the webhook's outcome: ids and counts, no customer data). */
async function act(deps: ShopifyAppDeps, hooks: ShopDataHooks, topic: string, shop: string, payload: CompliancePayload): Promise<Record<string, unknown>> {
  switch (topic) {
    case "app/uninstalled":
      await deps.shops.uninstalled(shop);
      await hooks.uninstalled(deps, shop);
      return { action: "tokens_deleted_mutations_cancelled" };
    case "shop/redact":
      await hooks.redactShop(deps, shop);
      await deps.shops.delete(shop);
      return { action: "shop_deleted" };
    case "customers/redact":
      return { action: "customer_redacted", rows: await hooks.redactCustomer(deps, shop, customerOf(payload, payload.orders_to_redact)) };
    case "customers/data_request": {
      // The shop row holds no customer data; the sessions' rows may. The merchant gets them from the operator (docs/platforms/shopify.md).
      const records = await hooks.customerData(deps, shop, customerOf(payload, payload.orders_requested));
      return { action: "customer_data_collected", data_request_id: payload.data_request?.id ?? null, records: records.length };
    }
    default:
      return { action: "ignored" };
  }
}

/**
 * POST /shopify/webhooks: verified by HMAC over the raw body (@shopify/shopify-api webhooks.validate; 401 when not),
 * processed once per X-Shopify-Webhook-Id (shopify_webhooks), answered 200.
 */
export function webhookRoutes(app: FastifyInstance, deps: ShopifyAppDeps, hooks: ShopDataHooks): void {
  // The raw text: the signature covers the bytes Shopify sent.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
  app.post("/webhooks", async (request, reply) => {
    const rawBody = typeof request.body === "string" ? request.body : "";
    const check = await deps.shopify.webhooks.validate({ rawBody, rawRequest: request.raw, rawResponse: reply.raw });
    if (!check.valid) {
      deps.log.warn({ reason: check.reason, shop: request.headers["x-shopify-shop-domain"] }, "shopify: webhook refused");
      return reply.code(401).send({ error: { code: "invalid_webhook", message: `webhook: ${check.reason === "missing_headers" ? "missing X-Shopify headers" : "the X-Shopify-Hmac-Sha256 signature does not match the body"}` } });
    }
    const topic = String(request.headers["x-shopify-topic"] ?? "").toLowerCase();
    // Present: validate answers missing_headers without it.
    const webhookId = String(request.headers["x-shopify-webhook-id"]);
    const shop = check.domain;
    let payload: CompliancePayload;
    try {
      payload = (rawBody ? JSON.parse(rawBody) : {}) as CompliancePayload;
    } catch {
      return reply.code(400).send({ error: { code: "invalid_body", message: "body: expected JSON" } });
    }
    // Claim the id: the first delivery acts; a redelivery of a processed id is answered at once; one whose first
    // delivery is still being processed gets 409 (Shopify retries it later); a claim older than a minute died with its process.
    const claimed = await deps.db.query(
      `insert into shopify_webhooks (webhook_id, shop, topic) values ($1, $2, $3)
       on conflict (webhook_id) do update set received_at = now()
         where shopify_webhooks.processed_at is null and shopify_webhooks.received_at < now() - interval '60 seconds'
       returning webhook_id`,
      [webhookId, shop, topic],
    );
    if (!claimed.length) {
      const [row] = await deps.db.query<{ processed_at: Date | null }>("select processed_at from shopify_webhooks where webhook_id = $1", [webhookId]);
      if (row?.processed_at) return reply.code(200).send({ ok: true, duplicate: true });
      return reply.code(409).send({ error: { code: "in_progress", message: "X-Shopify-Webhook-Id: this webhook is being processed; retry later" } });
    }
    const outcome = await act(deps, hooks, topic, shop, payload ?? {});
    await deps.db.query("update shopify_webhooks set processed_at = now(), outcome = $2 where webhook_id = $1", [webhookId, JSON.stringify(outcome)]);
    deps.log.info({ shop, topic, webhook_id: webhookId, ...outcome }, "shopify: webhook processed");
    return reply.code(200).send({ ok: true });
  });
}
