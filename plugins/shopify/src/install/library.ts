import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi, type Shopify } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import type { Logger } from "pino";
import type { ShopifyAppConfig } from "../deps";

/** The library calls `https://<shop>/...`; each app instance says where a shop's Shopify really is (the emulator in tests). */
const origins = new Set<(shop: string) => string>();

/** Rewrites `https://<shop>.myshopify.com/...` to the newest registered app's `shopifyOrigin(shop)`. */
const rewritingFetch: typeof fetch = (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const match = /^https:\/\/([a-z0-9][a-z0-9-]*\.myshopify\.com)(\/.*)?$/i.exec(url);
  const originOf = [...origins].at(-1);
  if (!match || !originOf) return fetch(input, init);
  return fetch(`${originOf(match[1] as string)}${match[2] ?? "/"}`, init);
};
setAbstractFetchFunc(rewritingFetch);

/** The @shopify/shopify-api instance for a non-embedded app, with offline tokens; `release()` unregisters its origin. */
export function shopifyLibrary(config: ShopifyAppConfig, log: Logger): { shopify: Shopify; release(): void } {
  const app = new URL(config.appUrl);
  const originOf = config.shopifyOrigin;
  origins.add(originOf);
  const shopify = shopifyApi({
    apiKey: config.apiKey,
    apiSecretKey: config.apiSecret,
    scopes: config.scopes,
    hostName: app.host,
    hostScheme: app.protocol === "http:" ? "http" : "https",
    // The Admin API version the library wants; the app itself calls only the Payments Apps API (config.apiVersion).
    apiVersion: ApiVersion.April26,
    isEmbeddedApp: false,
    logger: {
      level: LogSeverity.Warning,
      httpRequests: false,
      timestamps: false,
      log: async (severity, message) => {
        if (severity <= LogSeverity.Error) log.error({ component: "shopify-api" }, message);
        else log.warn({ component: "shopify-api" }, message);
      },
    },
  });
  return { shopify, release: () => origins.delete(originOf) };
}
