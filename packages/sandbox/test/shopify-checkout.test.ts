/** The Shopify emulator's checkout: methods by currency, session requests with their body, headers and retries, the buyer's pages, hostile control input. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { startSandbox } from "../src";
import { CONFIGURE, PENDING, REJECT, RESOLVE, call, deployedApp, graphql, install, origin, redirectFor, useShopifyEmulator, type AppRequest } from "./shopify-helpers";

const SHOP = "checkout-shop.myshopify.com";
const env = useShopifyEmulator(SHOP, { sessionRetryDelaysMs: [10, 20, 40] });
const redirect = (req: AppRequest) => redirectFor(env.app.url, req);

const newCheckout = async (currency = "PKR", extra: Record<string, unknown> = {}) =>
  (await call(env.sandbox, "/_sandbox/shopify/checkouts", { shop: SHOP, amount: "1500.00", currency, ...extra })).body as { token: string; checkout_url: string };
const sessionRequests = () => env.app.requests.filter((r) => r.path === "/sessions/payment");

describe("the checkout page", () => {
  it("lists the ready app's methods that take the checkout's currency", async () => {
    const pkr = await newCheckout("PKR");
    expect(pkr.checkout_url).toBe(`${origin(env.sandbox, SHOP)}/checkouts/${pkr.token}`);
    const page = await (await fetch(pkr.checkout_url)).text();
    expect(page).toContain('data-handle="xpay-pk"');
    expect(page).not.toContain('data-handle="xpay-eg"');
    expect(page).toContain('id="pay"');
    expect(await (await fetch((await newCheckout("EGP")).checkout_url)).text()).toContain('data-handle="xpay-eg"');
    expect(await (await fetch((await newCheckout("USD")).checkout_url)).text()).toContain('id="no-methods"');
    await graphql(env.sandbox, SHOP, env.token, CONFIGURE, { ready: false });
    expect(await (await fetch(pkr.checkout_url)).text()).toContain('id="no-methods"');
  });

  it("a test order lists only extensions with test_mode_available", async () => {
    const app = deployedApp(env.app.url) as { extensions: Record<string, unknown>[] };
    app.extensions = app.extensions.map((e) => (e.handle === "xpay-pk" ? { ...e, test_mode_available: false } : e));
    await call(env.sandbox, "/_sandbox/shopify/apps", app);
    expect(await (await fetch((await newCheckout("PKR", { test: true })).checkout_url)).text()).toContain('id="no-methods"');
    expect(await (await fetch((await newCheckout("PKR")).checkout_url)).text()).toContain('data-handle="xpay-pk"');
  });

  it("Pay now sends the documented session request with Shopify's three headers, then sends the buyer to the app's redirect_url", async () => {
    const checkout = await newCheckout("PKR", { test: true, customer: { email: "buyer@example.com" } });
    const res = await fetch(`${origin(env.sandbox, SHOP)}/checkouts/${checkout.token}/pay`, { method: "POST", body: new URLSearchParams({ handle: "xpay-pk" }), redirect: "manual" });
    expect(res.status).toBe(302);
    const [request] = sessionRequests();
    const body = JSON.parse(request?.body ?? "{}");
    expect(res.headers.get("location")).toBe(`${env.app.url}/pay/${body.id}`);
    expect(body).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
      gid: `gid://shopify/PaymentSession/${body.id}`,
      group: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      session_id: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      amount: "1500.00",
      currency: "PKR",
      test: true,
      merchant_locale: "en",
      payment_method: { type: "offsite", data: { cancel_url: `${origin(env.sandbox, SHOP)}/checkouts/cn/${checkout.token}/processing` } },
      proposed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      customer: { email: "buyer@example.com" },
      kind: "sale",
    });
    expect(request?.headers).toMatchObject({ "shopify-shop-domain": SHOP, "shopify-request-id": expect.stringMatching(/^[0-9a-f-]{36}$/), "shopify-api-version": "2026-07" });
  });

  it("the cancel_url brings the buyer back to the methods with a note; a reject lands on payment_failed", async () => {
    const checkout = await newCheckout();
    const cancel = await (await fetch(`${origin(env.sandbox, SHOP)}/checkouts/cn/${checkout.token}/processing`)).text();
    expect(cancel).toContain("You didn&#39;t finish your payment");
    expect(cancel).toContain('data-handle="xpay-pk"');
    const paid = await call(env.sandbox, `/_sandbox/shopify/checkouts/${checkout.token}/pay`, { handle: "xpay-pk" });
    const rejected = await graphql(env.sandbox, SHOP, env.token, REJECT, { id: paid.body.session.gid, reason: { code: "CARD_DECLINED" } });
    const failed = await (await fetch(rejected.body.data.paymentSessionReject.paymentSession.nextAction.context.redirectUrl)).text();
    expect(failed).toContain("Your payment couldn&#39;t be processed");
  });

  it("the thank-you page follows the session: processing, pending, then confirmed", async () => {
    const checkout = await newCheckout();
    const paid = await call(env.sandbox, `/_sandbox/shopify/checkouts/${checkout.token}/pay`, { handle: "xpay-pk" });
    const thankYou = `${origin(env.sandbox, SHOP)}/checkouts/${checkout.token}/thank_you`;
    const statusOf = async () => /id="order-status">([^<]+)</.exec(await (await fetch(thankYou)).text())?.[1];
    expect(await statusOf()).toBe("Processing payment");
    const pending = await graphql(env.sandbox, SHOP, env.token, PENDING, { id: paid.body.session.gid, pendingExpiresAt: new Date(Date.now() + 3600_000).toISOString(), reason: "BUYER_ACTION_REQUIRED" });
    expect(pending.body.data.paymentSessionPending.paymentSession.nextAction.context.redirectUrl).toBe(thankYou);
    expect(await statusOf()).toBe("Payment pending");
    expect(await (await fetch(thankYou)).text()).toContain("<script>");
    await graphql(env.sandbox, SHOP, env.token, RESOLVE, { id: paid.body.session.gid });
    expect(await statusOf()).toBe("Order confirmed");
    expect(await (await fetch(`${thankYou}/status`)).json()).toEqual({ status: "Order confirmed", final: true });
  });
});

describe("the sandbox's index page", () => {
  it("links the open checkouts and names the deployed app", async () => {
    const checkout = await newCheckout("EGP");
    const index = await (await fetch(`${env.sandbox.url}/`)).text();
    expect(index).toContain(`href="${checkout.checkout_url}"`);
    expect(index).toContain("1 payments app(s) deployed: XPay Connect");
  });
});

describe("session request retries", () => {
  it("after a 500, the same id is sent again and the later answer counts", async () => {
    let calls = 0;
    env.app.reply = (req) => (calls++ === 0 ? { status: 500, body: "{}" } : redirect(req));
    const paid = await call(env.sandbox, `/_sandbox/shopify/checkouts/${(await newCheckout()).token}/pay`, { handle: "xpay-pk" });
    expect(paid.body).toMatchObject({ status: 200, attempts: 2, redirect_url: `${env.app.url}/pay/${paid.body.session.id}`, session: { requests: 2, answered: true } });
    expect(new Set(sessionRequests().map((r) => JSON.parse(r.body).id))).toEqual(new Set([paid.body.session.id]));
  });

  it("a dropped answer is retried with the same id; until then a resolve gets the not-received userError", async () => {
    await call(env.sandbox, "/_sandbox/shopify/faults", { dropSessionResponses: 2 });
    const paid = await call(env.sandbox, `/_sandbox/shopify/checkouts/${(await newCheckout()).token}/pay`, { handle: "xpay-pk" });
    expect(paid.body).toMatchObject({ status: 200, attempts: 3, session: { requests: 3 } });
    expect(sessionRequests().map((r) => JSON.parse(r.body).id)).toEqual([paid.body.session.id, paid.body.session.id, paid.body.session.id]);
  });

  it("an app that does not answer in time is retried; after the last retry the buyer sees payment_failed", async () => {
    await call(env.sandbox, "/_sandbox/shopify/faults", { sessionTimeoutMs: 100, sessionRetryDelaysMs: [10] });
    env.app.reply = () => "drop";
    const checkout = await newCheckout();
    const res = await fetch(`${origin(env.sandbox, SHOP)}/checkouts/${checkout.token}/pay`, { method: "POST", body: new URLSearchParams({ handle: "xpay-pk" }), redirect: "manual" });
    expect(res.headers.get("location")).toBe(`${origin(env.sandbox, SHOP)}/checkouts/${checkout.token}?payment_failed=1`);
    expect(sessionRequests()).toHaveLength(2);
    const journal = await call(env.sandbox, `/_sandbox/shopify/shops/${SHOP}`);
    expect(journal.body.payment_sessions[0]).toMatchObject({ requests: 2, answered: false, state: { code: "REDIRECTING" } });
  });

  it("a 2xx without a usable redirect_url is a failure too", async () => {
    env.app.reply = () => ({ status: 200, body: JSON.stringify({ redirect_url: "/relative" }) });
    const paid = await call(env.sandbox, `/_sandbox/shopify/checkouts/${(await newCheckout()).token}/pay`, { handle: "xpay-pk" });
    expect(paid.body).toMatchObject({ status: 200, attempts: 4 });
    expect(paid.body.redirect_url).toBeUndefined();
  });
});

describe("hostile input to the control API", () => {
  it.each([
    ["apps", {}, "client_id"],
    ["apps", { ...deployedApp("http://x"), redirect_urls: ["not a url"] }, "redirect_urls.0"],
    ["apps", { ...deployedApp("http://x"), extensions: [{ handle: "bad_handle" }] }, "extensions.0.handle"],
    ["shops", { shop: "evil.com" }, "shop"],
    ["checkouts", { shop: SHOP, amount: 15, currency: "PKR" }, "amount"],
    ["checkouts", { shop: SHOP, amount: "1.005", currency: "PKR" }, "amount"],
    ["checkouts", { shop: SHOP, amount: "0.00", currency: "PKR" }, "amount"],
    ["checkouts", { shop: SHOP, amount: "10.00", currency: "pkr" }, "currency"],
    ["checkouts/nope/pay", { handle: "xpay-pk" }, "token"],
    ["refunds", { shop: SHOP, payment_session_id: "nope", amount: "1.00" }, "payment_session_id"],
    ["webhooks", { shop: SHOP, topic: "orders/create" }, "topic"],
    ["faults", { throttleNext: -1 }, "throttleNext"],
    ["faults", { sessionRetryDelaysMs: "fast" }, "sessionRetryDelaysMs"],
  ])("POST /_sandbox/shopify/%s %j -> 4xx naming %s", async (path, body, field) => {
    const res = await call(env.sandbox, `/_sandbox/shopify/${path}`, body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(String(res.body.error).startsWith(field)).toBe(true);
  });

  it("generated bodies never get a 5xx and never open a checkout", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("apps", "shops", "checkouts", "refunds", "captures", "voids", "webhooks", "faults"), fc.jsonValue(), async (path, body) => {
        const res = await fetch(`${env.sandbox.url}/_sandbox/shopify/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        await res.arrayBuffer();
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    const shopRoutes = ["admin/oauth/access_token", "admin/oauth/authorize", "payments_apps/api/2026-07/graphql.json", `checkouts/nope/pay`];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...shopRoutes), fc.jsonValue(), fc.boolean(), async (route, body, asForm) => {
        const res = await fetch(`${origin(env.sandbox, SHOP)}/${route}`, {
          method: "POST",
          headers: { "content-type": asForm ? "application/x-www-form-urlencoded" : "application/json", "X-Shopify-Access-Token": env.token },
          body: asForm && body && typeof body === "object" ? new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, JSON.stringify(v)])) : JSON.stringify(body),
        });
        await res.arrayBuffer();
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    expect((await fetch(`${origin(env.sandbox, SHOP)}/checkouts/%E0%A4%A`)).status).toBe(400);
    const garbage = await fetch(`${env.sandbox.url}/_sandbox/shopify/checkouts`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(garbage.status).toBe(400);
    expect((await call(env.sandbox, `/_sandbox/shopify/shops/${SHOP}`)).body.payment_sessions).toEqual([]);
  });
});

describe("the state file", () => {
  it("a restarted sandbox still knows the app, the shop's token and its sessions", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "shopify-state-"));
    const stateFile = path.join(dir, "state.json");
    try {
      const first = await startSandbox({ port: 0, stateFile });
      await call(first, "/_sandbox/shopify/apps", deployedApp(env.app.url));
      const access = (await install(first, SHOP, env.app.url)).access_token;
      await graphql(first, SHOP, access, CONFIGURE, { ready: true });
      const checkout = (await call(first, "/_sandbox/shopify/checkouts", { shop: SHOP, amount: "20.00", currency: "PKR" })).body;
      const paid = await call(first, `/_sandbox/shopify/checkouts/${checkout.token}/pay`, { handle: "xpay-pk" });
      await first.close();

      const second = await startSandbox({ port: 0, stateFile });
      try {
        expect(second.stateFile?.restored).toBe(true);
        const resolved = await graphql(second, SHOP, access, RESOLVE, { id: paid.body.session.gid });
        expect(resolved.body.data.paymentSessionResolve.paymentSession.state.code).toBe("RESOLVED");
        expect((await call(second, `/_sandbox/shopify/shops/${SHOP}`)).body).toMatchObject({ installed: true, configuration: { ready: true }, payment_sessions: [{ id: paid.body.session.id }] });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
