import type { ShopifyApp } from "./app";
import { linkMerchant } from "./admin/link";
import type { ShopifyAppDeps } from "./deps";

/** @shopify/shopify-api answers 410 to OAuth requests from bots, and Node's fetch says "node": the demo installs as a browser would. */
const BROWSER_UA = "Mozilla/5.0 (xpay-connect pnpm start)";

/** The demo's Shopify checkout: the shop, and a checkout open on it that offers the app's methods. */
export interface DemoCheckout {
  shop: string;
  checkoutUrl: string;
  /** Whether this run installed and linked the app, or an earlier run had (the data directory and the sandbox's state file keep both). */
  setUp: "now" | "earlier";
}

export interface DemoCheckoutOptions {
  /** The sandbox with the Shopify emulator, the app already deployed to it. */
  sandboxUrl: string;
  shop: string;
  /** The xpay-connect merchant the shop is linked to (its gateway accounts point at the sandbox). */
  merchantId: string;
  apiKey: string;
  /** The checkout to open (Xpress Pay and XPay PK take PKR). */
  amount: string;
  currency: string;
}

/**
 * `pnpm start`'s Shopify checkout: installs the app on the emulator's demo shop through the emulator's OAuth and the
 * app's own install routes, links the demo merchant as the config page does (paymentsAppConfigure ready), unless an
 * earlier run did, then opens a test checkout through the emulator's control API.
 */
export async function demoCheckout(app: ShopifyApp, options: DemoCheckoutOptions): Promise<DemoCheckout> {
  const deps = app.deps();
  const { shop } = options;
  const emulator = `${options.sandboxUrl}/_sandbox/shopify`;
  const journal = (await answer(await fetch(`${emulator}/shops/${shop}`), "GET /_sandbox/shopify/shops")) as { installations?: { client_id: string; installed: boolean; configuration: { ready: boolean } }[] };
  const onShopify = journal.installations?.find((i) => i.client_id === deps.config.apiKey);
  const row = await deps.shops.get(shop);
  const earlier = Boolean(onShopify?.installed && onShopify.configuration.ready && row?.installed && row.ready && row.merchantId === options.merchantId);
  if (!earlier) {
    await install(deps, shop);
    const linked = await linkMerchant(deps, shop, options.apiKey);
    if (!linked.linked) throw new Error(`the demo shop ${shop} was not linked: ${linked.text}`);
    if (!linked.ready) throw new Error(`the demo shop ${shop} is linked but not ready: the demo merchant has no pay-in gateway account`);
  }
  const created = (await answer(
    await fetch(`${emulator}/checkouts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ shop, amount: options.amount, currency: options.currency, test: true, customer: { email: "buyer@example.com", phone_number: "+923001234567" } }),
    }),
    "POST /_sandbox/shopify/checkouts",
  )) as { checkout_url: string };
  return { shop, checkoutUrl: created.checkout_url, setUp: earlier ? "earlier" : "now" };
}

/** The merchant's install: /shopify/auth (state cookie) -> the shop's authorize page -> Install -> the app's callback (token exchange). */
async function install(deps: ShopifyAppDeps, shop: string): Promise<void> {
  const app = deps.config.serviceUrl();
  const begin = await fetch(`${app}/shopify/auth?shop=${encodeURIComponent(shop)}`, { redirect: "manual", headers: { "user-agent": BROWSER_UA } });
  const authorize = new URL(location(begin, "GET /shopify/auth"));
  const cookies = begin.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const form = new URLSearchParams(["client_id", "scope", "redirect_uri", "state"].map((k): [string, string] => [k, authorize.searchParams.get(k) ?? ""]));
  const granted = await fetch(`${authorize.origin}${authorize.pathname}`, { method: "POST", body: form, redirect: "manual" });
  const callback = new URL(location(granted, "POST the shop's authorize page"));
  location(await fetch(`${app}${callback.pathname}${callback.search}`, { redirect: "manual", headers: { "user-agent": BROWSER_UA, cookie: cookies } }), "GET /shopify/auth/callback");
}

function location(response: Response, what: string): string {
  const to = response.headers.get("location");
  if (response.status !== 302 || !to) throw new Error(`the demo shop's install: ${what} answered HTTP ${response.status}, not a redirect`);
  return to;
}

async function answer(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}
