/**
 * The Shopify emulator against Shopify's own library, @shopify/shopify-api 13: OAuth (begin, the emulator's Install
 * page, callback, expiring token, refresh), the admin link's signed query, and signed webhooks.
 */
import "@shopify/shopify-api/adapters/node";
import { shopifyApi, LogSeverity, type ApiVersion, type Shopify } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { startSandbox, type SandboxHandle } from "../src";
import { CLIENT_ID, CLIENT_SECRET, CONFIGURE, FakeApp, call, deployedApp, graphql, install, origin } from "./shopify-helpers";

const SHOP = "oauth-shop.myshopify.com";
/** @shopify/shopify-api refuses OAuth to bot user agents (Node's fetch counts as one). */
const BROWSER = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36" };

let sandbox: SandboxHandle;
let app: FakeApp;
let shopify: Shopify;
const webhookResults: unknown[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  app = await new FakeApp().start();
  shopify = shopifyApi({
    apiKey: CLIENT_ID,
    apiSecretKey: CLIENT_SECRET,
    scopes: [],
    hostName: app.url.replace("http://", ""),
    hostScheme: "http",
    apiVersion: "2026-07" as ApiVersion,
    isEmbeddedApp: false,
    logger: { level: LogSeverity.Error, log: async () => undefined },
  });
  // The library always calls https://<shop>/...: send it to the shop's origin on the emulator.
  const shopFetch: typeof fetch = (input, init) =>
    fetch(String(input instanceof Request ? input.url : input).replace(/^https:\/\/([^/]+\.myshopify\.com)\//, `${sandbox.url}/shopify/stores/$1/`), init);
  setAbstractFetchFunc(shopFetch);
  app.reply = async (req, raw) => {
    const url = new URL(req.path, app.url);
    if (url.pathname === "/auth") {
      await shopify.auth.begin({ shop: url.searchParams.get("shop") as string, callbackPath: "/auth/callback", isOnline: false, rawRequest: raw.req, rawResponse: raw.res });
      return "handled";
    }
    if (url.pathname === "/auth/callback") {
      try {
        const { session } = await shopify.auth.callback({ rawRequest: raw.req, rawResponse: raw.res, expiring: true });
        return { status: 200, body: JSON.stringify({ accessToken: session.accessToken, refreshToken: session.refreshToken, expires: session.expires, shop: session.shop }) };
      } catch (error) {
        return { status: 400, body: JSON.stringify({ error: String(error) }) };
      }
    }
    if (url.pathname.startsWith("/webhooks/")) {
      const check = await shopify.webhooks.validate({ rawBody: req.body, rawRequest: raw.req, rawResponse: raw.res });
      webhookResults.push(check);
      return { status: check.valid ? 200 : 401 };
    }
    return { status: 404 };
  };
});
afterAll(async () => {
  await sandbox.close();
  await app.close();
});
beforeEach(async () => {
  await call(sandbox, "/_sandbox/shopify/reset", {});
  await call(sandbox, "/_sandbox/shopify/apps", deployedApp(app.url));
  webhookResults.length = 0;
});

/** The Set-Cookie pairs of an answer, as a Cookie header. */
const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

describe("OAuth with @shopify/shopify-api", () => {
  it("begin -> the emulator's Install page -> callback gets an expiring offline token that works and refreshes", async () => {
    const begin = await fetch(`${app.url}/auth?shop=${SHOP}`, { redirect: "manual", headers: BROWSER });
    expect(begin.status).toBe(302);
    const authorize = new URL(begin.headers.get("location") as string);
    expect(authorize.origin).toBe(`https://${SHOP}`);
    const page = await fetch(`${origin(sandbox, SHOP)}${authorize.pathname}${authorize.search}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("Install XPay Connect");
    expect(html).toContain('id="install"');
    const form = new URLSearchParams([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m): [string, string] => [m[1] as string, (m[2] as string).replace(/&amp;/g, "&")]));
    const granted = await fetch(`${origin(sandbox, SHOP)}/admin/oauth/authorize`, { method: "POST", body: form, redirect: "manual" });
    expect(granted.status).toBe(302);
    const callback = new URL(granted.headers.get("location") as string);
    expect([...callback.searchParams.keys()].sort()).toEqual(["code", "hmac", "host", "shop", "state", "timestamp"]);

    const done = await fetch(callback, { headers: { ...BROWSER, cookie: cookiesOf(begin) } });
    const session = (await done.json()) as { accessToken: string; refreshToken: string; expires: string; shop: string; error?: string };
    expect(session.error).toBeUndefined();
    expect(done.status).toBe(200);
    expect(session.shop).toBe(SHOP);
    expect(new Date(session.expires).getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect((await graphql(sandbox, SHOP, session.accessToken, CONFIGURE, { ready: true })).body.data.paymentsAppConfigure.userErrors).toEqual([]);

    const refreshed = await shopify.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken });
    expect(refreshed.session.accessToken).not.toBe(session.accessToken);
    expect((await graphql(sandbox, SHOP, refreshed.session.accessToken as string, CONFIGURE, { ready: true })).status).toBe(200);
    // A refresh token is single use.
    await expect(shopify.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken })).rejects.toThrow();
  });

  it("the library refuses a callback whose query was changed after signing", async () => {
    const begin = await fetch(`${app.url}/auth?shop=${SHOP}`, { redirect: "manual", headers: BROWSER });
    const state = new URL(begin.headers.get("location") as string).searchParams.get("state") as string;
    const form = new URLSearchParams({ client_id: CLIENT_ID, scope: "", redirect_uri: `${app.url}/auth/callback`, state });
    const granted = await fetch(`${origin(sandbox, SHOP)}/admin/oauth/authorize`, { method: "POST", body: form, redirect: "manual" });
    const callback = new URL(granted.headers.get("location") as string);
    callback.searchParams.set("code", "forged");
    const done = await fetch(callback, { headers: { ...BROWSER, cookie: cookiesOf(begin) } });
    expect(done.status).toBe(400);
    expect(((await done.json()) as { error: string }).error).toContain("Invalid OAuth callback");
  });

  it("the authorize page refuses an unknown client_id or a redirect_uri the app did not allow", async () => {
    const unknown = await fetch(`${origin(sandbox, SHOP)}/admin/oauth/authorize?client_id=nope&redirect_uri=${encodeURIComponent(`${app.url}/auth/callback`)}`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("client_id");
    const elsewhere = await fetch(`${origin(sandbox, SHOP)}/admin/oauth/authorize?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent("http://evil.example/cb")}`);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain("redirect_uri");
  });

  it("the token endpoint: codes are single use, errors as Shopify's", async () => {
    const form = new URLSearchParams({ client_id: CLIENT_ID, scope: "", redirect_uri: `${app.url}/auth/callback`, state: "x" });
    const granted = await fetch(`${origin(sandbox, SHOP)}/admin/oauth/authorize`, { method: "POST", body: form, redirect: "manual" });
    const code = new URL(granted.headers.get("location") as string).searchParams.get("code");
    const exchange = () => call(sandbox, `/shopify/stores/${SHOP}/admin/oauth/access_token`, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code });
    const first = await exchange();
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ access_token: expect.stringMatching(/^shpua_/), scope: "write_payment_sessions,write_payment_gateways" });
    const second = await exchange();
    expect(second).toMatchObject({ status: 400, body: { error: "invalid_request", error_description: expect.stringContaining("code") } });
    const wrongSecret = await call(sandbox, `/shopify/stores/${SHOP}/admin/oauth/access_token`, { client_id: CLIENT_ID, client_secret: "nope", code });
    expect(wrongSecret.status).toBe(400);
  });
});

describe("the admin's signed links", () => {
  it("opening the app from the admin sends a query utils.validateHmac accepts, and refuses once tampered", async () => {
    const res = await fetch(`${origin(sandbox, SHOP)}/admin/apps/${CLIENT_ID}`, { redirect: "manual" });
    expect(res.status).toBe(302);
    const target = new URL(res.headers.get("location") as string);
    expect(`${target.origin}${target.pathname}`).toBe(`${app.url}/app`);
    const query = Object.fromEntries(target.searchParams);
    expect(Object.keys(query).sort()).toEqual(["hmac", "host", "shop", "timestamp"]);
    expect(await shopify.utils.validateHmac(query)).toBe(true);
    expect(shopify.utils.sanitizeHost(query.host as string)).toBeTruthy();
    expect(await shopify.utils.validateHmac({ ...query, shop: "other-shop.myshopify.com" })).toBe(false);
  });

  it("the gateway settings page shows installed, ready and the external handle, and links back to the app", async () => {
    const token = (await install(sandbox, SHOP, app.url)).access_token;
    const before = await (await fetch(`${origin(sandbox, SHOP)}/services/payments_partners/gateways/${CLIENT_ID}/settings`)).text();
    expect(before).toMatch(/id="ready">no</);
    expect(before).toContain('id="not-ready"');
    await graphql(sandbox, SHOP, token, CONFIGURE, { ready: true, externalHandle: "merchant-42" });
    const after = await (await fetch(`${origin(sandbox, SHOP)}/services/payments_partners/gateways/${CLIENT_ID}/settings`)).text();
    expect(after).toMatch(/id="installed">yes</);
    expect(after).toMatch(/id="ready">yes</);
    expect(after).toContain("merchant-42");
    const link = /id="manage" href="([^"]+)"/.exec(after)?.[1] as string;
    const opened = await fetch(new URL(link, `${origin(sandbox, SHOP)}/services/payments_partners/gateways/${CLIENT_ID}/settings`), { redirect: "manual" });
    expect(opened.headers.get("location")).toContain(`${app.url}/app?`);
  });
});

describe("webhooks", () => {
  it.each(["customers/data_request", "customers/redact", "shop/redact"])("%s is signed so that webhooks.validate accepts it", async (topic) => {
    await install(sandbox, SHOP, app.url);
    const sent = await call(sandbox, "/_sandbox/shopify/webhooks", { shop: SHOP, topic });
    expect(sent.body).toEqual({ status: 200, webhook_id: expect.any(String) });
    expect(webhookResults.at(-1)).toMatchObject({ valid: true, domain: SHOP, apiVersion: "2026-07", webhookId: sent.body.webhook_id, topic: topic.toUpperCase().replace("/", "_") });
    const body = JSON.parse(app.requests.at(-1)?.body ?? "{}");
    expect(body).toMatchObject({ shop_domain: SHOP, shop_id: expect.any(Number) });
  });

  it("a tampered body fails validation (the app answers 401); a re-send keeps the webhook id", async () => {
    await install(sandbox, SHOP, app.url);
    const bad = await call(sandbox, "/_sandbox/shopify/webhooks", { shop: SHOP, topic: "shop/redact", tamper: true });
    expect(bad.body.status).toBe(401);
    expect(webhookResults.at(-1)).toMatchObject({ valid: false, reason: "invalid_hmac" });
    const again = await call(sandbox, "/_sandbox/shopify/webhooks", { shop: SHOP, topic: "shop/redact", webhook_id: bad.body.webhook_id });
    expect(again.body).toEqual({ status: 200, webhook_id: bad.body.webhook_id });
    expect(app.requests.at(-1)?.headers["x-shopify-webhook-id"]).toBe(bad.body.webhook_id);
  });

  it("uninstalling revokes the shop's tokens and sends a signed app/uninstalled", async () => {
    const token = (await install(sandbox, SHOP, app.url)).access_token;
    const res = await call(sandbox, `/_sandbox/shopify/shops/${SHOP}/uninstall`, {});
    expect(res.body).toMatchObject({ uninstalled: true, webhook: { status: 200 } });
    expect(webhookResults.at(-1)).toMatchObject({ valid: true, topic: "APP_UNINSTALLED", domain: SHOP });
    expect(app.requests.at(-1)?.path).toBe("/webhooks/app-uninstalled");
    expect((await graphql(sandbox, SHOP, token, CONFIGURE, { ready: true })).status).toBe(401);
    const shop = await call(sandbox, `/_sandbox/shopify/shops/${SHOP}`);
    expect(shop.body).toMatchObject({ installed: false, webhooks: [{ topic: "app/uninstalled", status: 200 }] });
  });
});
