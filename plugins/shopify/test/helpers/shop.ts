import type { ShopifyStack } from "./stack";

/** Calls the service's API as the stack's merchant. */
export async function serviceApi(stack: ShopifyStack, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(stack.service.url + path, {
    method,
    headers: { authorization: `Bearer ${stack.apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * A shop with the app installed and ready, as a merchant leaves it: the emulator's Install button
 * (a code for an offline token), the xpay-connect merchant linked, the service's events endpoint
 * registered for the shop, paymentsAppConfigure(ready: true). XPay EG's dashboard return URL points
 * at the app.
 */
export async function readyShop(stack: ShopifyStack, shop: string): Promise<void> {
  const redirectUri = stack.deployed.redirect_urls[0] ?? "";
  const form = new URLSearchParams({ client_id: stack.clientId, scope: stack.deployed.scopes, redirect_uri: redirectUri, state: "test" });
  const granted = await fetch(`${stack.origin(shop)}/admin/oauth/authorize`, { method: "POST", body: form, redirect: "manual" });
  const code = new URL(granted.headers.get("location") ?? "http://x/").searchParams.get("code");
  if (!code) throw new Error(`the emulator granted no code (HTTP ${granted.status})`);
  const tokenRes = await fetch(`${stack.origin(shop)}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_id: stack.clientId, client_secret: stack.clientSecret, code, expiring: "0" }),
  });
  const token = (await tokenRes.json()) as { access_token?: string; scope?: string };
  if (!token.access_token) throw new Error(`no token: ${JSON.stringify(token)}`);
  const { deps } = stack;
  await deps.shops.installed(shop, { accessToken: token.access_token, accessTokenExpiresAt: null, refreshToken: null, refreshTokenExpiresAt: null, scopes: token.scope ?? "" });
  await deps.shops.link(shop, { merchantId: stack.merchantId, apiKey: stack.apiKey, externalHandle: "corner" });
  const endpoint = await serviceApi(stack, "POST", "/v1/endpoints", { url: `${stack.appUrl}/shopify/events/${shop}` });
  if (endpoint.status !== 201) throw new Error(`endpoint: ${JSON.stringify(endpoint.body)}`);
  await deps.shops.setEndpoint(shop, { id: String(endpoint.body.id), secret: String(endpoint.body.secret) });
  await deps.configurePaymentsApp(shop, true, "corner");
  await fetch(`${stack.sandbox.url}/_sandbox/xpay-eg/settings`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ redirectUrl: `${stack.appUrl}/shopify/return/xpay-eg` }),
  });
}

/** A payment session of the emulator's shop journal. */
export interface JournalSession {
  id: string;
  gid: string;
  handle: string;
  state: { code: string; reason?: string };
  requests: number;
  mutations: { operation: string; accepted: boolean; userErrors: unknown[] }[];
}

/** The emulator's journal of a shop. */
export async function journal(stack: ShopifyStack, shop: string): Promise<{ payment_sessions: JournalSession[]; refund_sessions: (JournalSession & { status?: string })[]; void_sessions: JournalSession[] }> {
  return (await stack.control(`/shops/${shop}`)).body as never;
}
