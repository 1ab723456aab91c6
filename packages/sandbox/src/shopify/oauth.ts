import { createHmac } from "node:crypto";
import { json, type SandboxResponse } from "../http";
import { escapeHtml } from "../pages";
import { errorPage, found, shopPage } from "./pages";
import { randomToken, type AccessToken, type DeployedApp, type ShopifyState } from "./state";

/** OAuth codes are single use and valid 60 s; expiring offline tokens live 1 h, their refresh tokens 90 days. */
const CODE_TTL_MS = 60_000;
const TOKEN_TTL_S = 3600;
const REFRESH_TTL_S = 90 * 24 * 3600;

/** The scopes a payments extension grants by itself (shopify.dev, payments configuration). */
const PAYMENTS_SCOPES = ["write_payment_sessions", "write_payment_gateways"];

/**
 * Signs a query as Shopify signs OAuth callbacks and admin links: hex HMAC-SHA256 with the app's secret over the other
 * parameters, keys sorted, URL-encoded (as @shopify/shopify-api's `validateHmac` rebuilds it).
 */
export function signQuery(params: Record<string, string>, secret: string): Record<string, string> {
  const sorted = Object.keys(params).sort((a, b) => a.localeCompare(b));
  const message = new URLSearchParams(sorted.map((k): [string, string] => [k, params[k] as string])).toString();
  return { ...params, hmac: createHmac("sha256", secret).update(message).digest("hex") };
}

/** The `host` parameter of admin links: base64 of the shop's admin address. */
export function hostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64").replace(/=+$/, "");
}

/** The query Shopify adds when it sends a merchant (or the OAuth callback) to the app. */
export function signedAppQuery(app: DeployedApp, shop: string, extra: Record<string, string> = {}): string {
  const params = signQuery({ ...extra, host: hostParam(shop), shop, timestamp: String(Math.floor(Date.now() / 1000)) }, app.client_secret);
  return new URLSearchParams(params).toString();
}

/** Where the redirect_uri may point: one of the app's allowed redirection URLs (origin and path). */
function allowedRedirect(app: DeployedApp, redirectUri: string): boolean {
  if (!URL.canParse(redirectUri)) return false;
  const wanted = new URL(redirectUri);
  return app.redirect_urls.some((allowed) => URL.canParse(allowed) && new URL(allowed).origin === wanted.origin && new URL(allowed).pathname === wanted.pathname);
}

/** What the authorize page and its form both check: the app and where it wants the merchant back. */
function authorizeRequest(state: ShopifyState, query: Record<string, string>): { app: DeployedApp; redirectUri: string } | string {
  const app = state.apps.get(query.client_id ?? "");
  if (!app) return `client_id: no app ${JSON.stringify(query.client_id ?? "")} is deployed (POST /_sandbox/shopify/apps first)`;
  const redirectUri = query.redirect_uri ?? "";
  if (!allowedRedirect(app, redirectUri)) return `redirect_uri: ${JSON.stringify(redirectUri)} is not one of the app's allowed redirection URLs`;
  return { app, redirectUri };
}

/** `GET /admin/oauth/authorize`: the "Install <app>" page a merchant clicks. */
export function authorizePage(state: ShopifyState, shop: string, query: Record<string, string>): SandboxResponse {
  const request = authorizeRequest(state, query);
  if (typeof request === "string") return errorPage(400, "Oauth error invalid_request", request);
  const scopes = grantedScopes(request.app, query.scope ?? "");
  const hidden = ["client_id", "scope", "redirect_uri", "state"]
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(query[k] ?? "")}">`)
    .join("");
  return shopPage(
    shop,
    `Install ${request.app.name}`,
    `<p><strong>${escapeHtml(request.app.name)}</strong> wants to be installed on <strong>${escapeHtml(shop)}</strong> with access to:</p>
     <ul>${scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("")}</ul>
     <form method="post" action="authorize">${hidden}<button type="submit" id="install" class="primary">Install app</button></form>`,
  );
}

/** `POST /admin/oauth/authorize`: the merchant clicked Install; back to the app with a code. */
export function authorizeGrant(state: ShopifyState, shop: string, form: Record<string, string>): SandboxResponse {
  const request = authorizeRequest(state, form);
  if (typeof request === "string") return errorPage(400, "Oauth error invalid_request", request);
  const code = randomToken(16);
  state.codes.set(code, { shop, clientId: request.app.client_id, scopes: grantedScopes(request.app, form.scope ?? ""), expiresAt: Date.now() + CODE_TTL_MS });
  const query = signedAppQuery(request.app, shop, { code, state: form.state ?? "" });
  return found(`${request.redirectUri}${request.redirectUri.includes("?") ? "&" : "?"}${query}`);
}

function grantedScopes(app: DeployedApp, requested: string): string[] {
  const scopes = requested.split(",").map((s) => s.trim()).filter(Boolean);
  if (app.extensions.length > 0) scopes.push(...PAYMENTS_SCOPES);
  return [...new Set(scopes)];
}

const oauthError = (description: string): SandboxResponse => json(400, { error: "invalid_request", error_description: description });

/** `POST /admin/oauth/access_token`: a code (or a refresh token) for an access token. */
export function accessToken(state: ShopifyState, shop: string, body: unknown): SandboxResponse {
  const b = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const app = typeof b.client_id === "string" ? state.apps.get(b.client_id) : undefined;
  if (!app || b.client_secret !== app.client_secret) return oauthError("client_id or client_secret: unknown app or wrong secret");
  if (b.grant_type === "refresh_token") {
    const old = typeof b.refresh_token === "string" ? state.refreshTokens.get(b.refresh_token) : undefined;
    if (!old || old.revoked || old.shop !== shop || old.clientId !== app.client_id || (old.refreshExpiresAt ?? 0) <= Date.now()) {
      return oauthError("refresh_token: unknown, expired or already used");
    }
    state.refreshTokens.delete(b.refresh_token as string);
    return json(200, issue(state, shop, app.client_id, old.scopes, true));
  }
  const code = typeof b.code === "string" ? state.codes.get(b.code) : undefined;
  if (!code || code.shop !== shop || code.clientId !== app.client_id || code.expiresAt <= Date.now()) {
    return oauthError("code: the authorization code was not found or was already used");
  }
  state.codes.delete(b.code as string);
  const installation = state.shop(shop).installations.get(app.client_id);
  state.shop(shop).installations.set(app.client_id, {
    clientId: app.client_id,
    scopes: code.scopes,
    installed: true,
    configuration: installation?.configuration ?? { ready: false, externalHandle: null },
  });
  return json(200, issue(state, shop, app.client_id, code.scopes, b.expiring === "1" || b.expiring === 1));
}

function issue(state: ShopifyState, shop: string, clientId: string, scopes: string[], expiring: boolean): Record<string, unknown> {
  const token: AccessToken = { token: `shpua_${randomToken(24)}`, shop, clientId, scopes, revoked: false };
  if (expiring) {
    token.expiresAt = Date.now() + TOKEN_TTL_S * 1000;
    token.refreshToken = `shprt_${randomToken(24)}`;
    token.refreshExpiresAt = Date.now() + REFRESH_TTL_S * 1000;
    state.refreshTokens.set(token.refreshToken, token);
  }
  state.tokens.set(token.token, token);
  return {
    access_token: token.token,
    scope: scopes.join(","),
    ...(expiring ? { expires_in: TOKEN_TTL_S, refresh_token: token.refreshToken, refresh_token_expires_in: REFRESH_TTL_S } : {}),
  };
}

/** Revokes every token of an app on a shop (uninstall). */
export function revokeTokens(state: ShopifyState, shop: string, clientId: string): void {
  for (const token of state.tokens.values()) if (token.shop === shop && token.clientId === clientId) token.revoked = true;
}

/** `GET /admin/apps/<client_id>`: the merchant opens the app from the admin. */
export function openApp(state: ShopifyState, shop: string, clientId: string): SandboxResponse {
  const app = state.apps.get(clientId);
  if (!app) return errorPage(404, "App not found", `client_id: no app ${JSON.stringify(clientId)} is deployed`);
  return found(`${app.application_url}${app.application_url.includes("?") ? "&" : "?"}${signedAppQuery(app, shop)}`);
}
