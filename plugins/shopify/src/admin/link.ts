import type { ServiceClient, ShopifyAppDeps } from "../deps";
import { ConfigureError } from "./configure";
import type { GatewayAccountRow } from "./page";

/** What the service's error body says, for the merchant (the service never echoes secrets). */
export const serviceMessage = (body: unknown): string => {
  const error = (body as { error?: { message?: unknown } } | null)?.error;
  return typeof error?.message === "string" ? error.message : "the service answered an error";
};

/** Tells Shopify whether the shop can take payments: linked, with at least one pay-in gateway account. */
export async function syncReady(deps: ShopifyAppDeps, shop: string, client: ServiceClient | null): Promise<boolean> {
  const row = await deps.shops.get(shop);
  let ready = false;
  if (client && row?.merchantId) {
    const accounts = await client.request<{ data: GatewayAccountRow[] }>("GET", "/v1/gateways");
    ready = accounts.status === 200 && accounts.body.data.some((a) => a.capabilities.pay_in);
  }
  if (ready !== row?.ready || ready) await deps.configurePaymentsApp(shop, ready, ready ? (row?.externalHandle ?? null) : null);
  await deps.shops.setReady(shop, ready);
  return ready;
}

/** How a link ended: linked (ready or not yet), or refused with an HTTP status and a message for the merchant. */
export type LinkOutcome = { linked: true; ready: boolean } | { linked: false; status: number; text: string };

/**
 * Links the shop to the xpay-connect merchant that owns `apiKey`: checks the key with the service, registers the
 * service endpoint that delivers the merchant's events to the app (replacing an earlier link's), then tells Shopify
 * whether the shop is ready (paymentsAppConfigure). The config page's "Link" form and `pnpm start`'s demo shop use it.
 */
export async function linkMerchant(deps: ShopifyAppDeps, shop: string, apiKey: string): Promise<LinkOutcome> {
  const client = deps.service(apiKey);
  const check = await client.request("GET", "/v1/gateways");
  const merchant = check.status === 200 ? await deps.merchantOf(apiKey) : null;
  if (!merchant) return { linked: false, status: 422, text: "apiKey: the service refused this API key; copy it again from the xpay-connect CLI or dashboard." };
  const previous = await deps.shops.get(shop);
  const endpoint = await client.request<{ id: string; secret: string }>("POST", "/v1/endpoints", {
    url: `${deps.config.appUrl}/shopify/events/${shop}`,
    description: `Shopify ${shop}`,
  });
  if (endpoint.status !== 201) return { linked: false, status: 422, text: `The service did not register the events endpoint: ${serviceMessage(endpoint.body)}` };
  // A re-link replaces the old endpoint, so the old merchant stops signing events this shop no longer verifies.
  const oldClient = previous?.endpointId ? await deps.serviceFor(shop) : null;
  if (oldClient && previous?.endpointId) await oldClient.request("DELETE", `/v1/endpoints/${encodeURIComponent(previous.endpointId)}`).catch(() => undefined);
  await deps.shops.link(shop, { merchantId: merchant.id, apiKey, externalHandle: merchant.name });
  await deps.shops.setEndpoint(shop, { id: endpoint.body.id, secret: endpoint.body.secret });
  deps.log.info({ shop, merchant_id: merchant.id }, "shopify: shop linked");
  try {
    return { linked: true, ready: await syncReady(deps, shop, client) };
  } catch (error) {
    if (!(error instanceof ConfigureError)) throw error;
    return { linked: false, status: 502, text: `Linked, but Shopify did not accept the configuration: ${error.message}` };
  }
}
