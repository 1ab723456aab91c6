/**
 * The session routes as Shopify calls them (the documented bodies and Shopify-* headers), over real
 * loopback HTTP against the real service on PGlite and the sandbox's gateways: idempotent payment
 * sessions (retried and concurrent), 400s naming the field, outcomes from the service's signed
 * events becoming durable mutations, QR pending, refund/void answered 201 and acted on once.
 * Shopify itself is absent here (its origin does not answer), so the mutations stay queued and
 * retried: what Shopify then does with them is tested against the emulator.
 */
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import pino from "pino";
import { startService, type Service } from "@xpay-connect/server";
import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { pointSandboxAt, sandboxAccounts } from "../../../packages/server/src/demo/sandbox-merchant";
import { eventually } from "../../../packages/server/test/harness";
import { inProcessClient, serviceClient, shopifyApp, type ShopifyApp } from "../src";
import { configureSessions, sessionHooks } from "../src/sessions";

jest.setTimeout(60_000);

const SHOP = "corner-shop.myshopify.com";
let sandbox: SandboxHandle;
let service: Service;
let app: ShopifyApp;
let appUrl: string;
let apiKey: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address !== "object") throw new Error("no port");
  return address.port;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 7, retryScale: 0.001 });
  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  // Shopify is not reachable in this file: a closed port.
  const closed = await freePort();
  configureSessions({ pollMs: 100, retryScale: 0.01, fallbackPollMs: 200, quietMs: 300 });
  app = shopifyApp({ apiKey: "client-id-b", apiSecret: "client-secret-b", appUrl, shopifyOrigin: () => `http://127.0.0.1:${closed}` });
  service = await startService(
    { port, dataDir: ":memory:", databaseUrl: undefined, masterKey: randomBytes(32).toString("hex"), publicUrl: appUrl, allowPrivateEndpoints: true },
    { log: pino({ level: process.env.LOG_LEVEL ?? "silent" }), routes: app.routes, migrations: app.migrations },
  );
  const created = await service.ctx.merchants.create("Corner Shop", "test");
  apiKey = created.apiKey;
  for (const [gateway, config] of Object.entries(sandboxAccounts(sandbox.url))) await service.ctx.merchants.setGatewayAccount(created.merchant.id, gateway, config);
  await pointSandboxAt(sandbox.url, service.url);
  await fetch(`${sandbox.url}/_sandbox/xpay-eg/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ redirectUrl: `${appUrl}/shopify/return/xpay-eg` }) });
  const deps = app.deps();
  await deps.shops.installed(SHOP, { accessToken: "shpat_test", accessTokenExpiresAt: null, refreshToken: null, refreshTokenExpiresAt: null, scopes: "write_payment_sessions" });
  await deps.shops.link(SHOP, { merchantId: created.merchant.id, apiKey, externalHandle: "corner" });
  const endpoint = await api("POST", "/v1/endpoints", { url: `${appUrl}/shopify/events/${SHOP}` });
  await deps.shops.setEndpoint(SHOP, { id: String(endpoint.body.id), secret: String(endpoint.body.secret) });
});

afterAll(async () => {
  await service?.stop();
  await sandbox?.close();
});

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(service.url + path, { method, headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const HEADERS = { "content-type": "application/json", "shopify-shop-domain": SHOP, "shopify-request-id": "94169f7e-ac8d-4ef4-9fd2-90f0791daddf", "shopify-api-version": "2026-07" };

function paymentBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  const id = `ps_${randomBytes(6).toString("hex")}`;
  return {
    id,
    gid: `gid://shopify/PaymentSession/${id}`,
    group: `grp_${id}`,
    session_id: `s_${id}`,
    amount: "1500.00",
    currency: "PKR",
    test: true,
    merchant_locale: "en",
    payment_method: { type: "offsite", data: { cancel_url: `https://${SHOP}/checkouts/cn/tok/processing` } },
    proposed_at: "2026-11-29T10:00:00Z",
    customer: { email: "buyer@example.com", phone_number: "+923001234567", locale: "en", billing_address: { given_name: "Ayesha", family_name: "Khan", country_code: "PK" } },
    kind: "sale",
    transaction_metadata: { unknown_key: true },
    ...over,
  };
}

async function session(kind: string, handle: string, body: Record<string, unknown>, headers: Record<string, string> = HEADERS): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const res = await fetch(`${appUrl}/shopify/sessions/${kind}/${handle}`, { method: "POST", headers, body: JSON.stringify(body) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    /* not JSON */
  }
  return { status: res.status, text, json };
}

const mutations = (gid: string) => service.ctx.db.query<{ operation: string; status: string; variables: Record<string, unknown>; attempts: number }>("select * from shopify_mutations where session_gid = $1 order by id", [gid]);
const paymentsFor = async (ref: string) => ((await api("GET", `/v1/payments?order_ref=${encodeURIComponent(ref)}`)).body.data as Record<string, unknown>[]) ?? [];

it("answers a payment session with the gateway's page, and a retry of the same id with the same URL (one payment)", async () => {
  const body = paymentBody();
  const first = await session("payment", "xpress-pay", body);
  expect(first.status).toBe(200);
  const url = String(first.json.redirect_url);
  expect(url.startsWith(`${sandbox.url}/xpress-pay/`)).toBe(true);
  const again = await session("payment", "xpress-pay", body);
  expect(again).toMatchObject({ status: 200, json: { redirect_url: url } });
  const payments = await paymentsFor(String(body.id));
  expect(payments).toHaveLength(1);
  expect(payments[0]).toMatchObject({ gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR" });
});

it("test mode follows the linked merchant: a live checkout on a test-mode merchant, and a test checkout on a live one, are refused naming `test`, with no payment", async () => {
  const live = paymentBody({ test: false });
  const refused = await session("payment", "xpress-pay", live);
  expect(refused.status).toBe(422);
  expect(refused.json).toMatchObject({ error: { code: "live_checkout_on_test_merchant", message: expect.stringMatching(/^test: /) } });
  expect(await paymentsFor(String(live.id))).toEqual([]);

  // The same shop linked to a live merchant refuses a test checkout.
  const deps = app.deps();
  const liveMerchant = await service.ctx.merchants.create("Corner Shop live");
  await deps.shops.link(SHOP, { merchantId: liveMerchant.merchant.id, apiKey: liveMerchant.apiKey, externalHandle: "corner" });
  try {
    const test = paymentBody();
    const refusedTest = await session("payment", "xpress-pay", test);
    expect(refusedTest.status).toBe(422);
    expect(refusedTest.json).toMatchObject({ error: { code: "test_checkout_on_live_merchant", message: expect.stringMatching(/^test: /) } });
    expect(await paymentsFor(String(test.id))).toEqual([]);
  } finally {
    const merchantId = (await service.ctx.merchants.authenticate(apiKey)) as string;
    await deps.shops.link(SHOP, { merchantId, apiKey, externalHandle: "corner" });
  }
});

it("a retry after a crash between the service's create and storing its answer replays the first request byte for byte: the same payment and URL", async () => {
  const body = paymentBody();
  const first = await session("payment", "xpress-pay", body);
  expect(first.status).toBe(200);
  // As if the process died before storing the payment: the service holds the payment and its Idempotency-Key.
  await service.ctx.db.query("update shopify_payment_sessions set payment_id = null, redirect_url = null where id = $1", [body.id]);
  const again = await session("payment", "xpress-pay", body);
  expect(again).toMatchObject({ status: 200, json: { redirect_url: first.json.redirect_url } });
  expect(await paymentsFor(String(body.id))).toHaveLength(1);
});

it("answers concurrent copies of one session request alike, with one payment", async () => {
  const body = paymentBody({ currency: "EGP", amount: "250.50" });
  const answers = await Promise.all([1, 2, 3, 4].map(() => session("payment", "xpay-eg", body)));
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
  expect(new Set(answers.map((a) => a.json.redirect_url)).size).toBe(1);
  expect(await paymentsFor(String(body.id))).toHaveLength(1);
});

it("refuses bad input with a 400 naming the field, and reads a top-level cancel_url", async () => {
  const { "shopify-shop-domain": _omitted, ...noShop } = HEADERS;
  expect(await session("payment", "xpress-pay", paymentBody(), noShop)).toMatchObject({ status: 400, json: { error: { message: expect.stringContaining("Shopify-Shop-Domain") } } });
  expect(await session("payment", "xpress-pay", paymentBody({ amount: 1500 }))).toMatchObject({ status: 400, json: { error: { message: expect.stringMatching(/^amount: /) } } });
  expect(await session("payment", "xpress-pay", paymentBody({ amount: "15.001" }))).toMatchObject({ status: 400, json: { error: { message: expect.stringContaining("amount") } } });
  expect(await session("payment", "xpress-pay", paymentBody({ gid: "nope" }))).toMatchObject({ status: 400, json: { error: { message: expect.stringMatching(/^gid: /) } } });
  expect(await session("payment", "xpress-pay", paymentBody({ payment_method: { type: "offsite", data: {} } }))).toMatchObject({ status: 400, json: { error: { message: expect.stringContaining("cancel_url") } } });
  expect(await session("payment", "nope", paymentBody())).toMatchObject({ status: 404 });
  const topLevel = await session("payment", "xpress-pay", paymentBody({ payment_method: { type: "offsite" }, cancel_url: `https://${SHOP}/checkouts/cn/t2/processing` }));
  expect(topLevel.status).toBe(200);
});

it("refuses a session from a shop that has not linked a merchant with a 422 naming the header, and stores nothing", async () => {
  const other = "unlinked-shop.myshopify.com";
  await app.deps().shops.installed(other, { accessToken: "shpat_other", accessTokenExpiresAt: null, refreshToken: null, refreshTokenExpiresAt: null, scopes: "write_payment_sessions" });
  const body = paymentBody();
  const answer = await session("payment", "xpress-pay", body, { ...HEADERS, "shopify-shop-domain": other });
  expect(answer).toMatchObject({ status: 422, json: { error: { code: "shop_not_linked", message: expect.stringMatching(/^Shopify-Shop-Domain: /) } } });
  expect(await service.ctx.db.query("select 1 from shopify_payment_sessions where id = $1", [body.id])).toHaveLength(0);
  expect(await paymentsFor(String(body.id))).toHaveLength(0);
});

it("a session whose id another shop already used answers 409 and creates no second payment", async () => {
  const body = paymentBody();
  expect((await session("payment", "xpress-pay", body)).status).toBe(200);
  const other = "second-shop.myshopify.com";
  const deps = app.deps();
  await deps.shops.installed(other, { accessToken: "shpat_second", accessTokenExpiresAt: null, refreshToken: null, refreshTokenExpiresAt: null, scopes: "write_payment_sessions" });
  await deps.shops.link(other, { merchantId: "unused", apiKey, externalHandle: "second" });
  expect(await session("payment", "xpress-pay", body, { ...HEADERS, "shopify-shop-domain": other })).toMatchObject({ status: 409, json: { error: { code: "session_conflict" } } });
  expect(await paymentsFor(String(body.id))).toHaveLength(1);
});

it("the in-process client of the service's API answers exactly as the HTTP one: API key, validation, idempotency", async () => {
  const http = (key: string) => serviceClient(() => service.url, key);
  const inProcess = (key: string) => inProcessClient(service.app, key);
  const ref = `inproc_${randomBytes(4).toString("hex")}`;
  const create = { gateway: "xpress-pay", method: "easypaisa", amount: "12.00", currency: "PKR", order_ref: ref, customer: { name: "Ayesha Khan" }, return_url: `${appUrl}/r` };
  for (const client of [http, inProcess]) {
    const refused = await client("xpc_not_a_key").request("GET", "/v1/payments");
    expect(refused).toMatchObject({ status: 401, body: { error: { code: "unauthenticated", field: "Authorization" } } });
    const invalid = await client(apiKey).request("POST", "/v1/payments", { ...create, amount: 12 }, { "Idempotency-Key": `${ref}-bad` });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain("amount");
  }
  // One Idempotency-Key, first in process then over HTTP: one payment, the same answer replayed.
  const first = await inProcess(apiKey).request<{ id: string }>("POST", "/v1/payments", create, { "Idempotency-Key": ref });
  const again = await http(apiKey).request<{ id: string }>("POST", "/v1/payments", create, { "Idempotency-Key": ref });
  expect(first.status).toBe(201);
  expect(again).toEqual(first);
  expect(await paymentsFor(ref)).toHaveLength(1);
  const changed = await inProcess(apiKey).request("POST", "/v1/payments", { ...create, amount: "13.00" }, { "Idempotency-Key": ref });
  expect(changed.status).toBe(422);
});

it("resolves a paid session from the service's signed event: one PaymentSessionResolve queued (and retried while Shopify does not answer)", async () => {
  const body = paymentBody();
  const answer = await session("payment", "xpress-pay", body);
  expect(answer.status).toBe(200);
  const [payment] = await paymentsFor(String(body.id));
  await fetch(`${sandbox.url}/_sandbox/xpress-pay/orders/${encodeURIComponent(String(payment?.id))}/approve`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mobile: "03001234567" }) });
  const rows = await eventually(() => mutations(String(body.gid)), (r) => r.some((m) => m.operation === "PaymentSessionResolve" && m.attempts >= 2), 20_000);
  expect(rows.map((m) => m.operation)).toEqual(["PaymentSessionResolve"]);
  expect(rows[0]?.status).toBe("pending");
});

it("refuses an event with a bad signature (401) and changes nothing", async () => {
  const res = await fetch(`${appUrl}/shopify/events/${SHOP}`, { method: "POST", headers: { "content-type": "application/json", "x-xpay-connect-signature": "t=1,v1=" + "0".repeat(64) }, body: JSON.stringify({ type: "payment.succeeded", data: { id: "pay_x", status: "succeeded" } }) });
  expect(res.status).toBe(401);
});

it("shows an xPay KG QR on the app's page and queues PaymentSessionPending within three days", async () => {
  const body = paymentBody({ currency: "KGS", amount: "500.00" });
  const answer = await session("payment", "xpay-kg", body);
  expect(`${answer.status} ${answer.text}`).toMatch(/^200 /);
  const url = String(answer.json.redirect_url);
  expect(url.startsWith(`${appUrl}/shopify/pay/`)).toBe(true);
  const page = await (await fetch(url)).text();
  expect(page).toContain('id="qr-image"');
  expect(page).toContain("KGS 500.00");
  const rows = await eventually(() => mutations(String(body.gid)), (r) => r.length > 0);
  expect(rows[0]?.operation).toBe("PaymentSessionPending");
  const expires = Date.parse(String(rows[0]?.variables.pendingExpiresAt));
  expect(expires).toBeGreaterThan(Date.now());
  expect(expires).toBeLessThanOrEqual(Date.now() + 3 * 86_400_000);
});

it("answers a refund 201 with an empty body, refunds XPay EG once through the service however often Shopify asks, and voids are refused", async () => {
  const body = paymentBody({ currency: "EGP", amount: "300.00" });
  expect((await session("payment", "xpay-eg", body)).status).toBe(200);
  const [payment] = await paymentsFor(String(body.id));
  await fetch(`${sandbox.url}/_sandbox/xpay-eg/orders/${encodeURIComponent(String(payment?.gateway_ref ?? payment?.id))}/approve`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  await eventually(() => api("GET", `/v1/payments/${String(payment?.id)}`), (r) => r.body.status === "succeeded", 20_000);

  const id = `rs_${randomBytes(5).toString("hex")}`;
  const refund = { id, gid: `gid://shopify/RefundSession/${id}`, payment_id: body.id, amount: "100.00", currency: "EGP", test: true, merchant_locale: "en", proposed_at: "2026-11-29T10:00:00Z" };
  const answers = await Promise.all([1, 2, 3].map(() => session("refund", "xpay-eg", refund)));
  for (const a of answers) expect(a).toMatchObject({ status: 201, text: "" });
  const rows = await eventually(() => mutations(refund.gid), (r) => r.length > 0, 20_000);
  expect(rows.map((m) => m.operation)).toEqual(["RefundSessionResolve"]);
  const refunds = (await api("GET", `/v1/payments/${String(payment?.id)}/refunds`)).body.data as unknown[];
  expect(refunds).toHaveLength(1);

  const voidId = `vs_${randomBytes(5).toString("hex")}`;
  const voided = await session("void", "xpay-eg", { id: voidId, gid: `gid://shopify/VoidSession/${voidId}`, payment_id: body.id, test: true });
  expect(voided).toMatchObject({ status: 201, text: "" });
  const voidRows = await eventually(() => mutations(`gid://shopify/VoidSession/${voidId}`), (r) => r.length > 0);
  expect(voidRows[0]).toMatchObject({ operation: "VoidSessionReject", variables: { reason: { code: "PROCESSING_ERROR" } } });
});

it("stops a shop's pending mutations when it uninstalls", async () => {
  await sessionHooks.uninstalled(app.deps(), SHOP);
  const pending = await service.ctx.db.query("select 1 from shopify_mutations where shop = $1 and status = 'pending'", [SHOP]);
  expect(pending).toHaveLength(0);
  expect((await service.ctx.db.query("select 1 from shopify_mutations where shop = $1 and status = 'cancelled'", [SHOP])).length).toBeGreaterThan(0);
});

it("the queue itself cancels the mutations of a shop whose token is gone (uninstalled), instead of retrying them", async () => {
  const deps = app.deps();
  await deps.shops.installed(SHOP, { accessToken: "shpat_again", accessTokenExpiresAt: null, refreshToken: null, refreshTokenExpiresAt: null, scopes: "write_payment_sessions" });
  const body = paymentBody({ currency: "KGS", amount: "20.00" });
  expect((await session("payment", "xpay-kg", body)).status).toBe(200);
  await eventually(() => mutations(String(body.gid)), (r) => r[0]?.status === "pending" && r[0].attempts >= 1);
  await deps.shops.uninstalled(SHOP);
  const rows = await eventually(() => mutations(String(body.gid)), (r) => r[0]?.status !== "pending", 20_000);
  expect(rows[0]).toMatchObject({ status: "cancelled", operation: "PaymentSessionPending" });
});
