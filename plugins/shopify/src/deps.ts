import type { Shopify } from "@shopify/shopify-api";
import type { Db, Secrets } from "@xpay-connect/server";
import type { Logger } from "pino";
import type { ShopStore } from "./store/shops";

/** The app's settings (src/config.ts reads them from SHOPIFY_* variables). */
export interface ShopifyAppConfig {
  /** The app's client id (Partner Dashboard "Client ID", `client_id` in shopify.app.toml). */
  apiKey: string;
  /** The app's client secret: signs OAuth redirects, the admin link and webhooks. */
  apiSecret: string;
  /** The app's public base URL, without `/shopify` ("https://pay.example.com"). */
  appUrl: string;
  /** OAuth scopes: write_payment_gateways, write_payment_sessions. */
  scopes: string[];
  /** The Payments Apps GraphQL API version ("2026-07"). */
  apiVersion: string;
  /** Where a shop's Shopify lives: `https://${shop}` in production, the emulator's `/shopify/stores/<shop>` in tests. */
  shopifyOrigin(shop: string): string;
  /** The connector service's base URL (its `/v1` API); a function because the service learns its port after listening. */
  serviceUrl(): string;
  /** Signs the config page's session cookie; derived from the API secret unless set. */
  cookieSecret: string;
}

/** One answer of the connector service's API. */
export interface ServiceResponse<T = unknown> {
  status: number;
  body: T;
}

/** The connector service's `/v1` API, called with one merchant's API key. */
export interface ServiceClient {
  request<T = unknown>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown, headers?: Record<string, string>): Promise<ServiceResponse<T>>;
}

/** What a customer or shop redaction / data request needs from the parts that hold session data (B's src/sessions). */
export interface ShopDataHooks {
  /** The shop uninstalled the app: stop its pending mutations (their rows are marked cancelled). */
  uninstalled(deps: ShopifyAppDeps, shop: string): Promise<void>;
  /** shop/redact: delete every row of this shop the hooks' tables hold. */
  redactShop(deps: ShopifyAppDeps, shop: string): Promise<void>;
  /** customers/redact: blank the customer's fields in rows of this shop (by email, phone or the orders' ids); answers how many rows changed. */
  redactCustomer(deps: ShopifyAppDeps, shop: string, customer: CustomerRef): Promise<number>;
  /** customers/data_request: what the hooks' tables hold about the customer (for the merchant to pass on). */
  customerData(deps: ShopifyAppDeps, shop: string, customer: CustomerRef): Promise<Record<string, unknown>[]>;
}

/** A customer as compliance webhooks name them. */
export interface CustomerRef {
  id?: number | string | null;
  email?: string | null;
  phone?: string | null;
  /** Order ids (orders_requested / orders_to_redact). */
  orders?: (number | string)[];
}

/** Everything the app's route groups share (src/app.ts builds it once). */
export interface ShopifyAppDeps {
  config: ShopifyAppConfig;
  /** The service's database (the app's tables are shopify_*). */
  db: Db;
  /** The service's Secrets: encrypts tokens, API keys and endpoint secrets at rest. */
  secrets: Secrets;
  /** Shops: tokens, the linked merchant, the service endpoint (src/store/shops.ts). */
  shops: ShopStore;
  log: Logger;
  /** The @shopify/shopify-api instance (OAuth, HMAC, webhook validation), its fetch pointed at `shopifyOrigin`. */
  shopify: Shopify;
  /** `config.shopifyOrigin`, for building `${origin}/payments_apps/api/${apiVersion}/graphql.json`. */
  shopifyOrigin(shop: string): string;
  /** A client of the service's `/v1` API with this API key. */
  service(apiKey: string): ServiceClient;
  /** A client with the shop's linked merchant's API key; null when the shop has not linked a merchant. */
  serviceFor(shop: string): Promise<ServiceClient | null>;
  /** The service's merchant that owns this API key (id and name), or null when the key is not valid. */
  merchantOf(apiKey: string): Promise<{ id: string; name: string } | null>;
  /** A valid offline access token for the shop, refreshed when it expires within a minute; throws ShopNotInstalledError when there is none. */
  accessToken(shop: string): Promise<string>;
  /** Calls `paymentsAppConfigure(ready, externalHandle)` for the shop (src/admin). */
  configurePaymentsApp(shop: string, ready: boolean, externalHandle: string | null): Promise<void>;
}
