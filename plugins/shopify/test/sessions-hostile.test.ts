/**
 * Hostile input against every session route and the events route (generated with fast-check):
 * never a 5xx, and nothing stored from a request that was refused.
 */
import fc from "fast-check";
import { startShopifyStack, type ShopifyStack } from "./helpers/stack";

const SHOP = "hostile-shop.myshopify.com";
let stack: ShopifyStack;

beforeAll(async () => {
  stack = await startShopifyStack();
  await stack.deps.shops.installed(SHOP, { accessToken: "shpat_hostile", accessTokenExpiresAt: null, refreshToken: null, refreshTokenExpiresAt: null, scopes: "" });
  await stack.deps.shops.link(SHOP, { merchantId: stack.merchantId, apiKey: stack.apiKey, externalHandle: "hostile" });
});

afterAll(async () => {
  await stack?.stop();
});

/** Values no field should take: wrong types, NUL characters, lone surrogates, long strings. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, -1, 1.5, 1e300, true, [], ["a", 1], "", "\ud800", "a\udc00b", "\u0000", "1e5", "-1.00", "0.00", "1,5", "NaN", "ZZZ"),
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`),
  fc.integer({ min: 300, max: 20_000 }).map((n) => "x".repeat(n)),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxKeys: 3 }),
);

const HEADERS = { "content-type": "application/json", "shopify-shop-domain": SHOP, "shopify-request-id": "r-1", "shopify-api-version": "2026-07" };

function validPayment(id: string): Record<string, unknown> {
  return {
    id,
    gid: `gid://shopify/PaymentSession/${id}`,
    group: "g",
    amount: "10.00",
    currency: "PKR",
    test: true,
    kind: "sale",
    payment_method: { type: "offsite", data: { cancel_url: `https://${SHOP}/checkouts/cn/t/processing` } },
    customer: { email: "buyer@example.com", billing_address: { given_name: "A", family_name: "K" } },
  };
}

const FIELDS = ["id", "gid", "group", "amount", "currency", "test", "kind", "payment_method", "customer", "cancel_url"];
const count = async (table: string) => Number((await stack.service.ctx.db.query<{ n: number | string }>(`select count(*) as n from ${table}`))[0]?.n);

it("a payment session with one hostile field answers 4xx (or 200 where the field is optional), never 5xx", async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...FIELDS), hostile, fc.constantFrom("xpress-pay", "xpay-pk", "xpay-eg", "xpay-kg"), async (field, value, handle) => {
      const body = { ...validPayment(`h${++n}x${Date.now()}`), [field]: value };
      const before = await count("shopify_payment_sessions");
      const res = await fetch(`${stack.appUrl}/shopify/sessions/payment/${handle}`, { method: "POST", headers: HEADERS, body: JSON.stringify(body) });
      const text = await res.text();
      expect(`${res.status} ${text.slice(0, 300)}`).toMatch(/^[24]\d\d /);
      if (res.status === 400) expect(await count("shopify_payment_sessions")).toBe(before);
    }),
    { numRuns: 60 },
  );
});

it("hostile headers, bodies that are not objects and broken JSON are refused with 4xx on every route", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("/sessions/payment/xpress-pay", "/sessions/refund/xpay-eg", "/sessions/capture/xpay-pk", "/sessions/void/xpay-eg", `/events/${SHOP}`),
      fc.oneof(hostile.map((v) => JSON.stringify(v) ?? "null"), fc.constantFrom("{", "[1,", "\u0000", "{\"id\":")),
      fc.oneof(fc.constant(SHOP), fc.constantFrom("", "x", "evil.example.com", `${"a".repeat(300)}.myshopify.com`, "a\u00e9.myshopify.com")),
      async (route, body, shop) => {
        const res = await fetch(`${stack.appUrl}/shopify${route}`, { method: "POST", headers: { ...HEADERS, "shopify-shop-domain": encodeURIComponent(shop) }, body });
        expect(`${res.status} ${(await res.text()).slice(0, 300)}`).toMatch(/^4\d\d /);
      },
    ),
    { numRuns: 60 },
  );
});

it("a refund, capture or void with one hostile field answers 201 or 4xx, never 5xx", async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom("refund", "capture", "void"), fc.constantFrom("id", "gid", "payment_id", "amount", "currency"), hostile, async (kind, field, value) => {
      const id = `a${++n}x${Date.now()}`;
      const gidKind = { refund: "RefundSession", capture: "CaptureSession", void: "VoidSession" }[kind];
      const body = { id, gid: `gid://shopify/${gidKind}/${id}`, payment_id: "p1", amount: "1.00", currency: "EGP", test: true, [field]: value };
      const res = await fetch(`${stack.appUrl}/shopify/sessions/${kind}/xpay-eg`, { method: "POST", headers: HEADERS, body: JSON.stringify(body) });
      expect(`${res.status} ${(await res.text()).slice(0, 300)}`).toMatch(/^(201|4\d\d) /);
    }),
    { numRuns: 60 },
  );
});

it("the buyer's pages answer 404 for unknown or hostile tokens", async () => {
  for (const token of ["nope", "%00", "a".repeat(3000), "%ED%A0%80"]) {
    for (const page of [`/pay/${token}`, `/return/${token}`, `/return/${token}/status`, `/return/xpay-eg?transaction_uuid=${token}`]) {
      const res = await fetch(`${stack.appUrl}/shopify${page}`);
      expect(`${res.status} ${page.slice(0, 40)}`).toMatch(/^4\d\d /);
    }
  }
});
