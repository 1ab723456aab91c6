import { InvalidHmacError } from "@shopify/shopify-api";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ShopifyAppDeps } from "../deps";
import { ConfigureError } from "./configure";
import { linkMerchant, serviceMessage, syncReady } from "./link";
import { renderPage, type GatewayAccountRow, type GatewaySchemaRow, type PageModel } from "./page";
import { csrfToken, csrfValid, sessionOf, startSession } from "./session";

type Notice = PageModel["notice"];

const problemPage = (reply: FastifyReply, status: number, text: string) =>
  reply
    .code(status)
    .type("text/html; charset=utf-8")
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>xpay-connect payments</title></head><body><h1>xpay-connect payments</h1><p id="notice" class="error">${text}</p></body></html>`);

/**
 * The merchant's configuration page, opened from the Shopify admin (`GET /shopify?hmac&host&shop&timestamp`, the app's
 * application_url; `/shopify/app` too): link an xpay-connect merchant by API key, edit its gateway accounts through the
 * service's API, and tell Shopify the app is ready (paymentsAppConfigure) or not.
 */
export function adminRoutes(app: FastifyInstance, deps: ShopifyAppDeps): void {
  const secure = deps.config.appUrl.startsWith("https:");
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  const model = async (shop: string, csrf: string, notice?: Notice): Promise<PageModel> => {
    const row = await deps.shops.get(shop);
    const client = await deps.serviceFor(shop);
    const base: PageModel = {
      shop,
      csrf,
      linked: row?.merchantId ? { merchantId: row.merchantId, externalHandle: row.externalHandle } : null,
      ready: row?.ready ?? false,
      schemas: [],
      accounts: [],
      ...(notice ? { notice } : {}),
    };
    if (!client || !base.linked) return base;
    const [schemas, accounts] = await Promise.all([
      client.request<{ data: GatewaySchemaRow[] }>("GET", "/v1/gateways/schema"),
      client.request<{ data: GatewayAccountRow[] }>("GET", "/v1/gateways"),
    ]);
    if (schemas.status !== 200 || accounts.status !== 200) {
      return { ...base, notice: { kind: "error", text: `The service refused the linked API key (HTTP ${accounts.status}): unlink and link again with a valid key.` } };
    }
    return { ...base, schemas: schemas.body.data, accounts: accounts.body.data };
  };

  const page = async (reply: FastifyReply, shop: string, csrf: string, notice?: Notice, status = 200) =>
    reply.code(status).type("text/html; charset=utf-8").header("cache-control", "no-store").send(renderPage(await model(shop, csrf, notice)));

  const opened = async (request: FastifyRequest<{ Querystring: Record<string, string> }>, reply: FastifyReply) => {
    const query = request.query;
    if (query.hmac) {
      let valid: boolean;
      try {
        valid = await deps.shopify.utils.validateHmac(query);
      } catch (error) {
        if (!(error instanceof InvalidHmacError)) throw error;
        valid = false;
      }
      const shop = deps.shopify.utils.sanitizeShop(query.shop ?? "");
      if (!valid || !shop) return problemPage(reply, 401, "This link is not valid or is older than 90 seconds: open the app again from your Shopify admin.");
      if (!(await deps.shops.get(shop))?.installed) return reply.redirect(`/shopify/auth?shop=${encodeURIComponent(shop)}`);
      const session = startSession(reply, shop, secure);
      return page(reply, shop, csrfToken(deps.config.cookieSecret, session));
    }
    const session = sessionOf(request);
    if (!session) return problemPage(reply, 401, "Open the app from your Shopify admin (Apps → xpay-connect payments).");
    return page(reply, session.shop, csrfToken(deps.config.cookieSecret, session));
  };
  app.get("/", opened);
  app.get("/app", opened);

  /** A form POST: the page session and its CSRF token, or a 401/403 page. */
  const formSession = (request: FastifyRequest, reply: FastifyReply) => {
    const session = sessionOf(request);
    if (!session) {
      void problemPage(reply, 401, "Your session ended: open the app again from your Shopify admin.");
      return null;
    }
    const body = (request.body ?? {}) as Record<string, string>;
    if (!csrfValid(deps.config.cookieSecret, session, body.csrf)) {
      void problemPage(reply, 403, "csrf: this form is stale or did not come from this page; reload the page and try again.");
      return null;
    }
    return { session, body, csrf: csrfToken(deps.config.cookieSecret, session) };
  };

  app.post("/app/link", async (request, reply) => {
    const form = formSession(request, reply);
    if (!form) return reply;
    const { session, body, csrf } = form;
    const apiKey = (body.apiKey ?? "").trim();
    if (!apiKey) return page(reply, session.shop, csrf, { kind: "error", text: "apiKey: enter the API key of your xpay-connect merchant." }, 400);
    const outcome = await linkMerchant(deps, session.shop, apiKey);
    if (!outcome.linked) return page(reply, session.shop, csrf, { kind: "error", text: outcome.text }, outcome.status);
    return page(reply, session.shop, csrf, { kind: "ok", text: outcome.ready ? "Linked: payments are ready at checkout." : "Linked: add a gateway account below to offer payments." });
  });

  app.post("/app/unlink", async (request, reply) => {
    const form = formSession(request, reply);
    if (!form) return reply;
    const { session, csrf } = form;
    const row = await deps.shops.get(session.shop);
    const client = await deps.serviceFor(session.shop);
    if (client && row?.endpointId) await client.request("DELETE", `/v1/endpoints/${encodeURIComponent(row.endpointId)}`).catch(() => undefined);
    await deps.shops.unlink(session.shop);
    try {
      await deps.configurePaymentsApp(session.shop, false, null);
    } catch (error) {
      if (!(error instanceof ConfigureError)) throw error;
      return page(reply, session.shop, csrf, { kind: "error", text: `Unlinked, but Shopify did not accept ready=false: ${error.message}` }, 502);
    }
    deps.log.info({ shop: session.shop }, "shopify: shop unlinked");
    return page(reply, session.shop, csrf, { kind: "ok", text: "Unlinked: the payment methods are no longer offered at checkout." });
  });

  app.post<{ Params: { gateway: string } }>("/app/gateways/:gateway", async (request, reply) => {
    const form = formSession(request, reply);
    if (!form) return reply;
    const { session, body, csrf } = form;
    const client = await deps.serviceFor(session.shop);
    if (!client) return page(reply, session.shop, csrf, { kind: "error", text: "Link your xpay-connect merchant first." }, 409);
    const schemas = await client.request<{ data: GatewaySchemaRow[] }>("GET", "/v1/gateways/schema");
    const row = schemas.body.data?.find((s) => s.gateway === request.params.gateway);
    if (!row) return page(reply, session.shop, csrf, { kind: "error", text: `gateway: unknown gateway ${request.params.gateway}` }, 404);
    // Typed by the gateway's schema, as the WooCommerce settings page does; an empty field is left out (a secret must be entered again).
    const config: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(row.schema.properties ?? {})) {
      const raw = (body[`gw.${key}`] ?? "").trim();
      if (!raw) continue;
      if (property.type === "integer" && /^-?\d+$/.test(raw)) config[key] = Number(raw);
      else if (property.type === "boolean") config[key] = ["1", "true", "yes", "on"].includes(raw);
      else config[key] = raw;
    }
    const saved = await client.request("PUT", `/v1/gateways/${encodeURIComponent(row.gateway)}`, config);
    if (saved.status !== 200 && saved.status !== 201) {
      return page(reply, session.shop, csrf, { kind: "error", text: `${row.title}: ${serviceMessage(saved.body)}` }, saved.status >= 500 ? 502 : 422);
    }
    try {
      const ready = await syncReady(deps, session.shop, client);
      return page(reply, session.shop, csrf, { kind: "ok", text: `${row.title} saved.${ready ? " Payments are ready at checkout." : ""}` });
    } catch (error) {
      if (!(error instanceof ConfigureError)) throw error;
      return page(reply, session.shop, csrf, { kind: "error", text: `${row.title} saved, but Shopify did not accept the configuration: ${error.message}` }, 502);
    }
  });
}
