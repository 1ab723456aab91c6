#!/usr/bin/env node
/*
 * `pnpm start` with the Shopify app mounted in the service: the app under <service>/shopify, pointed at the sandbox's
 * Shopify emulator and registered there as `shopify app deploy` would. SHOPIFY_API_KEY, SHOPIFY_API_SECRET and
 * SHOPIFY_APP_URL (+ SHOPIFY_ORIGIN_TEMPLATE) choose a real app instead; unset, a demo app is used.
 */
import { loadConfig, runStart, startFailed } from "@xpay-connect/server";
import { shopifyApp } from "./app";
import { shopifyOptionsFromEnv, type ShopifyAppOptions } from "./config";
import { deployedApp } from "./deploy";

/** The demo shop the banner points at (any <name>.myshopify.com exists in the emulator). */
const DEMO_SHOP = "xpay-demo.myshopify.com";

const fromEnv = shopifyOptionsFromEnv();
let options: ShopifyAppOptions | undefined;
let emulated = false;

runStart({
  plugins: (sandboxUrl) => {
    const emulator = (shop: string) => `${sandboxUrl}/shopify/stores/${shop}`;
    emulated = !fromEnv || !fromEnv.shopifyOrigin;
    options = fromEnv
      ? { ...fromEnv, ...(fromEnv.shopifyOrigin ? {} : { shopifyOrigin: emulator }) }
      : // The emulator's demo app: its secret only signs requests between this machine's sandbox and service.
        { apiKey: "xpay-connect-demo", apiSecret: "xpay-connect-demo-secret", appUrl: loadConfig().publicUrl, shopifyOrigin: emulator };
    const app = shopifyApp(options);
    return { routes: app.routes, migrations: app.migrations };
  },
  more: async (running) => {
    if (!options) return [];
    const lines = [`Shopify app      ${options.appUrl}/shopify`];
    if (emulated) {
      const deploy = await fetch(`${running.sandbox.url}/_sandbox/shopify/apps`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(deployedApp({ appUrl: options.appUrl, clientId: options.apiKey, clientSecret: options.apiSecret })),
      });
      if (deploy.status !== 201) return [...lines, `Shopify emulator: the app was not registered (HTTP ${deploy.status})`];
      lines.push(
        `Shopify (emulated) ${running.sandbox.url}/shopify/stores/${DEMO_SHOP}/services/payments_partners/gateways/${options.apiKey}/settings`,
        `  install:        ${options.appUrl}/shopify/auth?shop=${DEMO_SHOP} (then link the demo merchant's API key)`,
      );
    }
    return lines;
  },
}).catch(startFailed);
