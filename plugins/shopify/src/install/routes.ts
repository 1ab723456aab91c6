import { CookieNotFound, InvalidHmacError, InvalidOAuthError, InvalidShopError } from "@shopify/shopify-api";
import type { FastifyInstance } from "fastify";
import type { ShopifyAppDeps } from "../deps";
import { tokensOf } from "./tokens";

/** Where Shopify sends the merchant back after the authorize page (in shopify.app.toml's redirect_urls). */
export const CALLBACK_PATH = "/shopify/auth/callback";

const oauthRefusal = (error: unknown): string | null =>
  error instanceof CookieNotFound
    ? "the install took too long or the state cookie is missing: start the install again from the Shopify admin"
    : error instanceof InvalidOAuthError || error instanceof InvalidHmacError
      ? "the redirect from Shopify is not valid (signature, state or a timestamp older than 90 seconds): start the install again"
      : error instanceof InvalidShopError
        ? "shop: expected a <name>.myshopify.com domain"
        : null;

/** GET /shopify/auth?shop= (starts OAuth: state cookie, redirect to the shop's authorize page) and GET /shopify/auth/callback. */
export function installRoutes(app: FastifyInstance, deps: ShopifyAppDeps): void {
  app.get("/auth", async (request, reply) => {
    const shop = deps.shopify.utils.sanitizeShop(String((request.query as Record<string, unknown>).shop ?? ""));
    if (!shop) return reply.code(400).send({ error: { code: "invalid_shop", message: "shop: expected a <name>.myshopify.com domain", field: "shop" } });
    reply.hijack();
    // The library redirects to https://<shop>/admin/oauth/authorize; send the merchant to the shop's real origin (the emulator in tests).
    const raw = reply.raw;
    const setHeader = raw.setHeader.bind(raw);
    const shopUrl = `https://${shop}/`;
    raw.setHeader = (name: string, value: number | string | readonly string[]) =>
      setHeader(name, name.toLowerCase() === "location" && typeof value === "string" && value.startsWith(shopUrl) ? `${deps.shopifyOrigin(shop)}/${value.slice(shopUrl.length)}` : value);
    await deps.shopify.auth.begin({ shop, callbackPath: CALLBACK_PATH, isOnline: false, rawRequest: request.raw, rawResponse: reply.raw });
  });

  app.get("/auth/callback", async (request, reply) => {
    let result;
    try {
      // Expiring offline tokens (one hour, with a refresh token): mandatory for public apps from 2027-01-01.
      result = await deps.shopify.auth.callback({ rawRequest: request.raw, rawResponse: reply.raw, expiring: true });
    } catch (error) {
      const message = oauthRefusal(error);
      if (message) return reply.code(400).send({ error: { code: "oauth_refused", message } });
      throw error;
    }
    const { session } = result;
    await deps.shops.installed(session.shop, tokensOf(session));
    deps.log.info({ shop: session.shop }, "shopify: app installed");
    return reply.redirect(`${deps.shopifyOrigin(session.shop)}/admin/apps/${encodeURIComponent(deps.config.apiKey)}`);
  });
}
