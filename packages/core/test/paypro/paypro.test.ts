import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import {
  DeclinedError,
  InvalidInputError,
  Money,
  OutcomeUnknownError,
  PAYPRO_STATUS_MAP,
  PayProConnector,
  VerificationError,
  signPayPro,
  type CallbackInput,
  type PayoutRequest,
  type Recipient,
} from "../../src";
import { PAYPRO_APP_SECRET, PAYPRO_MERCHANT_NO, PAYPRO_START_BALANCE, PAYPRO_TEST_ACCOUNTS } from "@xpay-connect/sandbox";
import { callbackSink, collectingLogger, control, fixedServer } from "../support";
import * as spec from "./fixtures";

let sandbox: SandboxHandle;
let sink: Awaited<ReturnType<typeof callbackSink>>;
const logger = collectingLogger();
let pp: PayProConnector;
let n = 0;
const ref = () => `PAYOUT_${++n}_${Date.now()}`;
const TOKEN = "per-payout-token";

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
  sink = await callbackSink(() => ({ status: 200, body: "OK" }));
  pp = connector(`${sandbox.url}/paypro`);
});
afterAll(async () => {
  await sandbox.close();
  await sink.close();
});

function connector(baseUrl: string, overrides: { merchantNo?: string; appSecret?: string; timeoutMs?: number } = {}): PayProConnector {
  return new PayProConnector({ baseUrl, merchantNo: PAYPRO_MERCHANT_NO, appSecret: PAYPRO_APP_SECRET, logger, timeoutMs: 2000, ...overrides });
}

/** The spec's example payout, with our reference and a loopback notifyUrl. */
const payout = (merchantRef: string, extra: Partial<PayoutRequest> = {}, recipient: Partial<Recipient> = {}): PayoutRequest => ({
  merchantRef,
  amount: Money.parse(spec.payoutRequest.amount, "PKR"),
  method: "bank",
  recipient: {
    name: spec.payoutRequest.name,
    nationalId: spec.payoutRequest.customerCert,
    email: spec.emailStandIn,
    mobile: spec.payoutRequest.mobile,
    bankCode: spec.payoutRequest.bankName,
    accountNumber: spec.payoutRequest.bankNumber,
    ...recipient,
  },
  callbackUrl: `${sink.url}/cb/${merchantRef}/${TOKEN}`,
  remark: spec.payoutRequest.remark,
  ...extra,
});

/** The payout body the sandbox received for `merchantRef` (the connector's log hides the recipient's data). */
const sent = (merchantRef: string): Record<string, string> => {
  const got = sandbox.received.find((r) => r.path === "/v1/payproPK/payout" && (r.body as Record<string, string> | undefined)?.tradeNo === merchantRef);
  if (!got) throw new Error(`no payout received for ${merchantRef}`);
  return got.body as Record<string, string>;
};

const orderCount = () => (sandbox.emulators.get("paypro")?.orders() ?? []).length;

/** The notifications the sandbox delivered for `merchantRef`, newest last. */
const notificationsFor = async (merchantRef: string): Promise<CallbackInput[]> => {
  await sandbox.callbacks.idle();
  return sink.received.filter((r) => r.path === `/cb/${merchantRef}/${TOKEN}`).map((r) => ({ rawBody: r.rawBody, headers: r.headers }));
};

const expectation = (merchantRef: string, amount = spec.payoutRequest.amount, token = TOKEN) => ({
  kind: "payout" as const,
  merchantRef,
  amount: Money.parse(amount, "PKR"),
  token: { expected: TOKEN, received: token },
});

describe("paypro payouts against the sandbox", () => {
  it("sends the spec's payout signed, with exactly the spec's fields, and reads 0015 as pending", async () => {
    const merchantRef = ref();
    const created = await pp.createPayout(payout(merchantRef));
    expect(created).toMatchObject({ gateway: "paypro", merchantRef, status: "pending", gatewayStatus: "0015" });
    expect(created.gatewayRef).toMatch(/^[a-z0-9]{16}$/);
    expect(created.amount?.equals(Money.parse("5000", "PKR"))).toBe(true);
    const body = sent(merchantRef);
    expect(Object.keys(body).sort()).toEqual(Object.keys(spec.payoutRequest).sort());
    const { tradeNo: _t, email: _e, notifyUrl: _u, timestamp: _s, sign: _g, ...same } = spec.payoutRequest;
    expect(body).toMatchObject(same);
    expect(body.timestamp).toMatch(/^\d{13}$/);
    const { sign, ...signed } = body;
    expect(sign).toBe(signPayPro(signed, PAYPRO_APP_SECRET));
  });

  it("normalizes a dashed CNIC, +92 / 03 mobiles, a lowercase bank code and a spaced account number", async () => {
    const a = ref();
    await pp.createPayout(payout(a, {}, { nationalId: "17301-2345678-9", mobile: "+92 311 5112345", bankCode: "allied_bank_limited", accountNumber: "9876 5432 10" }));
    expect(sent(a)).toMatchObject({ customerCert: "1730123456789", mobile: "3115112345", bankName: "ALLIED_BANK_LIMITED", bankNumber: "9876543210" });
    const b = ref();
    await pp.createPayout(payout(b, {}, { mobile: "03115112345" }));
    expect(sent(b).mobile).toBe("3115112345");
  });

  it("sends wallet payouts as WALLET: easypaisa/jazzcash name their wallet, the number defaults to the mobile", async () => {
    const a = ref();
    await pp.createPayout(payout(a, { method: "easypaisa" }, { bankCode: undefined, accountNumber: undefined }));
    expect(sent(a)).toMatchObject({ accountType: "WALLET", bankName: "EASYPAISA", bankNumber: "3115112345" });
    const b = ref();
    await pp.createPayout(payout(b, { method: "jazzcash" }, { bankCode: undefined, accountNumber: "03001234567" }));
    expect(sent(b)).toMatchObject({ accountType: "WALLET", bankName: "JAZZCASH", bankNumber: "3001234567" });
    const c = ref();
    await pp.createPayout(payout(c, { method: "wallet" }, { bankCode: "JAZZCASH", accountNumber: undefined }));
    expect(sent(c)).toMatchObject({ accountType: "WALLET", bankName: "JAZZCASH" });
  });

  it("uses a default remark when none is given", async () => {
    const merchantRef = ref();
    await pp.createPayout(payout(merchantRef, { remark: undefined }));
    expect(sent(merchantRef).remark).toBe(`Payout ${merchantRef}`);
  });

  it.each<[string, Partial<PayoutRequest>, Partial<Recipient>, string]>([
    ["paisa", { amount: Money.parse("10.50", "PKR") }, {}, "amount"],
    ["under one rupee", { amount: Money.parse("0.99", "PKR") }, {}, "amount"],
    ["zero", { amount: Money.parse("0", "PKR") }, {}, "amount"],
    ["another currency", { amount: Money.parse("10", "USD") }, {}, "amount.currency"],
    ["a card method", { method: "card" as PayoutRequest["method"] }, {}, "method"],
    ["no reference", { merchantRef: "" }, {}, "merchantRef"],
    ["a bad notify URL", { callbackUrl: "not a url" }, {}, "callbackUrl"],
    ["a 12-digit CNIC", {}, { nationalId: "173012345678" }, "recipient.nationalId"],
    ["a misplaced CNIC dash", {}, { nationalId: "17301-234567-89" }, "recipient.nationalId"],
    ["no CNIC", {}, { nationalId: undefined }, "recipient.nationalId"],
    ["a mobile not starting with 3", {}, { mobile: "4115112345" }, "recipient.mobile"],
    ["a 9-digit mobile", {}, { mobile: "311511234" }, "recipient.mobile"],
    ["a short 03 mobile", {}, { mobile: "0311511234" }, "recipient.mobile"],
    ["no mobile", {}, { mobile: undefined }, "recipient.mobile"],
    ["a bad email", {}, { email: "jane" }, "recipient.email"],
    ["no email", {}, { email: undefined }, "recipient.email"],
    ["no name", {}, { name: "" }, "recipient.name"],
    ["a bank not in the list", {}, { bankCode: "NOT_A_BANK" }, "recipient.bankCode"],
    ["a wallet code for a bank payout", {}, { bankCode: "EASYPAISA" }, "recipient.bankCode"],
    ["no bank code", {}, { bankCode: undefined }, "recipient.bankCode"],
    ["a 2-digit account", {}, { accountNumber: "12" }, "recipient.accountNumber"],
    ["another wallet for easypaisa", { method: "easypaisa" }, { bankCode: "JAZZCASH" }, "recipient.bankCode"],
    ["a wallet payout naming no wallet", { method: "wallet" }, { bankCode: undefined }, "recipient.bankCode"],
    ["a bad wallet number", { method: "easypaisa" }, { bankCode: undefined, accountNumber: "12345" }, "recipient.accountNumber"],
  ])("refuses %s naming %s, sending nothing", async (_what, extra, recipient, field) => {
    const lines = logger.lines.length;
    const orders = orderCount();
    const error = await pp.createPayout(payout(ref(), extra, recipient)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe(field);
    expect(logger.lines.length).toBe(lines);
    expect(orderCount()).toBe(orders);
  });

  it("refuses a payout without a recipient", async () => {
    const request = { ...payout(ref()), recipient: undefined } as unknown as PayoutRequest;
    await expect(pp.createPayout(request)).rejects.toMatchObject({ field: "recipient" });
  });

  it("queries a payout: pending, then failed after the bank declines; the balance moves with it", async () => {
    const before = await pp.getBalance();
    const merchantRef = ref();
    const created = await pp.createPayout(payout(merchantRef));
    expect(await pp.getPayout({ merchantRef })).toMatchObject({ status: "pending", gatewayStatus: "0015", gatewayRef: created.gatewayRef });
    const during = await pp.getBalance();
    expect(before.available.minus(during.available).format()).toBe("5000.00");
    expect(during.frozen?.minus(before.frozen ?? Money.zero("PKR")).format()).toBe("5000.00");
    expect((await control(sandbox.url, `paypro/orders/${merchantRef}/decline`)).status).toBe(200);
    const declined = await pp.getPayout({ merchantRef, gatewayRef: created.gatewayRef });
    expect(declined).toMatchObject({ status: "failed", gatewayStatus: "00029" });
    const after = await pp.getBalance();
    expect(after.available.equals(before.available)).toBe(true);
    expect(after.frozen?.equals(before.frozen ?? Money.zero("PKR"))).toBe(true);
  });

  it("queries a payout the bank credited: succeeded with its amount; the money stays spent", async () => {
    const before = await pp.getBalance();
    const merchantRef = ref();
    await pp.createPayout(payout(merchantRef, { amount: Money.parse("1234", "PKR") }));
    await control(sandbox.url, `paypro/orders/${merchantRef}/approve`);
    const done = await pp.getPayout({ merchantRef });
    expect(done).toMatchObject({ status: "succeeded", gatewayStatus: "0000" });
    expect(done.amount?.format()).toBe("1234.00");
    expect(before.available.minus((await pp.getBalance()).available).format()).toBe("1234.00");
  });

  it("reads the sandbox's starting balance", async () => {
    sandbox.reset();
    const balance = await pp.getBalance();
    expect(balance.available.equals(Money.parse(String(PAYPRO_START_BALANCE.available), "PKR"))).toBe(true);
    expect(balance.frozen?.format()).toBe("0.00");
    expect(balance.collected?.equals(Money.parse(String(PAYPRO_START_BALANCE.unsettled), "PKR"))).toBe(true);
  });

  it("a payout created with an error status is a failed snapshot, not an exception", async () => {
    const merchantRef = ref();
    const created = await pp.createPayout(payout(merchantRef, {}, { accountNumber: PAYPRO_TEST_ACCOUNTS.notFound }));
    expect(created).toMatchObject({ status: "failed", gatewayStatus: "00033" });
    expect(created.gatewayRef).toBeTruthy();
    expect(await pp.getPayout({ merchantRef })).toMatchObject({ status: "failed" });
  });

  it("retrying the identical payout answers the same one; a timeout is OutcomeUnknownError naming the reference", async () => {
    const merchantRef = ref();
    const request = payout(merchantRef);
    await control(sandbox.url, "faults", { gateway: "paypro", operation: "payout", kind: "timeout", ms: 3000 });
    const lost = await connector(`${sandbox.url}/paypro`, { timeoutMs: 300 }).createPayout(request).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(OutcomeUnknownError);
    expect((lost as OutcomeUnknownError).merchantRef).toBe(merchantRef);
    const retried = await pp.createPayout(request);
    expect((await pp.createPayout(request)).gatewayRef).toBe(retried.gatewayRef);
    const orders = (sandbox.emulators.get("paypro")?.orders() ?? []) as { merchantRef: string }[];
    expect(orders.filter((o) => o.merchantRef === merchantRef)).toHaveLength(1);
  });

  it("PayPro's refusals are DeclinedError with its code: merchantNo, sign, reused tradeNo, balance, unknown payout", async () => {
    const base = `${sandbox.url}/paypro`;
    await expect(connector(base, { merchantNo: "PP0000000000" }).createPayout(payout(ref()))).rejects.toMatchObject({ code: "declined", gatewayCode: "1002" });
    const badSecret = await connector(base, { appSecret: "not-the-app-secret" }).getBalance().catch((e: unknown) => e);
    expect(badSecret).toBeInstanceOf(DeclinedError);
    expect((badSecret as DeclinedError).gatewayCode).toBe("1003");
    expect((badSecret as Error).message).not.toContain("not-the-app-secret");
    const merchantRef = ref();
    await pp.createPayout(payout(merchantRef));
    await expect(pp.createPayout(payout(merchantRef, { amount: Money.parse("1", "PKR") }))).rejects.toMatchObject({ gatewayCode: "3001" });
    await expect(pp.createPayout(payout(ref(), { amount: Money.parse("99999999", "PKR") }))).rejects.toMatchObject({ gatewayCode: "3002" });
    await expect(pp.getPayout({ merchantRef: "NEVER_SENT" })).rejects.toMatchObject({ gatewayCode: "3003" });
  });

  it("a 5xx on a query is retried (reads are safe to repeat)", async () => {
    const merchantRef = ref();
    await pp.createPayout(payout(merchantRef));
    await control(sandbox.url, "faults", { gateway: "paypro", operation: "payoutQuery", kind: "error", status: 503 });
    expect((await pp.getPayout({ merchantRef })).status).toBe("pending");
  });
});

describe("paypro answers that are not the sandbox's", () => {
  const withAnswer = async <T>(status: number, body: unknown, run: (c: PayProConnector) => Promise<T>): Promise<unknown> => {
    const server = await fixedServer(status, typeof body === "string" ? body : JSON.stringify(body), typeof body === "string" ? "text/html" : "application/json");
    try {
      return await run(connector(server.url)).catch((e: unknown) => e);
    } finally {
      await server.close();
    }
  };

  it("reads the spec's successful return exactly", async () => {
    const created = await withAnswer(200, spec.payoutAnswer, (c) => c.createPayout(payout("order67890")));
    expect(created).toMatchObject({ merchantRef: "order67890", gatewayRef: "dxy6779lhk4vofur", status: "pending", gatewayStatus: "0015" });
  });

  it("reads the public balance shape (decimal strings, success as a string)", async () => {
    const balance = (await withAnswer(200, spec.balanceAnswer, (c) => c.getBalance())) as { available: Money; frozen: Money; collected: Money };
    expect(balance.available.format()).toBe("125000.00");
    expect(balance.frozen.format()).toBe("5000.00");
    expect(balance.collected.format()).toBe("30000.50");
  });

  it("a refusal naming a field is InvalidInputError on our field; any other code is DeclinedError", async () => {
    const field = await withAnswer(200, { msg: "customerCert must be a CNIC of exactly 13 digits", code: "2004", success: false, timestamp: 1, data: null }, (c) => c.createPayout(payout(ref())));
    expect(field).toBeInstanceOf(InvalidInputError);
    expect(field).toMatchObject({ field: "recipient.nationalId", received: spec.payoutRequest.customerCert });
    const other = await withAnswer(200, { msg: "risk control", code: "9999", success: false, timestamp: 1, data: null }, (c) => c.createPayout(payout(ref())));
    expect(other).toBeInstanceOf(DeclinedError);
    expect(other).toMatchObject({ gatewayCode: "9999" });
  });

  it("an accepted request whose status is an error code and that created nothing is DeclinedError", async () => {
    const error = await withAnswer(200, { msg: "success", code: "0000", success: true, data: { status: "00029", desc: "REJECTED_TRANSACTION" } }, (c) => c.createPayout(payout(ref())));
    expect(error).toBeInstanceOf(DeclinedError);
    expect(error).toMatchObject({ gatewayCode: "00029" });
  });

  it.each<[string, number, unknown]>([
    ["an HTML page", 200, "<html>maintenance</html>"],
    ["no status", 200, { msg: "success", code: "0000", success: true, data: { platFormTradeNo: "x" } }],
    ["a processing payout without platFormTradeNo", 200, { msg: "success", code: "0000", success: true, data: { status: "0015" } }],
    ["code 0000 with success false", 200, { msg: "?", code: "0000", success: false, data: { platFormTradeNo: "x", status: "0015" } }],
    ["a 502", 502, { msg: "bad gateway" }],
  ])("%s on create is OutcomeUnknownError naming the reference", async (_what, status, body) => {
    const merchantRef = ref();
    const error = await withAnswer(status, body, (c) => c.createPayout(payout(merchantRef)));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as OutcomeUnknownError).merchantRef).toBe(merchantRef);
  });

  it("a query answer about another payout, or an unreadable amount, is OutcomeUnknownError", async () => {
    const other = { msg: "success", code: "0000", success: true, data: { platFormTradeNo: "abc", tradeNo: "SOMEONE_ELSE", amount: "5000", status: "0000" } };
    expect(await withAnswer(200, other, (c) => c.getPayout({ merchantRef: "MINE" }))).toBeInstanceOf(OutcomeUnknownError);
    const mine = { ...other, data: { ...other.data, tradeNo: "MINE" } };
    expect(await withAnswer(200, mine, (c) => c.getPayout({ merchantRef: "MINE", gatewayRef: "not-abc" }))).toBeInstanceOf(OutcomeUnknownError);
    const balance = { ...spec.balanceAnswer, data: { availableAmount: "12.345" } };
    expect(await withAnswer(200, balance, (c) => c.getBalance())).toBeInstanceOf(OutcomeUnknownError);
  });
});

describe("paypro notifications", () => {
  const signed = (body: Record<string, unknown>, secret = PAYPRO_APP_SECRET): CallbackInput => {
    const { sign: _s, ...fields } = body;
    return { rawBody: JSON.stringify({ ...fields, sign: signPayPro(fields, secret) }) };
  };

  it("maps every status row: 0000 succeeded, 0015 pending, error codes failed, the unreadable pending", () => {
    expect(PAYPRO_STATUS_MAP).toEqual({ "0000": "succeeded", "0015": "pending" });
    for (const [status, canonical] of [
      ["0000", "succeeded"],
      ["0015", "pending"],
      ["00029", "failed"],
      ["0100019", "failed"],
      ["9999", "failed"],
      ["PROCESSING", "pending"],
      ["", "pending"],
    ]) {
      expect(pp.parseCallback(signed({ ...spec.notification, status })).status).toBe(canonical);
    }
  });

  it("parses the notification's fields", () => {
    const event = pp.parseCallback(signed(spec.notification));
    expect(event).toMatchObject({ gateway: "paypro", kind: "payout", merchantRef: "00000020", gatewayRef: "5286e98841194687a95d25b5f3be346d", gatewayStatus: "0000" });
    expect(event.amount?.format()).toBe("30000.00");
  });

  it("verifies the sandbox's real signed notification of a credited payout", async () => {
    const merchantRef = ref();
    const created = await pp.createPayout(payout(merchantRef));
    await control(sandbox.url, `paypro/orders/${created.gatewayRef}/approve`);
    const [real] = await notificationsFor(merchantRef);
    if (!real) throw new Error("no notification arrived");
    const body = JSON.parse(String(real.rawBody)) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(Object.keys(spec.notification).sort());
    expect(body.successTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const verified = await pp.verifyCallback(real, { ...expectation(merchantRef), gatewayRef: created.gatewayRef });
    expect(verified).toMatchObject({ merchantRef, gatewayRef: created.gatewayRef, status: "succeeded", verifiedBy: "signature+query" });
    // Uppercase hex is the same signature.
    const upper = { rawBody: JSON.stringify({ ...body, sign: String(body.sign).toUpperCase() }) };
    expect((await pp.verifyCallback(upper, expectation(merchantRef))).status).toBe("succeeded");
    // The sink's "OK" stopped the retries after one delivery.
    expect(sandbox.callbacks.log.filter((d) => d.body === real.rawBody).map((d) => d.state)).toEqual(["acked"]);
  });

  it("verifies a failed payout's notification (no successTime) as failed", async () => {
    const merchantRef = ref();
    await pp.createPayout(payout(merchantRef));
    await control(sandbox.url, `paypro/orders/${merchantRef}/cancel`);
    const [real] = await notificationsFor(merchantRef);
    if (!real) throw new Error("no notification arrived");
    expect(JSON.parse(String(real.rawBody))).not.toHaveProperty("successTime");
    expect(await pp.verifyCallback(real, expectation(merchantRef))).toMatchObject({ status: "failed", gatewayStatus: "00031" });
  });

  it("refuses every forgery: edited, re-signed onto another amount or payout, wrong token or secret", async () => {
    const merchantRef = ref();
    const created = await pp.createPayout(payout(merchantRef));
    await control(sandbox.url, `paypro/orders/${merchantRef}/approve`);
    const [real] = await notificationsFor(merchantRef);
    if (!real) throw new Error("no notification arrived");
    const body = JSON.parse(String(real.rawBody)) as Record<string, unknown>;
    const reason = (input: CallbackInput, expected = expectation(merchantRef)) =>
      pp.verifyCallback(input, expected).then(
        () => "verified",
        (e: unknown) => (e instanceof VerificationError ? e.reason : String(e)),
      );
    expect(await reason({ rawBody: JSON.stringify({ ...body, amount: "1" }) })).toBe("bad_signature");
    expect(await reason({ rawBody: JSON.stringify({ ...body, sign: "0".repeat(32) }) })).toBe("bad_signature");
    expect(await reason(signed({ ...body, amount: "1" }))).toBe("amount_mismatch");
    expect(await reason(signed({ ...body, tradeNo: "ANOTHER_PAYOUT" }))).toBe("reference_mismatch");
    expect(await reason(real, { ...expectation(merchantRef), gatewayRef: `${created.gatewayRef}x` } as ReturnType<typeof expectation>)).toBe("reference_mismatch");
    expect(await reason(real, expectation(merchantRef, "5000", "stolen-token"))).toBe("bad_token");
    expect(await reason(signed(body, "someone-elses-secret"))).toBe("bad_signature");
    const other = connector(`${sandbox.url}/paypro`, { appSecret: "someone-elses-secret" });
    await expect(other.verifyCallback(real, expectation(merchantRef))).rejects.toMatchObject({ reason: "bad_signature" });
  });

  it("confirms a signed notification with the payout query: one the query does not (yet) agree with is a status_mismatch", async () => {
    const merchantRef = ref();
    await pp.createPayout(payout(merchantRef));
    expect((await control(sandbox.url, `paypro/orders/${merchantRef}/lag`, { queries: 1 })).status).toBe(200);
    await control(sandbox.url, `paypro/orders/${merchantRef}/approve`);
    const [real] = await notificationsFor(merchantRef);
    if (!real) throw new Error("no notification arrived");
    // The query still says 0015 (processing): the signed 0000 is not applied on its signature alone.
    await expect(pp.verifyCallback(real, expectation(merchantRef))).rejects.toMatchObject({ reason: "status_mismatch" });
    await expect(pp.verifyCallback(real, expectation(merchantRef))).resolves.toMatchObject({ status: "succeeded", verifiedBy: "signature+query" });
    // A correctly signed notification about a payout PayPro does not know is refused.
    await expect(pp.verifyCallback(signed({ ...JSON.parse(String(real.rawBody)), tradeNo: "NEVER_SENT" }), expectation("NEVER_SENT"))).rejects.toMatchObject({ reason: "unknown_payment" });
  });

  it("refuses malformed notifications", () => {
    expect(() => pp.parseCallback({ rawBody: "status=0000" })).toThrow(VerificationError);
    const { sign: _s, ...unsigned } = spec.notification;
    expect(() => pp.parseCallback({ rawBody: JSON.stringify(unsigned) })).toThrow(/sign/);
    expect(() => pp.parseCallback(signed({ ...spec.notification, tradeNo: undefined }))).toThrow(/tradeNo/);
    expect(() => pp.parseCallback(signed({ ...spec.notification, amount: "12.345" }))).toThrow(VerificationError);
    expect(() => pp.parseCallback(signed({ ...spec.notification, amount: "lots" }))).toThrow(/amount/);
  });

  it("acknowledges with the plaintext OK", () => {
    expect(pp.callbackReply(true)).toEqual({ status: 200, contentType: "text/plain", body: "OK" });
    expect(pp.callbackReply(false).status).toBeGreaterThanOrEqual(400);
    expect(pp.callbackReply(false).body).not.toBe("OK");
  });
});

describe("paypro redaction", () => {
  it("no log line carries the app secret, the merchant number or a signature", () => {
    expect(logger.lines.length).toBeGreaterThan(20);
    for (const line of logger.lines) {
      expect(line).not.toContain(PAYPRO_APP_SECRET);
      expect(line).not.toContain(PAYPRO_MERCHANT_NO);
      expect(line).not.toContain("not-the-app-secret");
      expect(line).not.toMatch(/[0-9a-f]{32}/);
    }
  });

  it("refuses a config without credentials, without echoing the secret", () => {
    expect(() => new PayProConnector({ baseUrl: "http://x", merchantNo: "", appSecret: "s" })).toThrow(InvalidInputError);
    expect(() => new PayProConnector({ baseUrl: "http://x", merchantNo: "M", appSecret: "" })).toThrow(/appSecret/);
  });
});
