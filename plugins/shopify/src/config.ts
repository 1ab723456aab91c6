import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ShopifyAppConfig } from "./deps";

/** The Payments Apps GraphQL API version the app speaks (shopify.app.toml and the extensions say the same). */
export const PAYMENTS_API_VERSION = "2026-07";

/** What a payments app needs: write_payment_gateways (paymentsAppConfigure) and write_payment_sessions (session mutations). */
export const SCOPES = ["write_payment_gateways", "write_payment_sessions"];

/** The mTLS listener for Shopify's session requests (src/tls.ts); PEM text. */
export interface MtlsOptions {
  /** The server's certificate and key (what Shopify connects to). */
  cert: string;
  key: string;
  /** The CA that issued Shopify's client certificates (production: Shopify's client CA). */
  ca: string;
  port: number;
  host?: string;
}

/** How an operator configures the app (SHOPIFY_* variables, or code). */
export interface ShopifyAppOptions {
  apiKey: string;
  apiSecret: string;
  /** The app's public base URL ("https://pay.example.com"); the app's routes are under `${appUrl}/shopify`. */
  appUrl: string;
  scopes?: string[];
  apiVersion?: string;
  /** Where a shop's Shopify lives (default `https://${shop}`); the sandbox's emulator in tests and the demo. */
  shopifyOrigin?: (shop: string) => string;
  /** The service's own base URL for the app's `/v1` calls (default: the service's loopback address). */
  serviceUrl?: () => string;
  cookieSecret?: string;
  /** Serve the session routes only over HTTPS with client certificates (src/tls.ts). */
  mtls?: MtlsOptions;
}

/** Problems an operator must fix before the app can start, each naming its variable. */
export class ShopifyConfigError extends Error {
  override readonly name = "ShopifyConfigError";
}

/** `shopifyOrigin` from a template with `{shop}` ("http://127.0.0.1:4010/shopify/stores/{shop}"). */
export function originFromTemplate(template: string): (shop: string) => string {
  if (!template.includes("{shop}")) throw new ShopifyConfigError(`SHOPIFY_ORIGIN_TEMPLATE: expected a URL containing {shop}, got ${template}`);
  return (shop) => template.replace("{shop}", shop).replace(/\/+$/, "");
}

/** The app's options from the environment, or null when SHOPIFY_API_KEY is not set (the app is off). */
export function shopifyOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ShopifyAppOptions | null {
  if (!env.SHOPIFY_API_KEY) return null;
  const missing = ["SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"].filter((name) => !env[name]);
  if (missing.length) throw new ShopifyConfigError(`${missing.join(", ")}: required when SHOPIFY_API_KEY is set`);
  const mtls = mtlsFromEnv(env);
  return {
    apiKey: env.SHOPIFY_API_KEY,
    apiSecret: env.SHOPIFY_API_SECRET as string,
    appUrl: env.SHOPIFY_APP_URL as string,
    ...(env.SHOPIFY_ORIGIN_TEMPLATE ? { shopifyOrigin: originFromTemplate(env.SHOPIFY_ORIGIN_TEMPLATE) } : {}),
    ...(mtls ? { mtls } : {}),
  };
}

const MTLS_FILES = { cert: "SHOPIFY_MTLS_CERT_FILE", key: "SHOPIFY_MTLS_KEY_FILE", ca: "SHOPIFY_MTLS_CA_FILE" } as const;

/** The mTLS listener from SHOPIFY_MTLS_PORT and the three PEM files, or undefined when SHOPIFY_MTLS_PORT is unset. */
function mtlsFromEnv(env: NodeJS.ProcessEnv): MtlsOptions | undefined {
  if (!env.SHOPIFY_MTLS_PORT) return undefined;
  const port = Number(env.SHOPIFY_MTLS_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ShopifyConfigError(`SHOPIFY_MTLS_PORT: expected a port number, got ${env.SHOPIFY_MTLS_PORT}`);
  const missing = Object.values(MTLS_FILES).filter((name) => !env[name]);
  if (missing.length) throw new ShopifyConfigError(`${missing.join(", ")}: required when SHOPIFY_MTLS_PORT is set`);
  const read = (name: string) => {
    try {
      return readFileSync(env[name] as string, "utf8");
    } catch (error) {
      throw new ShopifyConfigError(`${name}: cannot read ${env[name]} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
  };
  return { cert: read(MTLS_FILES.cert), key: read(MTLS_FILES.key), ca: read(MTLS_FILES.ca), port, ...(env.SHOPIFY_MTLS_HOST ? { host: env.SHOPIFY_MTLS_HOST } : {}) };
}

/** Checks the options and fills the defaults. */
export function resolveConfig(options: ShopifyAppOptions, serviceUrl: () => string): ShopifyAppConfig {
  let appUrl: URL;
  try {
    appUrl = new URL(options.appUrl);
  } catch {
    throw new ShopifyConfigError(`SHOPIFY_APP_URL: expected an absolute http(s) URL, got ${options.appUrl}`);
  }
  if (!/^https?:$/.test(appUrl.protocol) || appUrl.pathname.replace(/\/+$/, "") !== "" || appUrl.search) {
    throw new ShopifyConfigError(`SHOPIFY_APP_URL: expected an http(s) origin without a path (the app adds /shopify), got ${options.appUrl}`);
  }
  if (!options.apiKey.trim()) throw new ShopifyConfigError("SHOPIFY_API_KEY: expected the app's client id");
  if (!options.apiSecret.trim()) throw new ShopifyConfigError("SHOPIFY_API_SECRET: expected the app's client secret");
  return {
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    appUrl: appUrl.origin,
    scopes: options.scopes ?? SCOPES,
    apiVersion: options.apiVersion ?? PAYMENTS_API_VERSION,
    shopifyOrigin: options.shopifyOrigin ?? ((shop) => `https://${shop}`),
    serviceUrl: options.serviceUrl ?? serviceUrl,
    cookieSecret: options.cookieSecret ?? createHmac("sha256", options.apiSecret).update("xpay-connect shopify cookies").digest("base64url"),
  };
}
