/** XpayPkConnector against the sandbox emulator over loopback: every operation of the brief. */
import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { DeclinedError, InvalidInputError, Money, type PayInRequest, type XpayPkConnector, type XpayPkIntent, type XpayPkIntentRequest } from "../../src";
import { XPAY_PK_TEST_CARDS, XPAY_PK_TEST_OTP } from "@xpay-connect/sandbox";
import { callbackSink, collectingLogger, control } from "../support";
import { connectorFor } from "./helpers";

let sandbox: SandboxHandle;
let sink: Awaited<ReturnType<typeof callbackSink>>;
const logger = collectingLogger();
let xp: XpayPkConnector;
let n = 0;
const ref = (p = "ORD") => `${p}-${++n}-${Date.now().toString(36)}`;
const RETURN_URL = "https://shop.example/return";
/** A card expiry year that stays in the future. */
const FUTURE_YEAR = String(new Date().getUTCFullYear() + 3);

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
  sink = await callbackSink(() => ({ status: 200, body: '{"received":true}' }));
  expect((await control(sandbox.url, "xpay-pk/settings", { webhookUrl: `${sink.url}/hooks/xpay-pk` })).status).toBe(200);
  xp = connectorFor(`${sandbox.url}/xpay-pk`, { logger, timeoutMs: 2000 });
});
afterAll(async () => {
  await sandbox.close();
  await sink.close();
});

const payIn = (merchantRef: string, extra: Partial<PayInRequest> = {}): PayInRequest => ({
  merchantRef,
  amount: Money.parse("1500", "PKR"),
  method: "card",
  customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" },
  callbackUrl: "https://ignored.example/",
  callbackToken: `tok-${merchantRef}`,
  returnUrl: RETURN_URL,
  ...extra,
});
const intentRequest = (extra: Partial<XpayPkIntentRequest> = {}): XpayPkIntentRequest => ({ ...payIn(ref()), method: "card", ...extra });
const card = (number: string) => ({ number, expiryMonth: "12", expiryYear: FUTURE_YEAR, cvc: "123", holderName: "John Doe" });
const refOf = (i: XpayPkIntent) => ({ merchantRef: i.merchantRef, gatewayRef: i.gatewayRef, clientSecret: i.clientSecret ?? "" });
/** The body the sandbox received for `merchantRef` (the connector's log hides the shopper's data). */
const sentBody = (merchantRef: string) => sandbox.received.find((r) => (r.body as { metadata?: { order_reference?: string } } | undefined)?.metadata?.order_reference === merchantRef)?.body as Record<string, unknown> | undefined;
const webhooksFor = async (gatewayRef: string) => {
  await sandbox.callbacks.idle();
  return sink.received.filter((r) => (JSON.parse(r.rawBody) as { payment_intent_id: string }).payment_intent_id === gatewayRef);
};
const form = (url: string, body: string) =>
  fetch(url, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });

describe("createPayIn / getPayIn", () => {
  it("creates an intent and redirects to its hosted checkout_page_url; the wire body is signed and in minor units", async () => {
    const merchantRef = ref();
    const created = await xp.createPayIn(payIn(merchantRef));
    expect(created).toMatchObject({ gateway: "xpay-pk", merchantRef, status: "pending", gatewayStatus: "requires_payment_method", nextAction: { type: "redirect" } });
    expect(created.gatewayRef).toMatch(/^xpay_pi_[0-9a-f]{24}$/);
    expect(created.nextAction).toEqual({ type: "redirect", url: `${sandbox.url}/xpay-pk/checkout/${created.gatewayRef}` });
    expect(created.amount?.equals(Money.parse("1500", "PKR"))).toBe(true);
    expect(sentBody(merchantRef)).toEqual({
      amount: 150000,
      currency: "PKR",
      payment_method_types: "card",
      customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" },
      metadata: { order_reference: merchantRef, callback_token: `tok-${merchantRef}` }, // sent (the sandbox echoes it below), hidden from logs
      capture_method: "automatic",
      return_url: RETURN_URL,
    });
  });

  it("sends paisa exactly: PKR 10.50 is 1050", async () => {
    const merchantRef = ref();
    await xp.createPayIn(payIn(merchantRef, { amount: Money.parse("10.50", "PKR") }));
    expect(sentBody(merchantRef)?.amount).toBe(1050);
  });

  it("a shopper pays on the hosted page: redirect to return_url, signed webhook, getPayIn succeeded", async () => {
    const merchantRef = ref();
    const created = await xp.createPayIn(payIn(merchantRef));
    const url = created.nextAction.type === "redirect" ? created.nextAction.url : "";
    const page = await (await fetch(url)).text();
    expect(page).toContain("PKR 1500.00");
    expect(page).toContain('name="number"');
    const done = await form(url, `decision=pay&number=${XPAY_PK_TEST_CARDS.approve}&expiry_month=12&expiry_year=${FUTURE_YEAR}&cvc=123&name=John+Doe`);
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`${RETURN_URL}?payment_intent_id=${created.gatewayRef}&pi_status=succeeded`);
    const [hook] = await webhooksFor(created.gatewayRef);
    const event = await xp.verifyCallback(
      { rawBody: hook?.rawBody ?? "", headers: hook?.headers },
      { merchantRef, amount: Money.parse("1500", "PKR"), token: { expected: `tok-${merchantRef}`, received: undefined } },
    );
    expect(event).toMatchObject({ merchantRef, gatewayRef: created.gatewayRef, status: "succeeded", verifiedBy: "signature+query" });
    expect(await xp.getPayIn(created)).toEqual({ gateway: "xpay-pk", merchantRef, gatewayRef: created.gatewayRef, status: "succeeded", gatewayStatus: "succeeded", amount: Money.parse("1500", "PKR") });
  });

  it("getPayIn needs the intent id: InvalidInputError on gatewayRef, nothing sent", async () => {
    const before = logger.lines.length;
    await expect(xp.getPayIn({ merchantRef: "ORD-X" })).rejects.toMatchObject({ name: "InvalidInputError", field: "gatewayRef" });
    expect(logger.lines.length).toBe(before);
  });

  it("an intent XPay does not know is the spec's Invalid Payment Intent: InvalidInputError on gatewayRef", async () => {
    const error = await xp.getPayIn({ merchantRef: "ORD-X", gatewayRef: "xpay_pi_000000000000000000000000" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: "gatewayRef", received: "xpay_pi_000000000000000000000000" });
  });

  it.each([
    [{ amount: Money.parse("10", "EGP") }, "amount.currency"],
    [{ amount: Money.parse("0", "PKR") }, "amount"],
    [{ method: "easypaisa" as const }, "method"],
    [{ merchantRef: "" }, "merchantRef"],
    [{ customer: { name: "", email: "a@b.co", phone: "03001234567" } }, "customer.name"],
    [{ customer: { name: "A", phone: "03001234567" } }, "customer.email"],
    [{ customer: { name: "A", email: "a@b.co", phone: "3001234567" } }, "customer.phone"],
    [{ customer: { name: "A", email: "a@b.co" } }, "customer.phone"],
    [{ returnUrl: "not a url" }, "returnUrl"],
  ])("refuses bad input before sending: %j -> %s", async (extra, field) => {
    const before = logger.lines.length;
    const error = await xp.createPayIn(payIn(ref(), extra)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe(field);
    expect(logger.lines.length).toBe(before);
  });

  it("a wrong HMAC secret is refused by the gateway: InvalidInputError on credentials, no intent", async () => {
    const merchantRef = ref();
    const wrong = connectorFor(`${sandbox.url}/xpay-pk`, { hmacSecret: "not-the-hmac-secret" });
    await expect(wrong.createPayIn(payIn(merchantRef))).rejects.toMatchObject({ name: "InvalidInputError", field: "credentials" });
    const orders = (await (await fetch(`${sandbox.url}/_sandbox/orders?gateway=xpay-pk`)).json()) as Record<string, { merchantRef: string }[]>;
    expect(orders["xpay-pk"]?.some((o) => o.merchantRef === merchantRef)).toBe(false);
  });
});

describe("confirmIntent with cards and 3-D Secure", () => {
  it("an approving card on an automatic intent: succeeded, a saved card token when asked", async () => {
    const intent = await xp.createIntent(intentRequest());
    expect(intent.clientSecret).toMatch(/_secret_/);
    const confirmed = await xp.confirmIntent({ ...refOf(intent), card: card(XPAY_PK_TEST_CARDS.approve), saveCard: true });
    expect(confirmed).toMatchObject({ merchantRef: intent.merchantRef, gatewayRef: intent.gatewayRef, status: "succeeded", gatewayStatus: "PAYMENT_CAPTURED" });
    expect(confirmed.savedCardToken).toMatch(/^xpay_tok_/);
    expect((await xp.retrieveIntent(intent.gatewayRef)).status).toBe("succeeded");
  });

  it("a declining card: the spec's Payment Fail -> DeclinedError with the gateway's status; webhook failed", async () => {
    const intent = await xp.createIntent(intentRequest());
    const error = await xp.confirmIntent({ ...refOf(intent), card: card(XPAY_PK_TEST_CARDS.decline) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeclinedError);
    expect(error).toMatchObject({ gatewayCode: "PAYMENT_FAILED", gateway: "xpay-pk" });
    expect((error as Error).message).toContain("Do not honour");
    expect((await xp.retrieveIntent(intent.gatewayRef)).status).toBe("failed");
    const [hook] = await webhooksFor(intent.gatewayRef);
    expect(xp.parseCallback({ rawBody: hook?.rawBody ?? "" })).toMatchObject({ status: "failed", gatewayStatus: "failed" });
  });

  it("a 3-D Secure card: requires_action with the challenge; OTP approve -> succeeded", async () => {
    const intent = await xp.createIntent(intentRequest());
    const confirmed = await xp.confirmIntent({ ...refOf(intent), card: card(XPAY_PK_TEST_CARDS.threeDSecure) });
    expect(confirmed).toMatchObject({ status: "requires_action", gatewayStatus: "requires_action" });
    const acs = /action="([^"]+)"/.exec(confirmed.threeDSecureHtml ?? "")?.[1] ?? "";
    expect(acs).toBe(`${sandbox.url}/xpay-pk/3ds/${intent.gatewayRef}`);
    expect(await (await fetch(acs)).text()).toContain('name="otp"');
    expect(await (await form(acs, "decision=approve&otp=000000")).text()).toContain("Wrong one-time password");
    const done = await form(acs, `decision=approve&otp=${XPAY_PK_TEST_OTP}`);
    expect(done.headers.get("location")).toBe(`${RETURN_URL}?payment_intent_id=${intent.gatewayRef}&pi_status=succeeded`);
    expect((await xp.retrieveIntent(intent.gatewayRef)).status).toBe("succeeded");
  });

  it("a failed 3-D Secure challenge: failed", async () => {
    const intent = await xp.createIntent(intentRequest());
    const confirmed = await xp.confirmIntent({ ...refOf(intent), card: card(XPAY_PK_TEST_CARDS.threeDSecure) });
    const acs = /action="([^"]+)"/.exec(confirmed.threeDSecureHtml ?? "")?.[1] ?? "";
    await form(acs, "decision=fail");
    expect((await xp.getPayIn(intent)).status).toBe("failed");
  });

  it("a card the gateway refuses (expired): the spec's Invalid Card -> InvalidInputError on card", async () => {
    const intent = await xp.createIntent(intentRequest());
    const error = await xp.confirmIntent({ ...refOf(intent), card: { ...card(XPAY_PK_TEST_CARDS.approve), expiryYear: "2020" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: "card", received: undefined });
    expect((error as Error).message).toContain("Card has expired");
    expect((await xp.retrieveIntent(intent.gatewayRef)).status).toBe("pending");
  });

  it.each([
    [{ number: "4242424242424241" }, "card.number"],
    [{ number: "4242" }, "card.number"],
    [{ expiryMonth: "13" }, "card.expiryMonth"],
    [{ expiryYear: "30" }, "card.expiryYear"],
    [{ cvc: "12" }, "card.cvc"],
    [{ holderName: "" }, "card.holderName"],
  ])("refuses malformed card data before sending: %j -> %s", async (change, field) => {
    const intent = await xp.createIntent(intentRequest());
    const before = logger.lines.length;
    await expect(xp.confirmIntent({ ...refOf(intent), card: { ...card(XPAY_PK_TEST_CARDS.approve), ...change } })).rejects.toMatchObject({ name: "InvalidInputError", field });
    expect(logger.lines.length).toBe(before);
  });

  it("a client secret XPay does not know: InvalidInputError on clientSecret, the secret not echoed", async () => {
    const intent = await xp.createIntent(intentRequest());
    const error = await xp.confirmIntent({ ...refOf(intent), clientSecret: "xpay_pi_nope_secret_nope", card: card(XPAY_PK_TEST_CARDS.approve) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidInputError", field: "clientSecret", received: undefined });
    expect((error as Error).message).not.toContain("xpay_pi_nope_secret_nope");
  });

  it("confirming a paid intent again: the spec's Payment Already Captured -> DeclinedError already_captured", async () => {
    const intent = await xp.createIntent(intentRequest());
    await xp.confirmIntent({ ...refOf(intent), card: card(XPAY_PK_TEST_CARDS.approve) });
    await expect(xp.confirmIntent({ ...refOf(intent), card: card(XPAY_PK_TEST_CARDS.approve) })).rejects.toMatchObject({ name: "DeclinedError", gatewayCode: "already_captured" });
  });
});

describe("capture and tokenized capture", () => {
  it("manual capture: confirm authorizes, capture succeeds, a repeated capture is an idempotent success", async () => {
    const intent = await xp.createIntent(intentRequest({ captureMethod: "manual" }));
    expect(intent.captureMethod).toBe("manual");
    const authorized = await xp.confirmIntent({ ...refOf(intent), card: card(XPAY_PK_TEST_CARDS.approve) });
    expect(authorized).toMatchObject({ status: "authorized", gatewayStatus: "requires_capture" });
    expect((await webhooksFor(intent.gatewayRef)).map((h) => JSON.parse(h.rawBody).status)).toEqual(["requires_capture"]);
    const captured = await xp.capture(refOf(intent));
    expect(captured).toEqual({ gateway: "xpay-pk", merchantRef: intent.merchantRef, gatewayRef: intent.gatewayRef, status: "succeeded", gatewayStatus: "PAYMENT_CAPTURED" });
    const again = await xp.capture(refOf(intent));
    expect(again).toMatchObject({ status: "succeeded", gatewayStatus: "succeeded", amount: Money.parse("1500", "PKR") });
    expect((await webhooksFor(intent.gatewayRef)).map((h) => JSON.parse(h.rawBody).status)).toEqual(["requires_capture", "succeeded"]);
  });

  it("capturing an intent that was never authorized is a DeclinedError (409)", async () => {
    const intent = await xp.createIntent(intentRequest({ captureMethod: "manual" }));
    await expect(xp.capture(refOf(intent))).rejects.toMatchObject({ name: "DeclinedError", gatewayCode: "409" });
  });

  it("a saved card pays a new order in one call; an unknown token is InvalidInputError on token", async () => {
    const first = await xp.createIntent(intentRequest());
    const { savedCardToken } = await xp.confirmIntent({ ...refOf(first), card: card(XPAY_PK_TEST_CARDS.approve), saveCard: true });
    const merchantRef = ref("RENEW");
    const paid = await xp.captureWithToken({ merchantRef, amount: Money.parse("999.50", "PKR"), token: savedCardToken ?? "", customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" } });
    expect(paid).toMatchObject({ merchantRef, status: "succeeded", gatewayStatus: "succeeded", amount: Money.parse("999.50", "PKR") });
    expect((await xp.getPayIn(paid)).status).toBe("succeeded");
    expect((await webhooksFor(paid.gatewayRef)).map((h) => JSON.parse(h.rawBody))).toEqual([
      { status: "succeeded", payment_intent_id: paid.gatewayRef, amount: 99950, currency: "PKR", metadata: { order_reference: merchantRef } },
    ]);
    const error = await xp
      .captureWithToken({ merchantRef: ref(), amount: Money.parse("1", "PKR"), token: "xpay_tok_unknown", customer: { name: "A", email: "a@b.co", phone: "03001234567" } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidInputError", field: "token", received: undefined });
  });

  it("captureWithToken refuses bad input before sending", async () => {
    const before = logger.lines.length;
    const base = { merchantRef: ref(), amount: Money.parse("1", "PKR"), token: "t", customer: { name: "A", email: "a@b.co", phone: "03001234567" } };
    await expect(xp.captureWithToken({ ...base, token: "" })).rejects.toMatchObject({ field: "token" });
    await expect(xp.captureWithToken({ ...base, amount: Money.parse("1", "USD") })).rejects.toMatchObject({ field: "amount.currency" });
    expect(logger.lines.length).toBe(before);
  });
});
