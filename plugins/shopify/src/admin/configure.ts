import { createGraphQLClient } from "@shopify/graphql-client";
import type { ShopifyAppConfig } from "../deps";
import { PAYMENTS_APP_CONFIGURE } from "../graphql/documents";

interface ConfigureData {
  paymentsAppConfigure: { paymentsAppConfiguration: { ready: boolean; externalHandle: string | null } | null; userErrors: { field: string[] | null; message: string }[] } | null;
}

/** Shopify did not accept the configuration; the message is Shopify's, for the merchant. */
export class ConfigureError extends Error {
  override readonly name = "ConfigureError";
}

/** Calls paymentsAppConfigure(ready, externalHandle) for the shop on the Payments Apps API. */
export async function configurePaymentsApp(
  config: ShopifyAppConfig,
  shop: string,
  accessToken: string,
  ready: boolean,
  externalHandle: string | null,
): Promise<void> {
  const client = createGraphQLClient({
    url: `${config.shopifyOrigin(shop)}/payments_apps/api/${config.apiVersion}/graphql.json`,
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
    customFetchApi: fetch,
    retries: 2,
  });
  const answer = await client.request<ConfigureData>(PAYMENTS_APP_CONFIGURE, { variables: { ready, externalHandle } });
  if (answer.errors) throw new ConfigureError(`paymentsAppConfigure: ${answer.errors.message ?? "Shopify answered an error"}${answer.errors.networkStatusCode ? ` (HTTP ${answer.errors.networkStatusCode})` : ""}`);
  const userErrors = answer.data?.paymentsAppConfigure?.userErrors ?? [];
  if (userErrors.length) throw new ConfigureError(`paymentsAppConfigure: ${userErrors.map((e) => e.message).join("; ")}`);
}
