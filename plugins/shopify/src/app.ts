import { randomBytes } from "node:crypto";
import cookie from "@fastify/cookie";
import type { FastifyInstance } from "fastify";
import type { PluginMigration, RouteModule, ServiceContext } from "@xpay-connect/server";
import { adminRoutes } from "./admin/routes";
import { configurePaymentsApp } from "./admin/configure";
import { resolveConfig, type ShopifyAppOptions } from "./config";
import type { ServiceClient, ServiceResponse, ShopifyAppDeps } from "./deps";
import { shopifyLibrary } from "./install/library";
import { installRoutes } from "./install/routes";
import { accessTokens } from "./install/tokens";
import { sessionHooks, sessionRoutes } from "./sessions";
import { SHOPIFY_MIGRATIONS } from "./store/migrations";
import { ShopStore } from "./store/shops";
import { startMtlsServer, type MtlsServer } from "./tls";
import { webhookRoutes } from "./webhooks/routes";

/** The mounted app: what `startService` takes, and its deps once mounted (for tests and the demo). */
export interface ShopifyApp {
  routes: RouteModule[];
  migrations: readonly PluginMigration[];
  /** The app's shared parts; throws before the service has mounted it. */
  deps(): ShopifyAppDeps;
  /** The mTLS listener's URL when `mtls` is configured and the service is listening. */
  mtlsUrl(): string | null;
}

/** The service's answer as the client sees it: its status and its JSON body (a body that is not JSON becomes an error body). */
function answerOf(status: number, text: string): ServiceResponse<never> {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { error: { message: `the service answered HTTP ${status} with a body that is not JSON` } };
  }
  return { status, body: parsed as never };
}

/** The request's headers, the same over HTTP and in process: the API key, JSON both ways, and the caller's (Idempotency-Key). */
const requestHeaders = (apiKey: string, body: unknown, headers: Record<string, string>): Record<string, string> => ({
  authorization: `Bearer ${apiKey}`,
  accept: "application/json",
  ...(body === undefined ? {} : { "content-type": "application/json" }),
  ...headers,
});

/** How long the app waits for the service's answer. */
const SERVICE_TIMEOUT_MS = 30_000;

/** A client of the service's `/v1` API with one API key, over HTTP (for a service at `serviceUrl`, apart from the app). */
export function serviceClient(baseUrl: () => string, apiKey: string): ServiceClient {
  return {
    async request(method, path, body, headers = {}) {
      const response = await fetch(`${baseUrl()}${path}`, {
        method,
        headers: requestHeaders(apiKey, body, headers),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
      });
      return answerOf(response.status, await response.text());
    },
  };
}

/**
 * A client of the service's `/v1` API with one API key, in process: each call is a request injected into the
 * service's own Fastify instance (`inject`), so it runs the same API-key hook, validation, idempotency and error
 * replies as over HTTP, without a loopback connection.
 */
export function inProcessClient(app: Pick<FastifyInstance, "inject">, apiKey: string): ServiceClient {
  return {
    async request(method, path, body, headers = {}) {
      const response = await app.inject({
        method,
        url: path,
        headers: requestHeaders(apiKey, body, headers),
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
        signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
      });
      return answerOf(response.statusCode, response.body);
    },
  };
}

/** The service's own loopback address once it listens (its API is called over HTTP like any storefront's). */
const loopbackUrl = (app: FastifyInstance, ctx: ServiceContext) => () => {
  const address = app.server.address();
  if (typeof address !== "object" || !address) return ctx.config.publicUrl;
  const host = address.address === "0.0.0.0" || address.address === "::" ? "127.0.0.1" : address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
};

/**
 * The Shopify payments app as a plugin of the connector service:
 *
 *   const shopify = shopifyApp({ apiKey, apiSecret, appUrl: "https://pay.example.com" });
 *   await startService({}, { routes: shopify.routes, migrations: shopify.migrations });
 *
 * Routes under /shopify: install (OAuth), the config page, webhooks, and the session routes (src/sessions);
 * its tables (shopify_*) live in the service's database.
 */
export function shopifyApp(options: ShopifyAppOptions): ShopifyApp {
  let mounted: ShopifyAppDeps | undefined;
  let mtls: MtlsServer | undefined;
  const mount: RouteModule = (root, ctx) => {
    const config = resolveConfig(options, loopbackUrl(root, ctx));
    // In the service's process the app calls its API in process; a service elsewhere (`serviceUrl`) over HTTP.
    const log = ctx.log.child({ component: "shopify" });
    const { shopify, release } = shopifyLibrary(config, log);
    const shops = new ShopStore(ctx.db, ctx.secrets);
    const accessToken = accessTokens(shopify, shops);
    const service = (apiKey: string) => (options.serviceUrl ? serviceClient(config.serviceUrl, apiKey) : inProcessClient(root, apiKey));
    const deps: ShopifyAppDeps = {
      config,
      db: ctx.db,
      secrets: ctx.secrets,
      shops,
      log,
      shopify,
      shopifyOrigin: config.shopifyOrigin,
      service,
      serviceFor: async (shop) => {
        const key = await shops.serviceApiKey(shop);
        return key ? service(key) : null;
      },
      merchantOf: async (apiKey) => {
        const id = await ctx.merchants.authenticate(apiKey);
        if (!id) return null;
        const merchant = (await ctx.merchants.list()).find((m) => m.id === id);
        return { id, name: merchant?.name ?? id };
      },
      accessToken,
      configurePaymentsApp: async (shop, ready, externalHandle) => configurePaymentsApp(config, shop, await accessToken(shop), ready, externalHandle),
    };
    mounted = deps;
    // With mTLS, Shopify's session requests come in on the TLS listener, which passes them on with this header; the plain one refuses them.
    const relayKey = options.mtls ? randomBytes(24).toString("base64url") : null;
    void root.register(
      async (app) => {
        await app.register(cookie, { secret: config.cookieSecret, hook: "onRequest" });
        if (relayKey) {
          app.addHook("onRequest", async (request, reply) => {
            if (request.routeOptions.url?.startsWith("/shopify/sessions/") && request.headers["x-xpay-mtls-relay"] !== relayKey) {
              return reply.code(403).send({ error: { code: "mtls_required", message: "session requests are served only on the mTLS listener" } });
            }
          });
        }
        installRoutes(app, deps);
        adminRoutes(app, deps);
        await app.register(async (hooks) => webhookRoutes(hooks, deps, sessionHooks));
        sessionRoutes(app, deps);
      },
      { prefix: "/shopify" },
    );
    if (options.mtls && relayKey) {
      const settings = options.mtls;
      root.addHook("onReady", async () => {
        mtls = await startMtlsServer(settings, (tls) => {
          // The bytes as Shopify sent them, passed on unchanged.
          tls.removeAllContentTypeParsers();
          tls.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
          tls.all("/sessions/*", async (request, reply) => {
            const headers = { ...request.headers, "x-xpay-mtls-relay": relayKey };
            delete headers["content-length"];
            delete headers["transfer-encoding"];
            const answer = await root.inject({
              method: request.method as "POST",
              url: request.raw.url ?? request.url,
              headers,
              ...(Buffer.isBuffer(request.body) ? { payload: request.body } : {}),
            });
            const answered = { ...answer.headers };
            delete answered["content-length"];
            delete answered["transfer-encoding"];
            delete answered.connection;
            return reply.code(answer.statusCode).headers(answered).send(answer.rawPayload);
          });
        });
      });
    }
    root.addHook("onClose", async () => {
      await mtls?.close();
      release();
    });
  };
  return {
    routes: [mount],
    migrations: SHOPIFY_MIGRATIONS,
    deps: () => {
      if (!mounted) throw new Error("the Shopify app is not mounted yet: pass its routes to startService first");
      return mounted;
    },
    mtlsUrl: () => mtls?.url ?? null,
  };
}
