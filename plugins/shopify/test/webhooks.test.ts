import { randomUUID } from "node:crypto";
import { deployToEmulator, signWebhook, startShopifyStack, type ShopifyStack } from "./helpers/stack";

const SHOP = "webhook-test.myshopify.com";

/** Posts a webhook to the app as Shopify does: raw JSON body, X-Shopify-* headers, HMAC with `secret`. */
async function send(stack: ShopifyStack, topic: string, payload: unknown, options: { id?: string; secret?: string; shop?: string; drop?: string[] } = {}): Promise<{ status: number; body: { ok?: boolean; duplicate?: boolean; error?: { message: string } } }> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-hmac-sha256": signWebhook(options.secret ?? stack.clientSecret, body),
    "x-shopify-topic": topic,
    "x-shopify-shop-domain": options.shop ?? SHOP,
    "x-shopify-api-version": "2026-07",
    "x-shopify-webhook-id": options.id ?? randomUUID(),
    "x-shopify-triggered-at": new Date().toISOString(),
  };
  for (const name of options.drop ?? []) delete headers[name];
  const res = await fetch(`${stack.appUrl}/shopify/webhooks`, { method: "POST", headers, body });
  return { status: res.status, body: (await res.json()) as { ok?: boolean; duplicate?: boolean; error?: { message: string } } };
}

const tokens = { accessToken: "shpat_test", accessTokenExpiresAt: new Date(Date.now() + 3_600_000), refreshToken: "shprt_test", refreshTokenExpiresAt: null, scopes: "write_payment_gateways,write_payment_sessions" };

describe("POST /shopify/webhooks", () => {
  let stack: ShopifyStack;
  beforeAll(async () => {
    stack = await startShopifyStack();
  });
  afterAll(() => stack?.stop());
  beforeEach(() => stack.deps.shops.installed(SHOP, tokens));

  const rows = () => stack.deps.db.query<{ webhook_id: string; topic: string; processed_at: Date | null; outcome: Record<string, unknown> | null }>("select * from shopify_webhooks order by received_at");

  it("answers 401 to a bad signature, a signature with another secret and missing headers, and changes nothing", async () => {
    const before = (await rows()).length;
    const wrong = await send(stack, "shop/redact", { shop_domain: SHOP }, { secret: "not-the-client-secret" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.message).toMatch(/X-Shopify-Hmac-Sha256/);
    const body = JSON.stringify({ shop_domain: SHOP });
    const tampered = await fetch(`${stack.appUrl}/shopify/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-hmac-sha256": signWebhook(stack.clientSecret, body), "x-shopify-topic": "shop/redact", "x-shopify-shop-domain": SHOP, "x-shopify-api-version": "2026-07", "x-shopify-webhook-id": randomUUID() },
      body: body.replace("}", ' }'),
    });
    expect(tampered.status).toBe(401);
    expect((await send(stack, "shop/redact", { shop_domain: SHOP }, { drop: ["x-shopify-webhook-id"] })).status).toBe(401);
    expect((await send(stack, "shop/redact", { shop_domain: SHOP }, { drop: ["x-shopify-hmac-sha256"] })).status).toBe(401);
    expect((await rows()).length).toBe(before);
    expect((await stack.deps.shops.get(SHOP))?.installed).toBe(true);
  });

  it("customers/data_request: answered 200 and recorded with what the app holds (counts, no customer data)", async () => {
    const id = randomUUID();
    const answer = await send(stack, "customers/data_request", { shop_id: 1, shop_domain: SHOP, customer: { id: 7, email: "buyer@example.com", phone: "+923001234567" }, orders_requested: [11, 12], data_request: { id: 99 } }, { id });
    expect(answer).toEqual({ status: 200, body: { ok: true } });
    const row = (await rows()).find((r) => r.webhook_id === id);
    expect(row?.topic).toBe("customers/data_request");
    expect(row?.processed_at).not.toBeNull();
    expect(row?.outcome).toEqual({ action: "customer_data_collected", data_request_id: 99, records: 0 });
    expect(JSON.stringify(await rows())).not.toContain("buyer@example.com");
  });

  it("customers/redact: answered 200 and acted on", async () => {
    const id = randomUUID();
    expect((await send(stack, "customers/redact", { shop_id: 1, shop_domain: SHOP, customer: { id: 7, email: "buyer@example.com", phone: null }, orders_to_redact: [11] }, { id })).status).toBe(200);
    expect((await rows()).find((r) => r.webhook_id === id)?.outcome).toEqual({ action: "customer_redacted", rows: expect.any(Number) });
  });

  it("app/uninstalled: forgets the shop's tokens and readiness; accessToken then refuses", async () => {
    await stack.deps.shops.setReady(SHOP, true);
    expect(await stack.deps.accessToken(SHOP)).toBe("shpat_test");
    expect((await send(stack, "app/uninstalled", { id: 1, domain: SHOP, myshopify_domain: SHOP })).status).toBe(200);
    const shop = await stack.deps.shops.get(SHOP);
    expect(shop).toMatchObject({ installed: false, ready: false, hasAccessToken: false });
    expect(shop?.uninstalledAt).toBeInstanceOf(Date);
    expect(await stack.deps.shops.tokens(SHOP)).toBeNull();
    await expect(stack.deps.accessToken(SHOP)).rejects.toMatchObject({ name: "ShopNotInstalledError" });
  });

  it("shop/redact deletes the shop's row, once per X-Shopify-Webhook-Id: a redelivery after a reinstall changes nothing", async () => {
    const id = randomUUID();
    expect((await send(stack, "shop/redact", { shop_id: 1, shop_domain: SHOP }, { id })).status).toBe(200);
    expect(await stack.deps.shops.get(SHOP)).toBeNull();
    await stack.deps.shops.installed(SHOP, tokens);
    const again = await send(stack, "shop/redact", { shop_id: 1, shop_domain: SHOP }, { id });
    expect(again).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    expect((await stack.deps.shops.get(SHOP))?.installed).toBe(true);
    expect((await rows()).filter((r) => r.webhook_id === id)).toHaveLength(1);
  });

  it("simultaneous deliveries of one webhook id act once: one answer 200, the others 200 duplicate or 409 (Shopify retries)", async () => {
    const id = randomUUID();
    const payload = { shop_id: 1, shop_domain: SHOP, customer: { id: 8, email: null, phone: null }, orders_requested: [], data_request: { id: 5 } };
    const answers = await Promise.all([1, 2, 3].map(() => send(stack, "customers/data_request", payload, { id })));
    expect(answers.filter((a) => a.status === 200 && !a.body.duplicate)).toHaveLength(1);
    for (const a of answers) expect([200, 409]).toContain(a.status);
    expect((await rows()).filter((r) => r.webhook_id === id)).toHaveLength(1);
    expect(await send(stack, "customers/data_request", payload, { id })).toEqual({ status: 200, body: { ok: true, duplicate: true } });
  });

  it("a body that is not JSON but correctly signed gets a 400 naming the body", async () => {
    const body = "not json";
    const res = await fetch(`${stack.appUrl}/shopify/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-hmac-sha256": signWebhook(stack.clientSecret, body), "x-shopify-topic": "customers/redact", "x-shopify-shop-domain": SHOP, "x-shopify-api-version": "2026-07", "x-shopify-webhook-id": randomUUID() },
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^body:/);
  });

  it("the emulator's signed compliance webhooks: good ones answered 200, tampered ones 401", async () => {
    if (!(await deployToEmulator(stack))) return;
    for (const topic of ["customers/data_request", "customers/redact", "shop/redact"]) {
      const good = await stack.control<{ status: number; webhook_id: string }>("/webhooks", { shop: SHOP, topic });
      expect([topic, good.status, good.body.status]).toEqual([topic, 200, 200]);
      const bad = await stack.control<{ status: number }>("/webhooks", { shop: SHOP, topic, tamper: true });
      expect([topic, bad.body.status]).toEqual([topic, 401]);
      await stack.deps.shops.installed(SHOP, tokens);
    }
  });
});
