/**
 * @xpay-connect/shopify: a Shopify payments app (offsite payments extensions, one per pay-in gateway) mounted in the
 * connector service's process.
 *
 *   const shopify = shopifyApp({ apiKey, apiSecret, appUrl: "https://pay.example.com" });
 *   const service = await startService({}, { routes: shopify.routes, migrations: shopify.migrations });
 */
export { shopifyApp, serviceClient, inProcessClient, type ShopifyApp } from "./app";
export { shopifyOptionsFromEnv, originFromTemplate, resolveConfig, ShopifyConfigError, PAYMENTS_API_VERSION, SCOPES, type ShopifyAppOptions, type MtlsOptions } from "./config";
export type { ShopifyAppDeps, ShopifyAppConfig, ServiceClient, ShopDataHooks, CustomerRef } from "./deps";
export { deployedApp, extensionTomlFiles, APP_DIR, TOML_APP_URL, type DeployedApp } from "./deploy";
export { ShopNotInstalledError } from "./install/tokens";
export { SHOPIFY_MIGRATIONS } from "./store/migrations";
export { startMtlsServer, type MtlsServer } from "./tls";
