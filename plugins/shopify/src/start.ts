#!/usr/bin/env node
/*
 * `pnpm start` with the Shopify app mounted in the service: the app under <service>/shopify, pointed at the sandbox's
 * Shopify emulator and registered there as `shopify app deploy` would. Unset SHOPIFY_* variables mean the demo app:
 * it is installed on the emulator's demo shop and linked to the demo merchant (once; later runs reuse both), and the
 * banner prints a test checkout on that shop. SHOPIFY_API_KEY, SHOPIFY_API_SECRET and SHOPIFY_APP_URL
 * (+ SHOPIFY_ORIGIN_TEMPLATE) choose a real app instead, which the merchant installs from the printed link.
 */
import { loadConfig, runStart, startFailed, type BannerRow } from "@xpay-connect/server";
import { shopifyApp, type ShopifyApp } from "./app";
import { shopifyOptionsFromEnv, type ShopifyAppOptions } from "./config";
import { demoCheckout, type DemoCheckout } from "./demo";
import { deployedApp } from "./deploy";

/** The demo shop the banner points at (any <name>.myshopify.com exists in the emulator). */
const DEMO_SHOP = "xpay-demo.myshopify.com";

const fromEnv = shopifyOptionsFromEnv();
let options: ShopifyAppOptions | undefined;
let app: ShopifyApp | undefined;
let emulated = false;

runStart({
  plugins: (sandboxUrl) => {
    const emulator = (shop: string) => `${sandboxUrl}/shopify/stores/${shop}`;
    emulated = !fromEnv || !fromEnv.shopifyOrigin;
    options = fromEnv
      ? { ...fromEnv, ...(fromEnv.shopifyOrigin ? {} : { shopifyOrigin: emulator }) }
      : // The emulator's demo app: its secret only signs requests between this machine's sandbox and service.
        { apiKey: "xpay-connect-demo", apiSecret: "xpay-connect-demo-secret", appUrl: loadConfig().publicUrl, shopifyOrigin: emulator };
    app = shopifyApp(options);
    return { routes: app.routes, migrations: app.migrations };
  },
  more: async (running): Promise<BannerRow[]> => {
    if (!options || !app) return [];
    const rows: BannerRow[] = [["Shopify app", `${options.appUrl}/shopify`]];
    if (!emulated) return rows;
    const deploy = await fetch(`${running.sandbox.url}/_sandbox/shopify/apps`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(deployedApp({ appUrl: options.appUrl, clientId: options.apiKey, clientSecret: options.apiSecret })),
    });
    if (deploy.status !== 201) throw new Error(`the Shopify emulator did not register the app (HTTP ${deploy.status}: ${await deploy.text()})`);
    const admin = `${running.sandbox.url}/shopify/stores/${DEMO_SHOP}/services/payments_partners/gateways/${encodeURIComponent(options.apiKey)}/settings`;
    if (fromEnv) return [...rows, ["Shopify install", `${options.appUrl}/shopify/auth?shop=${DEMO_SHOP} (then link the demo merchant's API key)`], ["Shopify admin", admin]];
    let checkout: DemoCheckout;
    try {
      // Xpress Pay (EasyPaisa) and XPay PK (cards) take PKR; the demo store keeps XPay EG's return URL for itself.
      checkout = await demoCheckout(app, { sandboxUrl: running.sandbox.url, shop: DEMO_SHOP, merchantId: running.demo.merchantId, apiKey: running.demo.apiKey, amount: "1500.00", currency: "PKR" });
    } catch (error) {
      // The demo store and the API still work: say what failed rather than stop them.
      return [...rows, ["Shopify checkout", `not available: ${error instanceof Error ? error.message : String(error)}`], ["Shopify admin", admin]];
    }
    return [
      ...rows,
      ["Shopify checkout", `${checkout.checkoutUrl} (PKR 1500.00, test mode)`],
      ["Shopify admin", `${admin} (${DEMO_SHOP}: the app installed and linked to the demo merchant ${checkout.setUp === "now" ? "now" : "by an earlier run"})`],
    ];
  },
}).catch(startFailed);
