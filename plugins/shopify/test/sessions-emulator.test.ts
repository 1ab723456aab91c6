/**
 * Payment, refund and void sessions end to end against the sandbox's Shopify emulator (the real
 * 2026-07 schema and Shopify's session semantics), the real service on PGlite and the sandbox's
 * gateways: the emulator sends the documented session request, the buyer pays (or declines, or
 * cancels) on the sandbox, the service's signed event reaches the app, and the app's durable
 * mutation settles the session exactly once.
 */
import { configureSessions } from "../src/sessions";
import { deployToEmulator, eventually, startShopifyStack, type ShopifyStack } from "./helpers/stack";
import { journal, readyShop, serviceApi, type JournalSession } from "./helpers/shop";

const SHOP = "emu-corner.myshopify.com";
let stack: ShopifyStack;
let emulator = false;

beforeAll(async () => {
  configureSessions({ pollMs: 100, retryScale: 0.02, fallbackPollMs: 250, quietMs: 500 });
  stack = await startShopifyStack();
  emulator = await deployToEmulator(stack);
  if (emulator) await readyShop(stack, SHOP);
});

afterAll(async () => {
  configureSessions({});
  await stack?.stop();
});

/** A checkout on the emulator, paid with the extension `handle`: the session request's outcome. */
async function checkout(handle: string, amount: string, currency: string): Promise<{ session: JournalSession; redirectUrl: string; attempts: number; paymentId: string }> {
  const created = await stack.control<{ token: string }>("/checkouts", { shop: SHOP, amount, currency, test: true, customer: CUSTOMER });
  expect(created.status).toBe(201);
  const paid = await stack.control<{ status: number; redirect_url?: string; attempts: number; session: JournalSession }>(`/checkouts/${created.body.token}/pay`, { handle });
  expect(`${paid.status} ${JSON.stringify(paid.body)}`).toMatch(/^200 /);
  expect(paid.body.status).toBe(200);
  const payments = (await serviceApi(stack, "GET", `/v1/payments?order_ref=${encodeURIComponent(paid.body.session.id)}`)).body.data as { id: string }[];
  expect(payments).toHaveLength(1);
  return { session: paid.body.session, redirectUrl: String(paid.body.redirect_url), attempts: paid.body.attempts, paymentId: String(payments[0]?.id) };
}

/** What the buyer does on the sandbox's page (approve, decline, cancel), through the sandbox's control API. */
async function act(gateway: string, ref: string, action: string, body: Record<string, unknown> = {}): Promise<void> {
  const res = await fetch(`${stack.sandbox.url}/_sandbox/${gateway}/orders/${encodeURIComponent(ref)}/${action}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(`${res.status} ${await res.text()}`).toMatch(/^2\d\d /);
}

const CUSTOMER = { email: "buyer@example.com", phone_number: "+923001234567", locale: "en", billing_address: { given_name: "Ayesha", family_name: "Khan", country_code: "PK" } };

const sessionOf = async (id: string) => (await journal(stack, SHOP)).payment_sessions.find((s) => s.id === id);
const settled = (id: string, code: string) => eventually(() => sessionOf(id), (s) => s?.state.code === code, 20_000);
/** The emulator journals a mutation by its root field (paymentSessionResolve). */
const same = (journaled: string, operation: string) => journaled.toLowerCase() === operation.toLowerCase();
const accepted = (s: JournalSession | undefined, operation: string) => (s?.mutations ?? []).filter((m) => same(m.operation, operation) && m.accepted).length;

const PAY_INS = [
  { handle: "xpress-pay", gateway: "xpress-pay", amount: "1500.00", currency: "PKR", approve: { mobile: "03001234567" }, page: "/xpress-pay/" },
  { handle: "xpay-pk", gateway: "xpay-pk", amount: "450.50", currency: "PKR", approve: {}, page: "/xpay-pk/" },
  { handle: "xpay-eg", gateway: "xpay-eg", amount: "250.00", currency: "EGP", approve: {}, page: "/xpay-eg/" },
] as const;

it.each(PAY_INS)("$handle: the session sends the buyer to the gateway's page; paying there resolves the session exactly once", async ({ handle, gateway, amount, currency, approve, page }) => {
  if (!emulator) return;
  const { session, redirectUrl, paymentId } = await checkout(handle, amount, currency);
  expect(redirectUrl.startsWith(`${stack.sandbox.url}${page}`)).toBe(true);
  await act(gateway, paymentId, "approve", approve);
  const done = await settled(session.id, "RESOLVED");
  expect(accepted(done, "PaymentSessionResolve")).toBe(1);
  expect(done?.mutations.filter((m) => !same(m.operation, "PaymentSessionResolve"))).toEqual([]);
  // The buyer's return page goes where Shopify said (its thank-you page), never to a URL the app made up.
  const back = await fetch(`${stack.appUrl}/shopify/return/${await tokenOf(session.id)}`, { redirect: "manual" });
  expect(back.status).toBe(303);
  expect(back.headers.get("location")).toBe(`${stack.origin(SHOP)}/checkouts/${(await checkoutOf(session.id))}/thank_you`);
});

it("xpay-kg: the QR page, PaymentSessionPending within three days, then resolved when the QR is paid", async () => {
  if (!emulator) return;
  const { session, redirectUrl, paymentId } = await checkout("xpay-kg", "500.00", "KGS");
  expect(redirectUrl.startsWith(`${stack.appUrl}/shopify/pay/`)).toBe(true);
  expect(await (await fetch(redirectUrl)).text()).toContain('id="qr-image"');
  const pending = await settled(session.id, "PENDING");
  expect(accepted(pending, "PaymentSessionPending")).toBe(1);
  await act("xpay-kg", paymentId, "approve");
  const done = await settled(session.id, "RESOLVED");
  expect(accepted(done, "PaymentSessionResolve")).toBe(1);
});

it("a declined card rejects the session with CARD_DECLINED", async () => {
  if (!emulator) return;
  const { session, paymentId } = await checkout("xpay-pk", "99.00", "PKR");
  await act("xpay-pk", paymentId, "decline");
  const done = await settled(session.id, "REJECTED");
  expect(done?.state.reason).toBe("CARD_DECLINED");
  expect(accepted(done, "PaymentSessionReject")).toBe(1);
});

it.each([
  { handle: "xpay-pk", how: "the gateway reports the payment canceled" },
  { handle: "xpress-pay", how: "the page's return URL says status=cancel (its API says failed)" },
])("$handle: a buyer who cancels on the gateway's page goes back to cancel_url, and the session is not rejected ($how)", async ({ handle }) => {
  if (!emulator) return;
  const { session, paymentId, redirectUrl } = await checkout(handle, "120.00", "PKR");
  const token = await tokenOf(session.id);
  if (handle === "xpay-pk") {
    await act("xpay-pk", paymentId, "cancel");
  } else {
    // The buyer presses Cancel on the wallet page, which sends them to the return URL with status=cancel.
    const page = await fetch(redirectUrl, { method: "POST", body: new URLSearchParams({ decision: "cancel" }), redirect: "manual" });
    const location = String(page.headers.get("location"));
    expect(location).toContain(`/shopify/return/${token}`);
    expect(location).toContain("status=cancel");
    const back = await fetch(location, { redirect: "manual" });
    expect([200, 303]).toContain(back.status);
  }
  const status = await eventually(
    async () => (await (await fetch(`${stack.appUrl}/shopify/return/${token}/status`)).json()) as { state: string; redirect?: string },
    (s) => s.state === "cancelled",
  );
  expect(status.redirect).toBe(`${stack.origin(SHOP)}/checkouts/cn/${await checkoutOf(session.id)}/processing`);
  await eventually(() => serviceApi(stack, "GET", `/v1/payments/${paymentId}`), (r) => r.body.status === "canceled" || r.body.status === "failed");
  // Let the service's event reach the app, then check no reject was sent.
  await eventually(() => stack.service.ctx.db.query("select 1 from deliveries where delivered_at is null"), (rows) => rows.length === 0);
  const after = await sessionOf(session.id);
  expect(after?.state.code).not.toBe("REJECTED");
  expect(after?.mutations).toEqual([]);
});

it("a cancel claimed on the return URL does not stop a payment that then succeeds from resolving", async () => {
  if (!emulator) return;
  const { session, paymentId } = await checkout("xpay-pk", "88.00", "PKR");
  const back = await fetch(`${stack.appUrl}/shopify/return/${await tokenOf(session.id)}?status=cancel`, { redirect: "manual" });
  expect(back.status).toBe(303);
  await act("xpay-pk", paymentId, "approve");
  const done = await settled(session.id, "RESOLVED");
  expect(accepted(done, "PaymentSessionResolve")).toBe(1);
});

it("a session answer Shopify lost is asked again with the same id: the same redirect URL, one payment, one resolve", async () => {
  if (!emulator) return;
  await stack.control("/faults", { dropSessionResponses: 1, sessionRetryDelaysMs: [50, 100, 200] });
  const { session, attempts, paymentId, redirectUrl } = await checkout("xpress-pay", "310.00", "PKR");
  expect(attempts).toBe(2);
  expect(session.requests).toBe(2);
  expect(redirectUrl).toContain("/xpress-pay/");
  await act("xpress-pay", paymentId, "approve", { mobile: "03001234567" });
  const done = await settled(session.id, "RESOLVED");
  expect(accepted(done, "PaymentSessionResolve")).toBe(1);
});

it("THROTTLED answers are retried until Shopify accepts the resolve", async () => {
  if (!emulator) return;
  const { session, paymentId } = await checkout("xpay-pk", "77.00", "PKR");
  await stack.control("/faults", { throttleNext: 3 });
  await act("xpay-pk", paymentId, "approve");
  const done = await settled(session.id, "RESOLVED");
  expect(accepted(done, "PaymentSessionResolve")).toBe(1);
  const log = (await stack.control<{ calls: { operationName?: string; variables?: { id?: string }; errors?: { extensions?: { code?: string } }[] }[] }>("/graphql-log")).body.calls;
  const mine = log.filter((c) => c.variables?.id === session.gid);
  expect(mine.some((c) => c.errors?.some((e) => e.extensions?.code === "THROTTLED"))).toBe(true);
});

it("a refund of an XPay EG payment: 201 to Shopify, one refund through the service, the refund session resolved", async () => {
  if (!emulator) return;
  const { session, paymentId } = await checkout("xpay-eg", "400.00", "EGP");
  await act("xpay-eg", paymentId, "approve");
  await settled(session.id, "RESOLVED");
  const refund = await stack.control<{ refund_session_id: string; status: number }>("/refunds", { shop: SHOP, payment_session_id: session.id, amount: "150.00", currency: "EGP" });
  expect(refund.body.status).toBe(201);
  const resolved = await eventually(
    async () => (await journal(stack, SHOP)).refund_sessions.find((r) => r.id === refund.body.refund_session_id),
    (r) => (r?.mutations ?? []).some((m) => same(m.operation, "RefundSessionResolve") && m.accepted),
    20_000,
  );
  expect(resolved?.mutations.filter((m) => m.accepted)).toHaveLength(1);
  const refunds = (await serviceApi(stack, "GET", `/v1/payments/${paymentId}/refunds`)).body.data as { amount: string; status: string }[];
  expect(refunds).toEqual([expect.objectContaining({ amount: "150.00", status: "succeeded" })]);
});

async function tokenOf(sessionId: string): Promise<string> {
  const [row] = await stack.service.ctx.db.query<{ token: string }>("select token from shopify_payment_sessions where id = $1", [sessionId]);
  return String(row?.token);
}

async function checkoutOf(sessionId: string): Promise<string> {
  return String((await sessionOf(sessionId) as unknown as { checkout?: string } | undefined)?.checkout);
}

it("uninstalling the app cancels the shop's pending mutations (app/uninstalled), and none is sent after", async () => {
  if (!emulator) return;
  expect((await stack.control("/faults", { throttleNext: 500_000 })).status).toBe(200);
  const { session, paymentId } = await checkout("xpay-pk", "55.00", "PKR");
  await act("xpay-pk", paymentId, "approve");
  const rows = () => stack.service.ctx.db.query<{ status: string; attempts: number }>("select status, attempts from shopify_mutations where session_id = $1", [session.id]);
  await eventually(rows, (r) => r[0]?.status === "pending" && r[0].attempts >= 1, 20_000);
  const uninstalled = await stack.control<{ webhook: { status: number } }>(`/shops/${SHOP}/uninstall`, {});
  expect(uninstalled.body.webhook.status).toBe(200);
  await eventually(rows, (r) => r[0]?.status === "cancelled");
  expect((await stack.control("/faults", { throttleNext: 0 })).status).toBe(200);
  const after = await sessionOf(session.id);
  expect(after?.mutations.filter((m) => m.accepted)).toEqual([]);
});
