import { createHash, createHmac, randomUUID } from "node:crypto";
import { postToApp } from "./outbound";
import type { DeployedApp, Shop, ShopifyState, WebhookRecord } from "./state";

/** The topics the emulator sends: the three compliance topics and app/uninstalled. */
export const WEBHOOK_TOPICS = ["customers/data_request", "customers/redact", "shop/redact", "app/uninstalled"] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

/** Shopify's delivery timeout (5 s in total). */
const WEBHOOK_TIMEOUT_MS = 5000;

/** A stable numeric id for a shop, as Shopify's shop ids are numbers. */
export function shopId(domain: string): number {
  return Number.parseInt(createHash("sha256").update(domain).digest("hex").slice(0, 10), 16);
}

/** The documented example payload of a topic, for this shop. */
function defaultPayload(topic: WebhookTopic, shop: Shop): Record<string, unknown> {
  const id = shopId(shop.domain);
  const customer = { id: 207119551, email: "john@example.com", phone: "555-625-1199" };
  switch (topic) {
    case "customers/data_request":
      return { shop_id: id, shop_domain: shop.domain, orders_requested: [299938, 280263, 220458], customer, data_request: { id: 9999 } };
    case "customers/redact":
      return { shop_id: id, shop_domain: shop.domain, customer, orders_to_redact: [299938, 280263, 220458] };
    case "shop/redact":
      return { shop_id: id, shop_domain: shop.domain };
    case "app/uninstalled":
      return { id, name: shop.name, domain: shop.domain, myshopify_domain: shop.domain, currency: shop.currency, email: `owner@${shop.domain}` };
  }
}

/** Where the app takes a topic: the compliance URI or the app/uninstalled one (relative URIs are on the app's URL). */
function webhookUrl(app: DeployedApp, topic: WebhookTopic): string | undefined {
  const uri = topic === "app/uninstalled" ? app.webhooks.app_uninstalled_uri : app.webhooks.compliance_uri;
  if (!uri) return undefined;
  return new URL(uri, app.application_url).toString();
}

/**
 * Sends one webhook signed as Shopify signs them: base64 HMAC-SHA256 of the raw body with the app's secret in
 * X-Shopify-Hmac-Sha256, with the topic, shop, version, webhook id, trigger time and event id headers.
 * `tamper` changes the body after signing, for testing the app's check.
 */
export async function sendWebhook(
  state: ShopifyState,
  app: DeployedApp,
  shop: Shop,
  topic: WebhookTopic,
  options: { payload?: unknown; tamper?: boolean; webhookId?: string } = {},
): Promise<WebhookRecord | string> {
  const url = webhookUrl(app, topic);
  if (!url) return `topic: the app declares no ${topic === "app/uninstalled" ? "app_uninstalled_uri" : "compliance_uri"}`;
  const previous = options.webhookId ? shop.webhooks.find((w) => w.webhook_id === options.webhookId) : undefined;
  if (options.webhookId && !previous) return `webhook_id: no webhook ${options.webhookId} was sent to ${shop.domain}`;
  const body = previous?.body ?? JSON.stringify(options.payload ?? defaultPayload(topic, shop));
  const webhookId = previous?.webhook_id ?? randomUUID();
  const signature = createHmac("sha256", app.client_secret).update(body).digest("base64");
  const sent = options.tamper ? body.replace(/}$/, ',"tampered":true}') : body;
  const answer = await postToApp(
    url,
    sent,
    {
      "content-type": "application/json",
      "X-Shopify-Hmac-Sha256": signature,
      "X-Shopify-Topic": previous?.topic ?? topic,
      "X-Shopify-Shop-Domain": shop.domain,
      "X-Shopify-API-Version": app.webhooks.api_version,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-Event-Id": randomUUID(),
    },
    WEBHOOK_TIMEOUT_MS,
  );
  const record: WebhookRecord = { topic: previous?.topic ?? topic, webhook_id: webhookId, status: answer.status, shop: shop.domain, body };
  shop.webhooks.push(record);
  return record;
}
