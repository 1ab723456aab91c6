import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import {
  DeclinedError,
  InvalidInputError,
  Money,
  OutcomeUnknownError,
  VerificationError,
  XpayEgConnector,
  XPAY_EG_STATUS_MAP,
  createCallbackToken,
  requireRefund,
  type CallbackInput,
  type PayInRequest,
  type XpayEgConfig,
} from "../../src";
import { XPAY_EG_API_KEY, XPAY_EG_COMMUNITY_ID, XPAY_EG_VARIABLE_AMOUNT_ID } from "@xpay-connect/sandbox";
import { callbackSink, collectingLogger, control, fixedServer } from "../support";
import * as spec from "./fixtures";

let sandbox: SandboxHandle;
let sink: Awaited<ReturnType<typeof callbackSink>>;
const logger = collectingLogger();
const tokens: string[] = [];
const RETURN_URL = "https://shop.example/xpay/return";
let xe: XpayEgConnector;
let n = 0;
const ref = (p = "ORDER") => `${p}_${++n}_${Date.now()}`;
const config = (extra: Partial<XpayEgConfig> = {}): XpayEgConfig => ({
  baseUrl: `${sandbox.url}/xpay-eg`,
  apiKey: XPAY_EG_API_KEY,
  communityId: XPAY_EG_COMMUNITY_ID,
  variableAmountId: XPAY_EG_VARIABLE_AMOUNT_ID,
  logger,
  timeoutMs: 2000,
  ...extra,
});

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
  sink = await callbackSink(() => ({ status: 200, body: "{}" }));
  const res = await control(sandbox.url, "xpay-eg/settings", { callbackUrl: `${sink.url}/xpay-eg`, redirectUrl: RETURN_URL });
  expect(res.status).toBe(200);
  xe = new XpayEgConnector(config());
});
afterAll(async () => {
  await sandbox.close();
  await sink.close();
});

const payIn = (merchantRef: string, extra: Partial<PayInRequest> = {}): PayInRequest => {
  const callbackToken = createCallbackToken();
  tokens.push(callbackToken);
  return {
    merchantRef,
    amount: Money.parse("1500", "EGP"),
    method: "card",
    customer: { name: spec.payBodyEgp.billing_data.name, email: spec.payBodyEgp.billing_data.email, phone: spec.payBodyEgp.billing_data.phone_number },
    callbackUrl: "https://shop.example/not-sent",
    callbackToken,
    ...extra,
  };
};

/** The request body the sandbox received for `merchantRef`'s pay call (the connector's log hides the shopper's data). */
const sentBody = (merchantRef: string): Record<string, unknown> => {
  const got = sandbox.received.find((r) => r.path.includes("variable-amount") && (r.body as { custom_fields?: { field_value: unknown }[] } | undefined)?.custom_fields?.some((f) => f.field_value === merchantRef));
  if (!got) throw new Error(`no pay request received for ${merchantRef}`);
  return got.body as Record<string, unknown>;
};

/** The callback XPay sent for `merchantRef`, as received. */
const callbackFor = async (merchantRef: string): Promise<CallbackInput> => {
  await sandbox.callbacks.idle();
  const got = sink.received.find((r) => (JSON.parse(r.rawBody) as Record<string, unknown>).merchant_ref === merchantRef);
  if (!got) throw new Error(`no callback for ${merchantRef}`);
  return { rawBody: got.rawBody, headers: got.headers };
};

const act = (uuid: string, action: string) => control(sandbox.url, `xpay-eg/orders/${uuid}/${action}`);
const orderCount = () => (sandbox.emulators.get("xpay-eg")?.orders() ?? []).length;
const form = (url: string, body: string) => fetch(url, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });

describe("xpay-eg pay-ins", () => {
  it("card in EGP: an iframe URL, the spec's body fields, amounts as JSON floats, the reference and token as custom fields", async () => {
    const merchantRef = ref();
    const request = payIn(merchantRef);
    const created = await xe.createPayIn(request);
    expect(created).toMatchObject({ gateway: "xpay-eg", merchantRef, status: "requires_action", gatewayStatus: "PENDING", nextAction: { type: "iframe" } });
    expect(created.gatewayRef).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.amount?.equals(request.amount)).toBe(true);
    const page = await (await fetch(created.nextAction.type === "iframe" ? created.nextAction.url : "")).text();
    expect(page).toContain("EGP 1500.00");
    expect(page).toContain('name="card_number"');

    const sent = sentBody(merchantRef);
    expect(Object.keys(sent).sort()).toEqual([...Object.keys(spec.payBodyEgp), "custom_fields"].sort());
    expect(sent).toMatchObject({ amount: 1500, original_amount: 1500, currency: "EGP", pay_using: "card", variable_amount_id: 4, community_id: "zogDmQW", language: "en" });
    expect(sent.billing_data).toEqual(spec.payBodyEgp.billing_data);
    expect(sent.custom_fields).toEqual([
      { field_label: "merchant_ref", field_value: merchantRef },
      { field_label: "xc_token", field_value: request.callbackToken },
    ]);
  });

  it("a foreign currency: USD 10.27 goes out as the spec's 10.27 and comes back exact", async () => {
    const merchantRef = ref();
    const created = await xe.createPayIn(payIn(merchantRef, { amount: Money.parse("10.27", "USD") }));
    expect(sentBody(merchantRef)).toMatchObject({ amount: 10.27, original_amount: 10.27, currency: "USD" });
    // XPay's lookup names no currency: the payment's own reads the amount.
    const snapshot = await xe.getPayIn({ ...created, currency: "USD" });
    expect(snapshot).toMatchObject({ merchantRef, gatewayRef: created.gatewayRef, status: "pending", gatewayStatus: "PENDING" });
    expect(snapshot.amount?.equals(Money.parse("10.27", "USD"))).toBe(true);
    // Without it, the spec's default currency: why callers pass the stored one.
    expect((await xe.getPayIn({ merchantRef, gatewayRef: created.gatewayRef })).amount?.toString()).toBe("EGP 10.27");
    // A lookup that names the currency (the sandbox's lookupCurrency switch) is read in it.
    await control(sandbox.url, "xpay-eg/settings", { lookupCurrency: true });
    try {
      expect((await xe.getPayIn({ merchantRef, gatewayRef: created.gatewayRef }))?.amount?.toString()).toBe("USD 10.27");
    } finally {
      await control(sandbox.url, "xpay-eg/settings", { lookupCurrency: false });
    }
  });

  it.each(["EUR", "SAR", "AED", "GBP"])("a foreign currency: %s is sent and looked up as itself", async (currency) => {
    const merchantRef = ref();
    const created = await xe.createPayIn(payIn(merchantRef, { amount: Money.parse("99.99", currency) }));
    expect(sentBody(merchantRef)).toMatchObject({ amount: 99.99, currency });
    expect((await xe.getPayIn({ ...created, currency: currency as "EUR" })).amount?.toString()).toBe(`${currency} 99.99`);
  });

  it.each([
    ["card", "card"],
    ["fawry", "fawry"],
    ["wallet", "meeza/digital"],
    ["valu", "valU"],
  ] as const)("method %s is pay_using %s, paid in an iframe", async (method, payUsing) => {
    const merchantRef = ref();
    const created = await xe.createPayIn(payIn(merchantRef, { method }));
    expect(sentBody(merchantRef).pay_using).toBe(payUsing);
    expect(created.nextAction.type).toBe("iframe");
  });

  it("fawry, wallet and valU pages approve, decline and cancel; the shopper lands on the dashboard redirect URL", async () => {
    for (const [method, decision, status] of [["fawry", "approve", "SUCCESSFUL"], ["wallet", "decline", "FAILED"], ["valu", "cancel", "FAILED"]] as const) {
      const merchantRef = ref();
      const created = await xe.createPayIn(payIn(merchantRef, { method }));
      const url = created.nextAction.type === "iframe" ? created.nextAction.url : "";
      expect(await (await fetch(url)).text()).toContain('value="decline"');
      const done = await form(url, `decision=${decision}`);
      expect(done.status).toBe(303);
      const back = new URL(done.headers.get("location") ?? "");
      expect(`${back.origin}${back.pathname}`).toBe(RETURN_URL);
      const redirect = xe.parseRedirect(back.searchParams);
      expect(redirect).toMatchObject({ gatewayRef: created.gatewayRef, gatewayStatus: status, verified: false });
      expect(redirect.amount?.format()).toBe("1500.00");
      expect((await xe.getPayIn(created)).gatewayStatus).toBe(status);
    }
  });

  it("kiosk: integer amount_piasters, a bill reference the kiosk page shows; paying at the kiosk settles it", async () => {
    const merchantRef = ref();
    const request = payIn(merchantRef, { method: "kiosk", amount: Money.ofMinor(spec.payBodyKiosk.amount_piasters, "EGP") });
    const created = await xe.createPayIn(request);
    const sent = sentBody(merchantRef);
    expect(sent).toMatchObject({ amount_piasters: 5000, original_amount: 50, currency: "EGP", pay_using: "kiosk" });
    expect(sent).not.toHaveProperty("amount");
    expect(created.nextAction).toMatchObject({ type: "kiosk", billReference: expect.stringMatching(/^\d{9}$/) });
    if (created.nextAction.type !== "kiosk") return;
    const page = await (await fetch(created.nextAction.url ?? "")).text();
    expect(page).toContain(created.nextAction.billReference);
    expect(page).toContain("Customer paid at kiosk");
    const done = await form(created.nextAction.url ?? "", "decision=approve");
    const back = new URL(done.headers.get("location") ?? "");
    expect(Object.fromEntries(back.searchParams)).toEqual({ amount_piasters: "5000", amount: "50", transaction_uuid: created.gatewayRef, transaction_status: "SUCCESSFUL" });
    expect((await xe.getPayIn(created)).status).toBe("succeeded");
    const event = await xe.verifyCallback(await callbackFor(merchantRef), { merchantRef, amount: Money.parse("50", "EGP"), token: { expected: request.callbackToken as string, received: undefined } });
    expect(event).toMatchObject({ status: "succeeded", verifiedBy: "query" });
  });

  it("fees in the bill: prepare-amount first, then the total charged with original_amount = the request (the spec's 50 -> 53.36)", async () => {
    const feesIn = new XpayEgConnector(config({ feesInBill: true }));
    expect((await feesIn.prepareAmount(Money.parse("10", "USD"), "card")).format()).toBe("10.27");
    const merchantRef = ref();
    const request = payIn(merchantRef, { amount: Money.parse(String(spec.payBodyEgp.original_amount), "EGP") });
    const created = await feesIn.createPayIn(request);
    const sent = sentBody(merchantRef);
    expect({ amount: sent.amount, original_amount: sent.original_amount }).toEqual({ amount: spec.payBodyEgp.amount, original_amount: spec.payBodyEgp.original_amount });
    // The payment's amount is what the shopper pays: store it, the callback check compares against it.
    expect(created.amount?.format()).toBe("53.36");
    await act(created.gatewayRef, "approve");
    const callback = await callbackFor(merchantRef);
    const token = { expected: request.callbackToken as string, received: undefined };
    expect(await feesIn.verifyCallback(callback, { merchantRef, amount: created.amount as Money, token })).toMatchObject({ status: "succeeded" });
    await expect(feesIn.verifyCallback(callback, { merchantRef, amount: request.amount, token })).rejects.toMatchObject({ reason: "amount_mismatch" });
  });

  it("recurring terms, a member id and custom fields go on the wire; the callback echoes the custom fields as keys", async () => {
    const merchantRef = ref();
    const created = await xe.createPayIn(payIn(merchantRef), {
      membershipId: "M-77",
      recurring: { expiryDate: "2099-12-31", minimumDaysBetweenPayments: 30 },
      customFields: spec.customFields.map((f) => ({ label: f.field_label, value: f.field_value })),
    });
    const sent = sentBody(merchantRef);
    expect(sent).toMatchObject({ membership_id: "M-77", is_recurring: true, expiry_date: "2099-12-31", minimum_days_between_payments: 30 });
    expect((sent.custom_fields as unknown[]).slice(2)).toEqual(spec.customFields);
    await act(created.gatewayRef, "approve");
    const body = JSON.parse(String((await callbackFor(merchantRef)).rawBody)) as Record<string, unknown>;
    expect(body).toMatchObject({ member_id: "M-77", "test label1": "test one", "test label3": false, "test label2": 25, transaction_status: "SUCCESSFUL", total_amount: 1500, total_amount_piasters: 150000 });
  });

  it.each([
    [{ merchantRef: "" }, {}, "merchantRef"],
    [{ amount: Money.parse("10", "PKR") }, {}, "amount.currency"],
    [{ amount: Money.parse("0", "EGP") }, {}, "amount"],
    [{ method: "easypaisa" as const }, {}, "method"],
    [{ method: "kiosk" as const, amount: Money.parse("10", "USD") }, {}, "amount.currency"],
    [{ customer: { name: "Islam", email: "a@b.co", phone: "+201119045759" } }, {}, "customer.name"],
    [{ customer: { name: "إسلام رستم", email: "a@b.co", phone: "+201119045759" } }, {}, "customer.name"],
    [{ customer: { name: "Islam Rostom", phone: "+201119045759" } }, {}, "customer.email"],
    [{ customer: { name: "Islam Rostom", email: "a@b.co", phone: "1119045759" } }, {}, "customer.phone"],
    [{ customer: { name: "Islam Rostom", email: "a@b.co" } }, {}, "customer.phone"],
    [{}, { customFields: [{ label: "merchant_ref", value: "x" }] }, "options.customFields.0.label"],
    [{}, { customFields: [{ label: "total_amount", value: 1 }] }, "options.customFields.0.label"],
    [{}, { customFields: [{ label: "a", value: 1 }, { label: "b", value: null as unknown as string }] }, "options.customFields.1.value"],
    [{}, { recurring: { expiryDate: "31/12/2099", minimumDaysBetweenPayments: 30 } }, "options.recurring.expiryDate"],
    [{}, { recurring: { expiryDate: "2099-02-30", minimumDaysBetweenPayments: 30 } }, "options.recurring.expiryDate"],
    [{}, { recurring: { expiryDate: "2099-12-31", minimumDaysBetweenPayments: 0 } }, "options.recurring.minimumDaysBetweenPayments"],
  ])("refuses bad input %j %j naming %s, sending nothing", async (extra, options, field) => {
    const before = orderCount();
    const lines = logger.lines.length;
    const error = await xe.createPayIn(payIn(ref(), extra), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe(field);
    expect(orderCount()).toBe(before);
    expect(logger.lines.length).toBe(lines);
  });

  it("writes an Egyptian local mobile with its country code", async () => {
    const merchantRef = ref();
    await xe.createPayIn(payIn(merchantRef, { customer: { name: " Islam   Rostom ", email: "irostom@xpay.app", phone: "01119045759" } }));
    expect(sentBody(merchantRef).billing_data).toEqual({ name: "Islam Rostom", email: "irostom@xpay.app", phone_number: "+201119045759" });
  });

  it("refuses a bad configuration naming the field", () => {
    expect(() => new XpayEgConnector(config({ apiKey: "" }))).toThrow(expect.objectContaining({ field: "apiKey" }));
    expect(() => new XpayEgConnector(config({ communityId: undefined as unknown as string }))).toThrow(expect.objectContaining({ field: "communityId" }));
    expect(() => new XpayEgConnector(config({ variableAmountId: 4.5 }))).toThrow(expect.objectContaining({ field: "variableAmountId" }));
    expect(() => new XpayEgConnector(config({ language: "fr" as "en" }))).toThrow(expect.objectContaining({ field: "language" }));
  });

  it("the gateway's own refusals: a field error is InvalidInputError for our field, a bad key or community DeclinedError", async () => {
    const unknownPayment = new XpayEgConnector(config({ variableAmountId: 999 }));
    const field = await unknownPayment.createPayIn(payIn(ref())).catch((e: unknown) => e);
    expect(field).toBeInstanceOf(InvalidInputError);
    expect(field).toMatchObject({ field: "variableAmountId", gateway: "xpay-eg" });
    expect((field as Error).message).toContain("does not exist");

    const badKey = await new XpayEgConnector(config({ apiKey: "not-the-key" })).createPayIn(payIn(ref())).catch((e: unknown) => e);
    expect(badKey).toBeInstanceOf(DeclinedError);
    expect(badKey).toMatchObject({ gatewayCode: "401" });
    expect((badKey as Error).message).not.toContain("not-the-key");
    await expect(new XpayEgConnector(config({ communityId: "1" })).createPayIn(payIn(ref()))).rejects.toMatchObject({ code: "declined", gatewayCode: "403" });
  });

  it("getPayIn needs the gateway's uuid (nothing sent without it); an unknown one is refused; a 5xx is retried", async () => {
    const lines = logger.lines.length;
    const error = await xe.getPayIn({ merchantRef: "ORDER-1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe("gatewayRef");
    expect(logger.lines.length).toBe(lines);
    await expect(xe.getPayIn({ merchantRef: "ORDER-1", gatewayRef: "0901eddd-f71c-4f31-81a9-f03d08c328b5" })).rejects.toMatchObject({ code: "declined", gatewayCode: "404" });
    const created = await xe.createPayIn(payIn(ref()));
    await control(sandbox.url, "faults", { gateway: "xpay-eg", operation: "transactionLookup", kind: "error", status: 503 });
    expect((await xe.getPayIn(created)).status).toBe("pending");
  });
});

describe("xpay-eg statuses", () => {
  it("maps SUCCESSFUL, FAILED, PENDING and the refund statuses; anything else stays pending", () => {
    expect(XPAY_EG_STATUS_MAP).toEqual({ PENDING: "pending", SUCCESSFUL: "succeeded", FAILED: "failed", PARTIALLY_REFUNDED: "partially_refunded", REFUNDED: "refunded" });
    const rows = [
      ["SUCCESSFUL", "succeeded"],
      ["FAILED", "failed"],
      ["PENDING", "pending"],
      ["PARTIALLY_REFUNDED", "partially_refunded"],
      ["REFUNDED", "refunded"],
      ["CANCELLED", "pending"],
      ["successful", "pending"],
    ];
    for (const [transaction_status, status] of rows) {
      const body = { ...spec.callbackSuccessful, merchant_ref: "R", transaction_status };
      expect(xe.parseCallback({ rawBody: JSON.stringify(body) }).status).toBe(status);
      expect(xe.parseRedirect({ ...spec.redirectQuery, transaction_status }).status).toBe(status);
    }
  });
});

describe("xpay-eg callbacks", () => {
  it("parses the spec's SUCCESSFUL and FAILED bodies (with our merchant_ref custom field)", () => {
    const ok = xe.parseCallback({ rawBody: JSON.stringify({ ...spec.callbackSuccessful, merchant_ref: "ORDER-9" }) });
    expect(ok).toMatchObject({ gateway: "xpay-eg", kind: "pay_in", merchantRef: "ORDER-9", gatewayRef: spec.callbackSuccessful.transaction_id, status: "succeeded", gatewayStatus: "SUCCESSFUL" });
    expect(ok.amount).toBeUndefined();
    expect(ok.raw["drop down example"]).toBe("c2");
    expect(xe.parseCallback({ rawBody: JSON.stringify({ ...spec.callbackFailed, merchant_ref: "ORDER-9" }) }).status).toBe("failed");
    // The table's transaction_uuid wins over the example's transaction_id.
    expect(xe.parseCallback({ rawBody: JSON.stringify({ ...spec.callbackSuccessful, merchant_ref: "R", transaction_uuid: "u-1" }) }).gatewayRef).toBe("u-1");
  });

  it("refuses callbacks it cannot read: no merchant_ref (a payment not made by this connector), no uuid, disagreeing amounts", () => {
    expect(() => xe.parseCallback({ rawBody: JSON.stringify(spec.callbackSuccessful) })).toThrow(/merchant_ref/);
    expect(() => xe.parseCallback({ rawBody: "not json" })).toThrow(VerificationError);
    expect(() => xe.parseCallback({ rawBody: JSON.stringify({ ...spec.callbackSuccessful, merchant_ref: "R", transaction_id: 17 }) })).toThrow(/transaction_uuid/);
    expect(() => xe.parseCallback({ rawBody: JSON.stringify({ ...spec.callbackSuccessful, merchant_ref: "R", total_amount: 99.98 }) })).toThrow(/total_amount/);
    expect(() => xe.parseCallback({ rawBody: JSON.stringify({ ...spec.callbackSuccessful, merchant_ref: "R", total_amount_piasters: undefined, total_amount: undefined }) })).toThrow(/total_amount/);
  });

  it("verifies a real callback by the echoed token and the transaction lookup, and refuses every forgery", async () => {
    const merchantRef = ref();
    const request = payIn(merchantRef);
    const created = await xe.createPayIn(request);
    const amount = request.amount;
    const token = { expected: request.callbackToken as string, received: undefined };

    // A SUCCESSFUL claim, with the right token, while XPay still says PENDING.
    const early = { rawBody: JSON.stringify({ ...spec.callbackSuccessful, transaction_id: created.gatewayRef, total_amount: 1500, total_amount_piasters: 150000, merchant_ref: merchantRef, xc_token: token.expected }) };
    await expect(xe.verifyCallback(early, { merchantRef, amount, token })).rejects.toMatchObject({ reason: "status_mismatch" });

    await act(created.gatewayRef, "approve");
    const real = await callbackFor(merchantRef);
    const body = JSON.parse(String(real.rawBody)) as Record<string, unknown>;
    const verified = await xe.verifyCallback(real, { merchantRef, amount, token, gatewayRef: created.gatewayRef });
    expect(verified).toMatchObject({ merchantRef, gatewayRef: created.gatewayRef, status: "succeeded", verifiedBy: "query" });
    expect(verified.amount?.equals(amount)).toBe(true);
    // A token passed in the URL is checked instead of the body's.
    expect(await xe.verifyCallback(real, { merchantRef, amount, token: { expected: token.expected, received: token.expected } })).toMatchObject({ status: "succeeded" });

    const edit = (changes: Record<string, unknown>): CallbackInput => ({ rawBody: JSON.stringify({ ...body, ...changes }) });
    const refused: [CallbackInput, Parameters<XpayEgConnector["verifyCallback"]>[1], string][] = [
      [real, { merchantRef, amount, token: { expected: createCallbackToken(), received: undefined } }, "bad_token"],
      [edit({ xc_token: undefined }), { merchantRef, amount, token }, "bad_token"],
      [real, { merchantRef: "ANOTHER", amount, token }, "reference_mismatch"],
      [real, { merchantRef, amount, token, gatewayRef: "another-uuid" }, "reference_mismatch"],
      [edit({ total_amount: 1, total_amount_piasters: 100 }), { merchantRef, amount, token }, "amount_mismatch"],
      [real, { merchantRef, amount: Money.parse("1500.01", "EGP"), token }, "amount_mismatch"],
      [edit({ transaction_id: "0901eddd-f71c-4f31-81a9-f03d08c328b5", transaction_uuid: "0901eddd-f71c-4f31-81a9-f03d08c328b5" }), { merchantRef, amount, token }, "unknown_payment"],
      [edit({ transaction_status: "FAILED" }), { merchantRef, amount, token }, "status_mismatch"],
    ];
    for (const [input, expected, reason] of refused) {
      await expect(xe.verifyCallback(input, expected)).rejects.toMatchObject({ reason });
    }
    // Another currency shows only where the lookup names it (the callback never does).
    await control(sandbox.url, "xpay-eg/settings", { lookupCurrency: true });
    try {
      await expect(xe.verifyCallback(real, { merchantRef, amount: Money.parse("1500", "USD"), token })).rejects.toMatchObject({ reason: "currency_mismatch" });
    } finally {
      await control(sandbox.url, "xpay-eg/settings", { lookupCurrency: false });
    }
  });

  it("verifies a FAILED callback as failed", async () => {
    const merchantRef = ref();
    const request = payIn(merchantRef, { method: "wallet" });
    const created = await xe.createPayIn(request);
    await act(created.gatewayRef, "decline");
    const callback = await callbackFor(merchantRef);
    expect(JSON.parse(String(callback.rawBody))).toMatchObject({ transaction_status: "FAILED", transaction_id: created.gatewayRef });
    const event = await xe.verifyCallback(callback, { merchantRef, amount: request.amount, token: { expected: request.callbackToken as string, received: undefined } });
    expect(event).toMatchObject({ status: "failed", gatewayStatus: "FAILED", verifiedBy: "query" });
  });

  it("refuses a callback pointing at another paid transaction, even with this payment's own token", async () => {
    const paidRef = ref();
    const paid = await xe.createPayIn(payIn(paidRef));
    await act(paid.gatewayRef, "approve");
    const targetRef = ref();
    const target = payIn(targetRef);
    await xe.createPayIn(target);
    // A shopper who saw payment 2's token claims payment 1's success for it.
    const forged = { rawBody: JSON.stringify({ ...JSON.parse(String((await callbackFor(paidRef)).rawBody)), merchant_ref: targetRef, xc_token: target.callbackToken }) };
    await expect(xe.verifyCallback(forged, { merchantRef: targetRef, amount: target.amount, token: { expected: target.callbackToken as string, received: undefined } })).rejects.toMatchObject({
      reason: "reference_mismatch",
    });
  });

  it("answers 200 to stop XPay's retries and a 4xx to have it retry", () => {
    expect(xe.callbackReply(true)).toEqual({ status: 200, contentType: "application/json", body: '{"received":true}' });
    const no = xe.callbackReply(false);
    expect(no.status).toBeGreaterThanOrEqual(400);
    expect(no.status).toBeLessThan(500);
  });
});

describe("xpay-eg refunds", () => {
  it("refunds part then the rest; the lookup follows; the success callback still verifies", async () => {
    const connector = requireRefund(xe);
    const merchantRef = ref();
    const request = payIn(merchantRef);
    const created = await xe.createPayIn(request);
    await act(created.gatewayRef, "approve");
    const part = await connector.refund({ merchantRef, gatewayRef: created.gatewayRef, amount: Money.parse("500.50", "EGP") });
    expect(part).toMatchObject({ merchantRef, gatewayRef: created.gatewayRef, status: "partially_refunded", gatewayStatus: "PARTIALLY_REFUNDED" });
    expect(part.amount?.format()).toBe("500.50");
    const sent = sandbox.received.filter((r) => r.path === "/api/payments/refund-transaction/").pop();
    expect(sent?.body).toEqual({ transaction_uuid: created.gatewayRef, refund_amount: 500.5 });
    expect((await xe.getPayIn(created)).status).toBe("partially_refunded");
    expect((await connector.refund({ merchantRef, gatewayRef: created.gatewayRef, amount: Money.parse("999.50", "EGP") })).status).toBe("refunded");
    expect((await xe.getPayIn(created)).status).toBe("refunded");
    const late = await xe.verifyCallback(await callbackFor(merchantRef), { merchantRef, amount: request.amount, token: { expected: request.callbackToken as string, received: undefined } });
    expect(late.status).toBe("succeeded");
  });

  it("refuses what cannot be refunded: more than is left, an unpaid payment, another currency, no gatewayRef", async () => {
    const merchantRef = ref();
    const created = await xe.createPayIn(payIn(merchantRef));
    await expect(xe.refund({ merchantRef, gatewayRef: created.gatewayRef, amount: Money.parse("10", "EGP") })).rejects.toMatchObject({ code: "declined", gatewayCode: "400" });
    await act(created.gatewayRef, "approve");
    const tooMuch = await xe.refund({ merchantRef, gatewayRef: created.gatewayRef, amount: Money.parse("1500.01", "EGP") }).catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(InvalidInputError);
    expect((tooMuch as InvalidInputError).field).toBe("amount");
    await expect(xe.refund({ merchantRef, gatewayRef: created.gatewayRef, currency: "EGP", amount: Money.parse("10", "USD") })).rejects.toMatchObject({ field: "amount.currency" });
    await expect(xe.refund({ merchantRef, amount: Money.parse("10", "EGP") })).rejects.toMatchObject({ field: "gatewayRef" });
    expect((await xe.getPayIn(created)).status).toBe("succeeded");
  });
});

describe("xpay-eg redirect", () => {
  it("reads the spec's redirect query, unverified", () => {
    const r = xe.parseRedirect(spec.redirectQuery);
    expect(r).toMatchObject({ gateway: "xpay-eg", gatewayRef: spec.redirectQuery.transaction_uuid, status: "succeeded", gatewayStatus: "SUCCESSFUL", verified: false });
    expect(r.amount?.equals(Money.parse("99.99", "EGP"))).toBe(true);
    expect(xe.parseRedirect(new URLSearchParams({ ...spec.redirectQuery, amount_piasters: "" }), "USD").amount?.toString()).toBe("USD 99.99");
    expect(xe.parseRedirect({ transaction_uuid: "u", transaction_status: "FAILED" }).amount).toBeUndefined();
  });

  it.each([
    [{ ...spec.redirectQuery, transaction_uuid: undefined }, "transaction_uuid"],
    [{ ...spec.redirectQuery, transaction_status: "" }, "transaction_status"],
    [{ ...spec.redirectQuery, amount_piasters: "99.99" }, "amount_piasters"],
    [{ ...spec.redirectQuery, amount: "99.98" }, "amount"],
    [{ ...spec.redirectQuery, amount_piasters: undefined, amount: "9.999" }, "amount"],
  ])("refuses a bad redirect query %j naming %s", (query, field) => {
    expect(() => xe.parseRedirect(query)).toThrow(expect.objectContaining({ field }));
  });
});

describe("xpay-eg transport", () => {
  const envelope = (data: unknown) => JSON.stringify({ status: { code: 200, message: "success", errors: [] }, data, count: null, next: null, previous: null });

  it.each([
    ["a pay answer without iframe_url", envelope({ transaction_id: 1, transaction_status: "PENDING", transaction_uuid: "u" }), "application/json"],
    ["an HTML page", "<html>maintenance</html>", "text/html"],
    ["no envelope", '{"detail":"ok"}', "application/json"],
  ])("%s is OutcomeUnknownError naming the reference", async (_what, body, type) => {
    const broken = await fixedServer(200, body, type);
    const merchantRef = ref();
    const error = await new XpayEgConnector(config({ baseUrl: broken.url })).createPayIn(payIn(merchantRef)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as OutcomeUnknownError).merchantRef).toBe(merchantRef);
    await broken.close();
  });

  it("a lookup whose amounts disagree, and a prepare-amount total with sub-piaster digits, are OutcomeUnknownError", async () => {
    const lookup = await fixedServer(200, envelope({ uuid: "u", status: "SUCCESSFUL", total_amount: 15, total_amount_piasters: 150000 }));
    await expect(new XpayEgConnector(config({ baseUrl: lookup.url })).getPayIn({ merchantRef: "R", gatewayRef: "u" })).rejects.toThrow(/malformed transaction answer/);
    await lookup.close();
    const prepare = await fixedServer(200, envelope({ total_amount: 53.365 }));
    await expect(new XpayEgConnector(config({ baseUrl: prepare.url })).prepareAmount(Money.parse("50", "EGP"), "card")).rejects.toBeInstanceOf(OutcomeUnknownError);
    await prepare.close();
  });

  it("a 4xx without XPay's envelope is still a refusal", async () => {
    const proxy = await fixedServer(403, "<html>blocked</html>", "text/html");
    await expect(new XpayEgConnector(config({ baseUrl: proxy.url })).createPayIn(payIn(ref()))).rejects.toMatchObject({ code: "declined", gatewayCode: "403" });
    await proxy.close();
  });

  it("a timeout on pay is OutcomeUnknownError; a retry makes a second, unseen transaction", async () => {
    const merchantRef = ref();
    const request = payIn(merchantRef);
    const quick = new XpayEgConnector(config({ timeoutMs: 300 }));
    await control(sandbox.url, "faults", { gateway: "xpay-eg", operation: "payVariableAmount", kind: "timeout", ms: 1500 });
    await expect(quick.createPayIn(request)).rejects.toMatchObject({ code: "outcome_unknown", merchantRef });
    await quick.createPayIn(request);
    expect((sandbox.emulators.get("xpay-eg")?.orders() as { merchantRef: string }[]).filter((o) => o.merchantRef === merchantRef)).toHaveLength(2);
  });

  it("an unreachable gateway is OutcomeUnknownError naming the reference", async () => {
    const merchantRef = ref();
    await expect(new XpayEgConnector(config({ baseUrl: "http://127.0.0.1:9", timeoutMs: 500 })).createPayIn(payIn(merchantRef))).rejects.toMatchObject({ code: "outcome_unknown", merchantRef });
  });
});

describe("xpay-eg redaction", () => {
  it("no log line carries the API key or a callback token", () => {
    expect(logger.lines.length).toBeGreaterThan(30);
    expect(tokens.length).toBeGreaterThan(10);
    for (const line of logger.lines) {
      expect(line).not.toContain(XPAY_EG_API_KEY);
      for (const token of tokens) expect(line).not.toContain(token);
    }
    // The lookups did carry custom fields: scrubbed, not dropped.
    expect(logger.lines.some((l) => l.includes("custom_fields_json") && l.includes("[redacted]"))).toBe(true);
  });
});
