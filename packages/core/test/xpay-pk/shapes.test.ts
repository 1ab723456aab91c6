/** The spec's own payloads replayed by a loopback stub: every success and failure shape, the status tables, malformed answers. */
import { DeclinedError, InvalidInputError, Money, OutcomeUnknownError, XPAY_PK_PAYMENT_STATUS_MAP, XPAY_PK_STATUS_MAP, hmacSha256Hex, type XpayPkConnector } from "../../src";
import * as spec from "./fixtures";
import { MERCHANT, Stub, connectorFor } from "./helpers";

let stub: Stub;
let xp: XpayPkConnector;

beforeAll(async () => {
  stub = await new Stub().start();
  xp = connectorFor(stub.url, { timeoutMs: 1000 });
});
afterAll(() => stub.stop());

const customer = { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" };
const intentRef = { merchantRef: "ORD-1", gatewayRef: spec.INTENT_ID, clientSecret: spec.CLIENT_SECRET };
const card = { number: "4242424242424242", expiryMonth: "12", expiryYear: "2030", cvc: "123", holderName: "John Doe" };
const create = () => xp.createIntent({ merchantRef: "ORD-1", amount: Money.parse("1500", "PKR"), customer, returnUrl: "https://shop.example/return" });
const confirm = () => xp.confirmIntent({ ...intentRef, card });
const details = (data: Record<string, unknown>) => ({ status: 200, body: { ...spec.CREATE_PI_SUCCESS, data: { ...spec.CREATE_PI_SUCCESS.data, ...data } } });

describe("requests on the wire", () => {
  it("create: POST /public/v1/payment/intent with x-api-key, x-account-id and x-signature = HMAC of the exact body", async () => {
    stub.answer({ status: 200, body: spec.CREATE_PI_SUCCESS });
    await create();
    const [seen] = stub.seen;
    expect(seen).toMatchObject({ method: "POST", url: "/public/v1/payment/intent" });
    expect(seen?.headers["x-api-key"]).toBe(MERCHANT.apiKey);
    expect(seen?.headers["x-account-id"]).toBe(MERCHANT.accountId);
    expect(seen?.headers["x-signature"]).toBe(hmacSha256Hex(MERCHANT.hmacSecret, seen?.body ?? ""));
    expect(JSON.parse(seen?.body ?? "")).toMatchObject({ amount: 150000, currency: "PKR", metadata: { order_reference: "ORD-1" } });
  });

  it("confirm and capture carry pi_client_secret in the query; details is a GET by intent id", async () => {
    stub.answer({ status: 200, body: spec.PAYMENT_CAPTURED });
    await confirm();
    await xp.capture(intentRef);
    stub.answers = [details({})];
    await xp.retrieveIntent(spec.INTENT_ID);
    expect(stub.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      `POST /public/v1/payment/intent/confirm?pi_client_secret=${spec.CLIENT_SECRET}`,
      `POST /public/v1/payment/intent/capture?pi_client_secret=${spec.CLIENT_SECRET}`,
      `GET /public/v1/payment/intent/details/${spec.INTENT_ID}`,
    ]);
    // The card goes to the gateway whole (only logs are masked).
    expect(JSON.parse(stub.seen[0]?.body ?? "")).toEqual({
      payment_method_types: "card",
      payment_method: { card: { number: "4242424242424242", expiry_month: "12", expiry_year: "2030", cvc: "123", name: "John Doe" } },
      save_payment_method: false,
    });
    expect(stub.seen[2]?.headers["x-signature"]).toBeUndefined();
  });
});

describe("success shapes", () => {
  it("Create PI Success -> the intent: id, client secret, hosted page, amount in minor units", async () => {
    stub.answer({ status: 200, body: spec.CREATE_PI_SUCCESS });
    expect(await create()).toEqual({
      gateway: "xpay-pk",
      merchantRef: "ORD-1",
      gatewayRef: spec.INTENT_ID,
      status: "pending",
      gatewayStatus: "requires_payment_method",
      amount: Money.parse("1500", "PKR"),
      captureMethod: "automatic",
      clientSecret: spec.CLIENT_SECRET,
      checkoutPageUrl: spec.CREATE_PI_SUCCESS.data.checkout_page_url,
      encryptionKey: spec.CREATE_PI_SUCCESS.data.encryptionKey,
    });
  });

  it("Confirm PI Requires 3DS -> requires_action with the challenge HTML", async () => {
    stub.answer({ status: 200, body: spec.CONFIRM_REQUIRES_3DS });
    expect(await confirm()).toMatchObject({ status: "requires_action", gatewayStatus: "requires_action", threeDSecureHtml: spec.CONFIRM_REQUIRES_3DS.data.html_response });
  });

  it("Payment Captured -> succeeded, with the saved card token", async () => {
    stub.answer({ status: 200, body: spec.PAYMENT_CAPTURED });
    expect(await confirm()).toEqual({ gateway: "xpay-pk", merchantRef: "ORD-1", gatewayRef: spec.INTENT_ID, status: "succeeded", gatewayStatus: "PAYMENT_CAPTURED", savedCardToken: spec.SAVED_TOKEN });
  });

  it("Tokenized payment Captured -> succeeded, the new intent and its order reference", async () => {
    stub.answer({ status: 200, body: spec.TOKENIZED_CAPTURED });
    const paid = await xp.captureWithToken({ merchantRef: "ORD-2", amount: Money.parse("999.50", "PKR"), token: spec.SAVED_TOKEN, customer });
    expect(paid).toEqual({ gateway: "xpay-pk", merchantRef: "ORD-2", gatewayRef: spec.TOKENIZED_CAPTURED.data._id, status: "succeeded", gatewayStatus: "succeeded", amount: Money.parse("999.50", "PKR") });
    expect(stub.seen[0]?.url).toBe("/public/v2/payment/intent/tokenized/payment");
    expect(JSON.parse(stub.seen[0]?.body ?? "")).toMatchObject({ amount: 99950, token: spec.SAVED_TOKEN });
  });
});

describe("failure shapes -> typed errors", () => {
  it("Payment Fail -> DeclinedError with the gateway's status as code", async () => {
    stub.answer({ status: 400, body: spec.PAYMENT_FAIL });
    const error = await confirm().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeclinedError);
    expect(error).toMatchObject({ gatewayCode: "PAYMENT_FAILED", message: "xpay-pk: confirm declined: Do not honour" });
  });

  it("Payment Fail answered with HTTP 200 is still a decline (the body decides)", async () => {
    stub.answer({ status: 200, body: spec.PAYMENT_FAIL });
    await expect(confirm()).rejects.toBeInstanceOf(DeclinedError);
  });

  it("Invalid Card -> InvalidInputError on card, with the gateway's message", async () => {
    stub.answer({ status: 400, body: spec.INVALID_CARD });
    await expect(confirm()).rejects.toMatchObject({ name: "InvalidInputError", field: "card", message: expect.stringContaining("Card has expired") });
  });

  it("Invalid Payment Intent -> InvalidInputError on gatewayRef (details) or clientSecret (confirm, capture)", async () => {
    stub.answer({ status: 404, body: spec.INVALID_PAYMENT_INTENT });
    await expect(xp.getPayIn({ merchantRef: "ORD-1", gatewayRef: spec.INTENT_ID })).rejects.toMatchObject({ name: "InvalidInputError", field: "gatewayRef", received: spec.INTENT_ID });
    await expect(confirm()).rejects.toMatchObject({ name: "InvalidInputError", field: "clientSecret", received: undefined });
    await expect(xp.capture(intentRef)).rejects.toMatchObject({ name: "InvalidInputError", field: "clientSecret" });
  });

  it("Payment Already Captured on capture -> the intent's snapshot when retrieving it shows succeeded", async () => {
    stub.answer({ status: 400, body: spec.ALREADY_CAPTURED }, details({ pi_status: "succeeded" }));
    expect(await xp.capture(intentRef)).toEqual({ gateway: "xpay-pk", merchantRef: "ORD-1", gatewayRef: spec.INTENT_ID, status: "succeeded", gatewayStatus: "succeeded", amount: Money.parse("1500", "PKR") });
    expect(stub.seen.map((s) => s.method)).toEqual(["POST", "GET"]);
  });

  it("Payment Already Captured on capture, but the intent is not succeeded -> DeclinedError already_captured", async () => {
    stub.answer({ status: 400, body: spec.ALREADY_CAPTURED }, details({ pi_status: "requires_capture" }));
    await expect(xp.capture(intentRef)).rejects.toMatchObject({ name: "DeclinedError", gatewayCode: "already_captured" });
  });

  it("Payment Already Captured on confirm -> DeclinedError already_captured", async () => {
    stub.answer({ status: 400, body: spec.ALREADY_CAPTURED });
    await expect(confirm()).rejects.toMatchObject({ name: "DeclinedError", gatewayCode: "already_captured" });
  });

  it("401 in the error shape -> InvalidInputError on credentials; 400 naming a field -> that field; other codes -> DeclinedError", async () => {
    const err = (statusCode: number, message: string) => ({ status: statusCode, body: { success: false, responseStatus: "", message, error: { message, statusCode } } });
    stub.answer(err(401, "Invalid signature"));
    await expect(create()).rejects.toMatchObject({ name: "InvalidInputError", field: "credentials" });
    stub.answer(err(400, "customer.email: must be an email address"));
    await expect(create()).rejects.toMatchObject({ name: "InvalidInputError", field: "customer.email" });
    stub.answer(err(400, "Something is wrong"));
    await expect(create()).rejects.toMatchObject({ name: "InvalidInputError", field: "request" });
    stub.answer(err(409, "Payment intent cannot be captured"));
    await expect(xp.capture(intentRef)).rejects.toMatchObject({ name: "DeclinedError", gatewayCode: "409" });
    stub.answer({ status: 429, body: { success: false, message: "Too many requests", error: { message: "Too many requests", statusCode: "429" } } });
    await expect(create()).rejects.toMatchObject({ name: "DeclinedError", gatewayCode: "429" });
  });
});

describe("malformed answers -> OutcomeUnknownError, never a crash", () => {
  it.each([
    ["the spec's blank template (no intent id)", { status: 200, body: spec.SPEC_TEMPLATE_CREATE }],
    ["an HTML error page", { status: 200, body: "<html>Bad gateway</html>" }],
    ["an empty object", { status: 200, body: {} }],
    ["success without data", { status: 200, body: { success: true, message: "ok" } }],
    ["an intent with a fractional amount", details({ amount: 1500.5 })],
    ["an intent in an unknown currency", details({ currency: "XYZ" })],
    ["an array", { status: 200, body: [1, 2] }],
    ["a 4xx nobody can read", { status: 418, body: "teapot" }],
    ["a 5xx", { status: 502, body: "bad gateway" }],
  ])("%s", async (_what, answer) => {
    stub.answer(answer);
    const error = await create().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error).toMatchObject({ merchantRef: "ORD-1", gateway: "xpay-pk" });
  });

  it("a created intent without checkout_page_url cannot be a pay-in", async () => {
    stub.answer(details({ checkout_page_url: "" }));
    await expect(xp.createPayIn({ merchantRef: "ORD-1", amount: Money.parse("1500", "PKR"), method: "card", customer, callbackUrl: "https://x.example/" })).rejects.toBeInstanceOf(OutcomeUnknownError);
  });

  it("a confirm answer that is neither an intent nor a payment result", async () => {
    stub.answer({ status: 200, body: { success: true, data: "done" } });
    await expect(confirm()).rejects.toBeInstanceOf(OutcomeUnknownError);
  });
});

describe("status tables", () => {
  it.each(Object.entries(XPAY_PK_STATUS_MAP))("pi_status %s -> %s", async (piStatus, canonical) => {
    stub.answer(details({ pi_status: piStatus }));
    expect(await xp.getPayIn({ merchantRef: "ORD-1", gatewayRef: spec.INTENT_ID })).toMatchObject({ status: canonical, gatewayStatus: piStatus });
  });

  it("an unknown pi_status stays pending", async () => {
    stub.answer(details({ pi_status: "on_hold_for_review" }));
    expect(await xp.getPayIn({ merchantRef: "ORD-1", gatewayRef: spec.INTENT_ID })).toMatchObject({ status: "pending", gatewayStatus: "on_hold_for_review" });
  });

  it.each([...Object.entries(XPAY_PK_PAYMENT_STATUS_MAP), ["PAYMENT_PROCESSING", "pending"]])("payment status %s -> %s", async (status, canonical) => {
    stub.answer({ status: 200, body: { ...spec.PAYMENT_CAPTURED, data: { ...spec.PAYMENT_CAPTURED.data, status, last_payment_response: { ...spec.PAYMENT_CAPTURED.data.last_payment_response, status } } } });
    expect(await confirm()).toMatchObject({ status: canonical, gatewayStatus: status });
  });

  it("getPayIn falls back to the caller's merchantRef when the intent has no order_reference", async () => {
    stub.answer(details({ metadata: {} }));
    expect(await xp.getPayIn({ merchantRef: "ORD-9", gatewayRef: spec.INTENT_ID })).toMatchObject({ merchantRef: "ORD-9" });
  });
});

describe("configuration", () => {
  it.each(["apiKey", "accountId", "hmacSecret", "webhookSecret"])("refuses a missing %s", (field) => {
    expect(() => connectorFor(stub.url, { [field]: "" })).toThrow(InvalidInputError);
  });
});
