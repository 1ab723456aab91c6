#!/usr/bin/env node
/*
 * `node plugins/shopify/dist/main.js`: the connector service with the Shopify app mounted under /shopify, both
 * configured from the environment (the service's variables, docs/server.md, and SHOPIFY_API_KEY, SHOPIFY_API_SECRET,
 * SHOPIFY_APP_URL, optional SHOPIFY_MTLS_*: docs/platforms/shopify.md). Use it instead of packages/server/dist/main.js.
 */
import { runService, serviceFailed } from "@xpay-connect/server";
import { shopifyApp } from "./app";
import { shopifyOptionsFromEnv } from "./config";

try {
  const options = shopifyOptionsFromEnv();
  if (!options) throw new Error("SHOPIFY_API_KEY: required to mount the Shopify app (the app's Client ID; run packages/server/dist/main.js for the service alone)");
  const app = shopifyApp(options);
  runService({ routes: app.routes, migrations: app.migrations });
} catch (error) {
  serviceFailed(error);
}
