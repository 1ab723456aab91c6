/** Webhook parsing and verification: X-Signature over the raw body, the echoed token, integrity; real webhooks from the sandbox. */
import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { Money, VerificationError, hmacSha256Hex, type CallbackInput, type XpayPkConnector } from "../../src";
import { callbackSink, control } from "../support";
import { MERCHANT, connectorFor } from "./helpers";

const xp: XpayPkConnector = connectorFor("http://127.0.0.1:9/xpay-pk");
const AMOUNT = Money.parse("1500", "PKR");
const payload = { status: "succeeded", payment_intent_id: "xpay_pi_1", amount: 150000, currency: "PKR", metadata: { order_reference: "ORD-1", callback_token: "tok-1" } };
const signed = (body: unknown, secret = MERCHANT.webhookSecret): CallbackInput => {
  const rawBody = JSON.stringify(body);
  return { rawBody, headers: { "content-type": "application/json", "X-Signature": hmacSha256Hex(secret, rawBody) } };
};
const expected = { merchantRef: "ORD-1", amount: AMOUNT, token: { expected: "tok-1", received: undefined } };
const reason = (p: Promise<unknown>) => p.then(() => "verified", (e: unknown) => (e instanceof VerificationError ? e.reason : String(e)));

describe("parseCallback", () => {
  it("reads status, intent id, minor-unit amount and order reference without trusting them", () => {
    expect(xp.parseCallback({ rawBody: JSON.stringify(payload) })).toEqual({
      gateway: "xpay-pk",
      kind: "pay_in",
      merchantRef: "ORD-1",
      gatewayRef: "xpay_pi_1",
      status: "succeeded",
      gatewayStatus: "succeeded",
      amount: AMOUNT,
      raw: payload,
    });
  });

  it.each([
    ["not JSON", "status=succeeded"],
    ["a JSON array", "[]"],
    ["no order reference", JSON.stringify({ ...payload, metadata: {} })],
    ["a fractional amount", JSON.stringify({ ...payload, amount: 1500.5 })],
    ["an unknown currency", JSON.stringify({ ...payload, currency: "XYZ" })],
  ])("%s is malformed", (_what, rawBody) => {
    expect(() => xp.parseCallback({ rawBody })).toThrow(expect.objectContaining({ reason: "malformed" }));
  });
});

describe("verifyCallback", () => {
  // A webhook that passes every local check goes on to XPay's lookup: unreachable here, so the
  // outcome is unknown (retry later), never "verified" on the signature alone.
  const looksUp = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ code: "outcome_unknown" });

  it("a correctly signed webhook (string or Buffer body, any header case, uppercase hex) passes to the lookup", async () => {
    const input = signed(payload);
    await looksUp(xp.verifyCallback(input, expected));
    await looksUp(xp.verifyCallback({ ...input, rawBody: Buffer.from(String(input.rawBody)) }, expected));
    const upper = { ...input, headers: { "x-signature": String(input.headers?.["X-Signature"]).toUpperCase() } };
    await looksUp(xp.verifyCallback(upper, expected));
  });

  it("a URL-carried token is used when the caller has one", async () => {
    const input = signed({ ...payload, metadata: { order_reference: "ORD-1" } });
    await looksUp(xp.verifyCallback(input, { ...expected, token: { expected: "tok-1", received: "tok-1" } }));
    expect(await reason(xp.verifyCallback(input, { ...expected, token: { expected: "tok-1", received: "tok-2" } }))).toBe("bad_token");
    expect(await reason(xp.verifyCallback(input, expected))).toBe("bad_token");
  });

  it("the signature covers the raw body: re-serialized JSON with the old signature fails", async () => {
    const input = signed(payload);
    const spaced = { ...input, rawBody: JSON.stringify(payload, null, 2) };
    expect(await reason(xp.verifyCallback(spaced, expected))).toBe("bad_signature");
  });

  it.each([
    ["no signature", { "content-type": "application/json" }],
    ["an empty signature", { "x-signature": "" }],
    ["signed with another secret", { "x-signature": hmacSha256Hex("someone-else", JSON.stringify(payload)) }],
    ["signed with the API HMAC secret instead of the webhook secret", { "x-signature": hmacSha256Hex(MERCHANT.hmacSecret, JSON.stringify(payload)) }],
    ["a truncated signature", { "x-signature": hmacSha256Hex(MERCHANT.webhookSecret, JSON.stringify(payload)).slice(0, 63) }],
  ])("%s -> bad_signature", async (_what, headers) => {
    expect(await reason(xp.verifyCallback({ rawBody: JSON.stringify(payload), headers }, expected))).toBe("bad_signature");
  });

  it.each([
    ["another amount", { amount: 100 }, {}, "amount_mismatch"],
    ["another currency", { currency: "USD", amount: 150000 }, {}, "currency_mismatch"],
    ["another order", { metadata: { order_reference: "ORD-2", callback_token: "tok-1" } }, {}, "reference_mismatch"],
    ["another intent", {}, { gatewayRef: "xpay_pi_2" }, "reference_mismatch"],
    ["another payment's token", { metadata: { order_reference: "ORD-1", callback_token: "tok-9" } }, {}, "bad_token"],
  ])("%s, correctly signed -> %s", async (_what, change, expectChange, why) => {
    expect(await reason(xp.verifyCallback(signed({ ...payload, ...change }), { ...expected, ...expectChange }))).toBe(why);
  });


  it("callbackReply: 2xx accepts, 400 asks XPay to retry", () => {
    expect(xp.callbackReply(true)).toEqual({ status: 200, contentType: "application/json", body: '{"received":true}' });
    expect(xp.callbackReply(false).status).toBe(400);
  });
});

describe("webhooks from the sandbox", () => {
  let sandbox: SandboxHandle;
  let sink: Awaited<ReturnType<typeof callbackSink>>;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
    sink = await callbackSink(() => ({ status: 200, body: "" }));
  });
  afterAll(async () => {
    await sandbox.close();
    await sink.close();
  });

  it("go to the dashboard URL, signed, and verify; none are sent before a URL is set", async () => {
    const live = connectorFor(`${sandbox.url}/xpay-pk`);
    const customer = { name: "A", email: "a@b.co", phone: "03001234567" };
    const early = await live.createPayIn({ merchantRef: "EARLY-1", amount: AMOUNT, method: "card", customer, callbackUrl: "https://x.example/" });
    await control(sandbox.url, "xpay-pk/orders/EARLY-1/approve");
    await sandbox.callbacks.idle();
    expect(sink.received).toEqual([]);
    expect((await live.getPayIn(early)).status).toBe("succeeded");

    expect((await control(sandbox.url, "xpay-pk/settings", { webhookUrl: `${sink.url}/xpay` })).status).toBe(200);
    const created = await live.createPayIn({ merchantRef: "ORD-77", amount: AMOUNT, method: "card", customer, callbackUrl: "https://x.example/", callbackToken: "tok-77" });
    await control(sandbox.url, `xpay-pk/orders/${created.gatewayRef}/approve`);
    const [hook] = await sink.waitFor(1);
    expect(hook?.path).toBe("/xpay");
    expect(JSON.parse(hook?.rawBody ?? "")).toEqual({ status: "succeeded", payment_intent_id: created.gatewayRef, amount: 150000, currency: "PKR", metadata: { order_reference: "ORD-77", callback_token: "tok-77" } });
    const event = await live.verifyCallback({ rawBody: hook?.rawBody ?? "", headers: hook?.headers }, { merchantRef: "ORD-77", gatewayRef: created.gatewayRef, amount: AMOUNT, token: { expected: "tok-77", received: undefined } });
    expect(event).toMatchObject({ status: "succeeded", verifiedBy: "signature+query" });
  });

  it("a signed webhook is confirmed by retrieving the intent: a lagging lookup is a status_mismatch until it catches up; an unknown intent is refused", async () => {
    const live = connectorFor(`${sandbox.url}/xpay-pk`);
    const customer = { name: "A", email: "a@b.co", phone: "03001234567" };
    const created = await live.createPayIn({ merchantRef: "ORD-LAG", amount: AMOUNT, method: "card", customer, callbackUrl: "https://x.example/", callbackToken: "tok-lag" });
    const expectation = { merchantRef: "ORD-LAG", gatewayRef: created.gatewayRef, amount: AMOUNT, token: { expected: "tok-lag", received: undefined } };
    expect((await control(sandbox.url, `xpay-pk/orders/${created.gatewayRef}/lag`, { queries: 1 })).status).toBe(200);
    await control(sandbox.url, `xpay-pk/orders/${created.gatewayRef}/decline`);
    const hook = (await sink.waitFor(2))[1];
    const input = { rawBody: hook?.rawBody ?? "", headers: hook?.headers };
    expect(JSON.parse(input.rawBody)).toMatchObject({ status: "failed", payment_intent_id: created.gatewayRef });
    expect(await reason(live.verifyCallback(input, expectation))).toBe("status_mismatch");
    await expect(live.verifyCallback(input, expectation)).resolves.toMatchObject({ status: "failed", verifiedBy: "signature+query" });
    const ghost = signed({ ...payload, payment_intent_id: "xpay_pi_000000000000000000000000" });
    expect(await reason(live.verifyCallback(ghost, expected))).toBe("unknown_payment");
  });
});
