import { sandboxAccounts } from "../../../packages/server/src/demo/sandbox-merchant";
import { csrfOf, installAndLink, installShop, openFromAdmin, submit } from "./helpers/install";
import { CookieJar, deployToEmulator, eventually, signQuery, startShopifyStack, visit, type ShopifyStack } from "./helpers/stack";

interface EmulatorShop {
  installed: boolean;
  configuration: { ready: boolean; externalHandle: string | null };
  installations: { client_id: string; installed: boolean; configuration: { ready: boolean; externalHandle: string | null } }[];
  webhooks: { topic: string; status: number }[];
}

describe("install, config page and tokens against the Shopify emulator", () => {
  let stack: ShopifyStack;
  let emulator = false;
  beforeAll(async () => {
    stack = await startShopifyStack();
    emulator = await deployToEmulator(stack);
  });
  afterAll(() => stack?.stop());

  const emulatorShop = async (shop: string) => (await stack.control<EmulatorShop>(`/shops/${shop}`)).body;
  const installation = async (shop: string) => (await emulatorShop(shop)).installations.find((i) => i.client_id === stack.clientId);

  it("OAuth: state cookie, authorize page, token exchange with an expiring offline token stored encrypted, then the config page", async () => {
    if (!emulator) return;
    const shop = "install-one.myshopify.com";
    const jar = new CookieJar();
    const begin = await visit(jar, `${stack.appUrl}/shopify/auth?shop=${shop}`);
    expect(begin.status).toBe(302);
    const authorize = new URL(begin.headers.get("location") as string);
    expect(authorize.href.startsWith(`${stack.origin(shop)}/admin/oauth/authorize?`)).toBe(true);
    expect(authorize.searchParams.get("client_id")).toBe(stack.clientId);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${stack.appUrl}/shopify/auth/callback`);
    expect(jar.has("shopify_app_state")).toBe(true);

    const { page } = await installShop(stack, shop);
    expect(page).toContain("Link your xpay-connect merchant");
    const row = (await stack.deps.db.query<Record<string, string>>("select * from shopify_shops where shop = $1", [shop]))[0];
    expect(row?.access_token_ciphertext).toBeTruthy();
    expect(row?.refresh_token_ciphertext).toBeTruthy();
    const token = await stack.deps.accessToken(shop);
    expect(row?.access_token_ciphertext).not.toContain(token);
    const expiresIn = new Date(row?.access_token_expires_at as string).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(3_000_000);
    expect(expiresIn).toBeLessThanOrEqual(3_600_000);
    expect(row?.scopes?.split(",").sort()).toEqual(["write_payment_gateways", "write_payment_sessions"]);
    expect((await installation(shop))?.installed).toBe(true);
  });

  it("refuses a callback without the state cookie, and one with a forged hmac", async () => {
    if (!emulator) return;
    const shop = "install-two.myshopify.com";
    const jar = new CookieJar();
    const begin = await visit(jar, `${stack.appUrl}/shopify/auth?shop=${shop}`);
    const state = new URL(begin.headers.get("location") as string).searchParams.get("state") as string;
    const params = { code: "abc", shop, state, timestamp: String(Math.floor(Date.now() / 1000)), host: "aG9zdA" };
    const noCookie = await visit(new CookieJar(), `${stack.appUrl}/shopify/auth/callback?${new URLSearchParams({ ...params, hmac: signQuery(stack.clientSecret, params) })}`);
    expect(noCookie.status).toBe(400);
    expect(((await noCookie.json()) as { error: { message: string } }).error.message).toMatch(/state cookie/);
    const forged = await visit(jar, `${stack.appUrl}/shopify/auth/callback?${new URLSearchParams({ ...params, hmac: signQuery("wrong-secret", params) })}`);
    expect(forged.status).toBe(400);
    expect(await stack.deps.shops.get(shop)).toBeNull();
    const badShop = await visit(new CookieJar(), `${stack.appUrl}/shopify/auth?shop=evil.example.com`);
    expect(badShop.status).toBe(400);
  });

  it("the config page: a valid admin link opens it with an HttpOnly signed cookie; bad or stale links and missing sessions get 401", async () => {
    if (!emulator) return;
    const shop = "install-one.myshopify.com";
    const jar = new CookieJar();
    const params = { shop, host: "aG9zdA", timestamp: String(Math.floor(Date.now() / 1000)) };
    const good = await visit(jar, `${stack.appUrl}/shopify/app?${new URLSearchParams({ ...params, hmac: signQuery(stack.clientSecret, params) })}`);
    expect(good.status).toBe(200);
    expect(good.headers.getSetCookie().join("\n")).toMatch(/xpc_shopify=[^;]+;.*HttpOnly/i);
    // application_url itself (/shopify) serves the same page.
    expect((await visit(new CookieJar(), `${stack.appUrl}/shopify?${new URLSearchParams({ ...params, hmac: signQuery(stack.clientSecret, params) })}`)).status).toBe(200);
    const forged = await visit(new CookieJar(), `${stack.appUrl}/shopify/app?${new URLSearchParams({ ...params, hmac: signQuery("nope", params) })}`);
    expect(forged.status).toBe(401);
    const staleParams = { ...params, timestamp: String(Math.floor(Date.now() / 1000) - 120) };
    expect((await visit(new CookieJar(), `${stack.appUrl}/shopify/app?${new URLSearchParams({ ...staleParams, hmac: signQuery(stack.clientSecret, staleParams) })}`)).status).toBe(401);
    expect((await visit(new CookieJar(), `${stack.appUrl}/shopify/app`)).status).toBe(401);
    // A shop that never installed the app is sent to install it.
    const otherParams = { ...params, shop: "never-installed.myshopify.com" };
    const other = await visit(new CookieJar(), `${stack.appUrl}/shopify/app?${new URLSearchParams({ ...otherParams, hmac: signQuery(stack.clientSecret, otherParams) })}`);
    expect([other.status, other.headers.get("location")]).toEqual([302, "/shopify/auth?shop=never-installed.myshopify.com"]);
  });

  it("link: a wrong API key is refused (422, not linked); forms need the session cookie and its CSRF token", async () => {
    if (!emulator) return;
    const shop = "install-three.myshopify.com";
    const { jar, page } = await installShop(stack, shop);
    const wrong = await submit(stack, jar, page, "link", { apiKey: "xc_live_not-a-key" });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain("apiKey: the service refused this API key");
    expect(wrong.html).not.toContain("xc_live_not-a-key");
    const noCsrf = await visit(jar, `${stack.appUrl}/shopify/app/link`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `apiKey=${stack.apiKey}` });
    expect(noCsrf.status).toBe(403);
    const noCookie = await visit(new CookieJar(), `${stack.appUrl}/shopify/app/link`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrf: csrfOf(page), apiKey: stack.apiKey }).toString() });
    expect(noCookie.status).toBe(401);
    expect((await stack.deps.shops.get(shop))?.merchantId).toBeNull();
  });

  it("link: registers the shop's events endpoint, keeps the key and secret encrypted, and calls paymentsAppConfigure(ready: true)", async () => {
    if (!emulator) return;
    const shop = "install-four.myshopify.com";
    const { jar, page } = await installAndLink(stack, shop);
    expect(page).toContain("Linked: payments are ready at checkout.");
    expect(page).toContain(stack.merchantId);
    const row = await stack.deps.shops.get(shop);
    expect(row).toMatchObject({ merchantId: stack.merchantId, externalHandle: "Shopify test store", ready: true });
    const raw = (await stack.deps.db.query<Record<string, string>>("select service_api_key_ciphertext, endpoint_secret_ciphertext from shopify_shops where shop = $1", [shop]))[0];
    expect(raw?.service_api_key_ciphertext).not.toContain(stack.apiKey);
    expect(await stack.deps.shops.endpointSecret(shop)).toMatch(/^whsec_/);
    const endpoints = await (await fetch(`${stack.service.url}/v1/endpoints`, { headers: { authorization: `Bearer ${stack.apiKey}` } })).json() as { data: { id: string; url: string }[] };
    expect(endpoints.data.map((e) => e.url)).toContain(`${stack.appUrl}/shopify/events/${shop}`);
    expect(await installation(shop)).toMatchObject({ installed: true, configuration: { ready: true, externalHandle: "Shopify test store" } });
    // The page lists the merchant's gateway accounts and never prints a secret value.
    expect(page).toContain('data-gateway="xpay-eg"');
    for (const secret of ["apiKey", "appSecret", "clientSecret"]) expect(page).not.toMatch(new RegExp(`name="gw.${secret}" value="[^"]+"`));
    expect(page).not.toContain(await stack.deps.shops.endpointSecret(shop));

    // A gateway form with a bad value: the service's 400 names the field; nothing changes, readiness stays.
    const before = (await stack.service.ctx.merchants.gatewayAccounts(stack.merchantId)).find((a) => a.gateway === "xpay-kg");
    const bad = await submit(stack, jar, page, "gateways/xpay-kg", { "gw.baseUrl": "not a url" });
    expect(bad.status).toBe(422);
    expect(bad.html).toMatch(/<p id="notice" class="error">xPay[^<]*: /);
    expect((await stack.service.ctx.merchants.gatewayAccounts(stack.merchantId)).find((a) => a.gateway === "xpay-kg")).toEqual(before);
    expect((await stack.deps.shops.get(shop))?.ready).toBe(true);

    // The same form with the sandbox's credentials (secrets typed again): saved through PUT /v1/gateways/xpay-kg.
    const account = sandboxAccounts(stack.sandbox.url)["xpay-kg"];
    const fields = Object.fromEntries(Object.entries(account).map(([k, v]) => [`gw.${k}`, String(v)]));
    const saved = await submit(stack, jar, page, "gateways/xpay-kg", fields);
    expect([saved.status, /<p id="notice" class="ok">[^<]*saved/.test(saved.html)]).toEqual([200, true]);
    const savedAccount = (await stack.service.ctx.merchants.gatewayAccounts(stack.merchantId)).find((a) => a.gateway === "xpay-kg");
    expect(savedAccount?.config).toEqual(account);
    expect(savedAccount?.updatedAt.getTime()).toBeGreaterThanOrEqual(before?.updatedAt.getTime() ?? 0);
    for (const [key, value] of Object.entries(account)) if (/secret/i.test(key)) expect(saved.html).not.toContain(String(value));

    // Unlink: ready=false at Shopify, the endpoint removed at the service.
    const unlinked = await submit(stack, jar, page, "unlink");
    expect(unlinked.status).toBe(200);
    expect(await installation(shop)).toMatchObject({ configuration: { ready: false } });
    const after = await (await fetch(`${stack.service.url}/v1/endpoints`, { headers: { authorization: `Bearer ${stack.apiKey}` } })).json() as { data: { url: string; enabled: boolean }[] };
    expect(after.data.filter((e) => e.url.endsWith(`/shopify/events/${shop}`) && e.enabled)).toEqual([]);
    expect(await stack.deps.shops.get(shop)).toMatchObject({ merchantId: null, ready: false });
  });

  it("accessToken refreshes an expiring token once (concurrent callers share it) and the new one works at Shopify", async () => {
    if (!emulator) return;
    const shop = "install-five.myshopify.com";
    await installShop(stack, shop);
    const first = await stack.deps.accessToken(shop);
    const oldRefresh = (await stack.deps.shops.tokens(shop))?.refreshToken;
    await stack.deps.db.query("update shopify_shops set access_token_expires_at = now() + interval '30 seconds' where shop = $1", [shop]);
    const [a, b] = await Promise.all([stack.deps.accessToken(shop), stack.deps.accessToken(shop)]);
    expect(a).toBe(b);
    expect(a).not.toBe(first);
    expect(new Date((await stack.deps.shops.get(shop))?.accessTokenExpiresAt as Date).getTime() - Date.now()).toBeGreaterThan(3_000_000);
    expect((await stack.deps.shops.tokens(shop))?.refreshToken).not.toBe(oldRefresh);
    // The new token works at Shopify.
    await stack.deps.configurePaymentsApp(shop, false, null);
    // The refresh token was used once: Shopify refuses it again.
    const reuse = await fetch(`${stack.origin(shop)}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: stack.clientId, client_secret: stack.clientSecret, grant_type: "refresh_token", refresh_token: oldRefresh }),
    });
    expect(reuse.status).toBe(400);
  });

  it("a refresh token Shopify refuses makes accessToken throw ShopNotInstalledError (the sessions' queue stops for the shop)", async () => {
    if (!emulator) return;
    const shop = "install-seven.myshopify.com";
    await installShop(stack, shop);
    await stack.deps.db.query("update shopify_shops set access_token_expires_at = now() - interval '1 second', refresh_token_ciphertext = $2 where shop = $1", [shop, stack.deps.secrets.encrypt("shprt_unknown")]);
    await expect(stack.deps.accessToken(shop)).rejects.toMatchObject({ name: "ShopNotInstalledError", message: expect.stringContaining("refused the refresh token") });
  });

  it("an uninstall at Shopify sends app/uninstalled: the app drops the tokens; reopening the app leads to a new install", async () => {
    if (!emulator) return;
    const shop = "install-six.myshopify.com";
    const { jar } = await installAndLink(stack, shop);
    expect((await stack.control(`/shops/${shop}/uninstall`, {})).status).toBeLessThan(300);
    await eventually(() => stack.deps.shops.get(shop), (row) => row?.installed === false);
    expect(await stack.deps.shops.tokens(shop)).toBeNull();
    expect((await emulatorShop(shop)).webhooks.find((w) => w.topic === "app/uninstalled")?.status).toBe(200);
    await expect(openFromAdmin(stack, jar, shop)).rejects.toThrow(/config page: 302/);
  });
});
