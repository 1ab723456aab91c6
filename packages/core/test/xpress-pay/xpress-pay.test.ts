import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { DeclinedError, InvalidInputError, Money, OutcomeUnknownError, VerificationError, XpressPayConnector, XPRESS_PAY_STATUS_MAP } from "../../src";
import { callbackSink, collectingLogger, control, fixedServer } from "../support";
import * as spec from "./fixtures";

let sandbox: SandboxHandle;
let sink: Awaited<ReturnType<typeof callbackSink>>;
const logger = collectingLogger();
let xp: XpressPayConnector;
let n = 0;
const ref = (p = "PAYIN") => `${p}_${++n}_${Date.now()}`;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
  sink = await callbackSink();
  xp = new XpressPayConnector({ baseUrl: `${sandbox.url}/xpress-pay`, appId: spec.SPEC_APP_ID, logger, timeoutMs: 2000 });
});
afterAll(async () => {
  await sandbox.close();
  await sink.close();
});

const payIn = (merchantRef: string, extra: Partial<Parameters<XpressPayConnector["createPayIn"]>[0]> = {}) => ({
  merchantRef,
  amount: Money.parse(spec.payInCreateBody.amount, "PKR"),
  method: "easypaisa" as const,
  customer: { name: spec.payInCreateBody.customerName, email: spec.payInCreateBody.customerEmail, phone: spec.payInCreateBody.customerMobile },
  callbackUrl: `${sink.url}/cb/${merchantRef}`,
  returnUrl: spec.payInCreateBody.returnUrl,
  ...extra,
});

describe("xpress-pay pay-ins", () => {
  it("creates an EASYPAISA pay-in with customerMobile: a redirect to the hosted page, the spec's wire body", async () => {
    const merchantRef = ref();
    const created = await xp.createPayIn(payIn(merchantRef));
    expect(created).toMatchObject({ gateway: "xpress-pay", merchantRef, status: "requires_action", nextAction: { type: "redirect" } });
    expect(created.gatewayRef).toMatch(/^EP\d{9}$/);
    const page = await fetch(created.nextAction.type === "redirect" ? created.nextAction.url : "");
    const html = await page.text();
    expect(html).toContain("PKR 1500.00");
    expect(html).not.toContain('name="mobile"');
    // The body on the wire has exactly the spec's fields.
    const sent = sandbox.received.find((r) => (r.body as { merOrderNo?: string } | undefined)?.merOrderNo === merchantRef) as { body: Record<string, string> };
    expect(Object.keys(sent.body).sort()).toEqual(Object.keys(spec.payInCreateBody).sort());
    expect(sent.body).toMatchObject({ amount: "1500", channel: "EASYPAISA", customerMobile: "03001234567" });
  });

  it("creates a JAZZCASH pay-in without customerMobile: the hosted page asks for the wallet number", async () => {
    const merchantRef = ref();
    const created = await xp.createPayIn(payIn(merchantRef, { method: "jazzcash", customer: { name: "John Doe" } }));
    const url = created.nextAction.type === "redirect" ? created.nextAction.url : "";
    expect(await (await fetch(url)).text()).toContain('name="mobile"');
    const form = (body: string) => fetch(url, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
    expect(await (await form("decision=approve&mobile=123")).text()).toContain("Enter an 11-digit wallet number");
    const done = await form("decision=approve&mobile=03001234567");
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`${spec.payInCreateBody.returnUrl}?merOrderNo=${merchantRef}&status=success`);
    await sandbox.callbacks.idle();
    const [cb] = sink.received.filter((r) => r.path === `/cb/${merchantRef}`);
    const event = xp.parseCallback({ rawBody: cb?.rawBody ?? "" });
    expect(event).toMatchObject({ kind: "pay_in", merchantRef, status: "succeeded", gatewayStatus: "2" });
    expect(event.amount?.equals(Money.parse("1500", "PKR"))).toBe(true);
    expect(await xp.getPayIn({ merchantRef })).toMatchObject({ status: "succeeded", gatewayRef: created.gatewayRef });
  });

  it("sends decimals only when there are some", async () => {
    const merchantRef = ref();
    await xp.createPayIn(payIn(merchantRef, { amount: Money.parse("10.50", "PKR") }));
    const sent = sandbox.received.find((r) => (r.body as { merOrderNo?: string } | undefined)?.merOrderNo === merchantRef) as { body: Record<string, string> };
    expect(sent.body.amount).toBe("10.50");
  });

  it.each([
    [{ amount: Money.parse("10", "EGP") }, "amount.currency"],
    [{ amount: Money.parse("0", "PKR") }, "amount"],
    [{ method: "card" as const }, "method"],
    [{ customer: { name: "A", phone: "3001234567" } }, "customer.phone"],
    [{ customer: { name: "" } }, "customer.name"],
    [{ customer: { name: "A", email: "not-an-email" } }, "customer.email"],
    [{ callbackUrl: "ftp://x" }, "callbackUrl"],
    [{ merchantRef: "" }, "merchantRef"],
  ])("refuses bad input %j naming %s, sending nothing", async (extra, field) => {
    const before = (sandbox.emulators.get("xpress-pay")?.orders() ?? []).length;
    const error = await xp.createPayIn(payIn(ref(), extra)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe(field);
    expect((sandbox.emulators.get("xpress-pay")?.orders() ?? []).length).toBe(before);
  });

  it("a wrong appId and a reused merOrderNo are the gateway's refusals (DeclinedError with its code)", async () => {
    const other = new XpressPayConnector({ baseUrl: `${sandbox.url}/xpress-pay`, appId: "0000wrong0000" });
    await expect(other.createPayIn(payIn(ref()))).rejects.toMatchObject({ code: "declined", gatewayCode: "1002" });
    const merchantRef = ref();
    await xp.createPayIn(payIn(merchantRef));
    const again = await xp.createPayIn(payIn(merchantRef, { amount: Money.parse("1", "PKR") })).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(DeclinedError);
    expect((again as DeclinedError).gatewayCode).toBe("1003");
    expect((again as Error).message).not.toContain(spec.SPEC_APP_ID);
  });

  it("querying an unknown order is a refusal; a 5xx on a query is retried", async () => {
    await expect(xp.getPayIn({ merchantRef: "NOPE" })).rejects.toMatchObject({ gatewayCode: "1004" });
    const merchantRef = ref();
    await xp.createPayIn(payIn(merchantRef));
    await control(sandbox.url, "faults", { gateway: "xpress-pay", operation: "payInQuery", kind: "error", status: 503 });
    expect((await xp.getPayIn({ merchantRef })).status).toBe("pending");
  });

  it("maps every orderStatus, and an unknown one to pending", () => {
    expect(XPRESS_PAY_STATUS_MAP).toEqual({ "1": "pending", "2": "succeeded", "4": "failed" });
    for (const [orderStatus, status] of [["1", "pending"], ["2", "succeeded"], ["4", "failed"], ["3", "pending"], ["9", "pending"]]) {
      expect(xp.parseCallback({ rawBody: JSON.stringify({ ...spec.resultCallback, orderStatus }) }).status).toBe(status);
    }
  });
});

describe("xpress-pay payouts and balance", () => {
  it("sends the spec's payout and queries it; the balance drops by the amount", async () => {
    const before = await xp.getBalance();
    const merchantRef = ref("PAYOUT");
    const payout = await xp.createPayout({
      merchantRef,
      amount: Money.parse(spec.payoutCreateBody.amount, "PKR"),
      method: "easypaisa",
      recipient: { name: spec.payoutCreateBody.recipientName, mobile: spec.payoutCreateBody.recipientMobile, email: spec.payoutCreateBody.recipientEmail },
      callbackUrl: `${sink.url}/payout/${merchantRef}`,
    });
    expect(payout).toMatchObject({ merchantRef, status: "pending", gatewayStatus: "1" });
    const sent = sandbox.received.find((r) => (r.body as { merOrderNo?: string } | undefined)?.merOrderNo === merchantRef) as { body: Record<string, string> };
    expect(Object.keys(sent.body).sort()).toEqual(Object.keys(spec.payoutCreateBody).sort());
    expect(sent.body.amount).toBe("1000.00");
    const after = await xp.getBalance();
    expect(before.available.minus(after.available).format()).toBe("1000.00");
    await control(sandbox.url, `xpress-pay/orders/${merchantRef}/approve`);
    expect(await xp.getPayout({ merchantRef })).toMatchObject({ status: "succeeded", gatewayRef: payout.gatewayRef });
    await sandbox.callbacks.idle();
    const [cb] = sink.received.filter((r) => r.path === `/payout/${merchantRef}`);
    expect(xp.parseCallback({ rawBody: cb?.rawBody ?? "" }, "payout")).toMatchObject({ kind: "payout", status: "succeeded" });
  });

  it("reads the spec's balance example exactly", async () => {
    sandbox.reset();
    const balance = await xp.getBalance();
    expect(balance.collected?.equals(Money.parse(String(spec.balanceResponse.data.payinValue), "PKR"))).toBe(true);
    expect(balance.available.format()).toBe("130000.00");
    expect(balance.frozen?.format()).toBe("10000.00");
  });

  it("refuses payouts beyond the balance and with a bad wallet number", async () => {
    const request = { merchantRef: ref("PAYOUT"), amount: Money.parse("999999999", "PKR"), method: "jazzcash" as const, recipient: { name: "R", mobile: "03112233445" }, callbackUrl: `${sink.url}/p` };
    await expect(xp.createPayout(request)).rejects.toMatchObject({ gatewayCode: "1005" });
    await expect(xp.createPayout({ ...request, recipient: { name: "R", mobile: "0311" } })).rejects.toMatchObject({ field: "recipient.mobile" });
  });
});

describe("xpress-pay callbacks", () => {
  it("parses the spec's result and recall callbacks", () => {
    expect(xp.parseCallback({ rawBody: JSON.stringify(spec.resultCallback) })).toMatchObject({
      gateway: "xpress-pay", kind: "pay_in", merchantRef: "PAYIN_ORDER_991823908", gatewayRef: "EP918203901", status: "succeeded",
    });
    const recall = xp.parseCallback({ rawBody: JSON.stringify(spec.recallCallback) });
    expect(recall).toMatchObject({ kind: "recall", status: "reversed", merchantRef: "PAYIN_ORDER_991823908" });
    expect(recall.amount?.format()).toBe("1500.00");
  });

  it("refuses malformed callbacks", () => {
    expect(() => xp.parseCallback({ rawBody: "not json" })).toThrow(VerificationError);
    expect(() => xp.parseCallback({ rawBody: JSON.stringify({ ...spec.resultCallback, merOrderNo: undefined }) })).toThrow(/merOrderNo/);
  });

  it("acknowledges with the plaintext SUCCESS", () => {
    expect(xp.callbackReply(true)).toEqual({ status: 200, contentType: "text/plain", body: "SUCCESS" });
    expect(xp.callbackReply(false).body).not.toBe("SUCCESS");
  });

  it("verifies a recall only against a paid order, and never for more than was paid", async () => {
    const merchantRef = ref();
    const amount = Money.parse("1500", "PKR");
    await xp.createPayIn(payIn(merchantRef));
    const recall = { rawBody: JSON.stringify({ ...spec.recallCallback, merOrderNo: merchantRef }) };
    await expect(xp.verifyCallback(recall, { merchantRef, amount })).rejects.toMatchObject({ reason: "amount_mismatch" });
    await control(sandbox.url, `xpress-pay/orders/${merchantRef}/approve`);
    // The lookup confirms the order was paid, not the recall: only the URL token vouches for it, and says so.
    expect(await xp.verifyCallback(recall, { merchantRef, amount, token: { expected: "t0ken", received: "t0ken" } })).toMatchObject({ kind: "recall", status: "reversed", verifiedBy: "token" });
    await expect(xp.verifyCallback(recall, { merchantRef, amount, token: { expected: "t0ken", received: "forged" } })).rejects.toMatchObject({ reason: "bad_token" });
    const tooMuch = { rawBody: JSON.stringify({ ...spec.recallCallback, merOrderNo: merchantRef, recallAmount: "1500.01" }) };
    await expect(xp.verifyCallback(tooMuch, { merchantRef, amount })).rejects.toThrow(VerificationError);
    // The sandbox sends a real recall notice on request.
    await control(sandbox.url, `xpress-pay/orders/${merchantRef}/recall`, { amount: "500.00" });
    await sandbox.callbacks.idle();
    const notice = sink.received.filter((r) => r.path === `/cb/${merchantRef}`).map((r) => JSON.parse(r.rawBody)).find((b) => "recallAmount" in b);
    expect(notice).toMatchObject({ recallAmount: "500.00", currency: "PKR", merOrderNo: merchantRef });
  });

  it("a success callback the gateway contradicts is refused (status_mismatch), and another appId too", async () => {
    const merchantRef = ref();
    await xp.createPayIn(payIn(merchantRef));
    const claim = { rawBody: JSON.stringify({ ...spec.resultCallback, merOrderNo: merchantRef }) };
    await expect(xp.verifyCallback(claim, { merchantRef, amount: Money.parse("1500", "PKR") })).rejects.toMatchObject({ reason: "status_mismatch" });
    const foreign = { rawBody: JSON.stringify({ ...spec.resultCallback, merOrderNo: merchantRef, appId: "other" }) };
    await expect(xp.verifyCallback(foreign, { merchantRef, amount: Money.parse("1500", "PKR") })).rejects.toMatchObject({ reason: "reference_mismatch" });
  });
});

describe("xpress-pay transport", () => {
  it("a malformed answer is OutcomeUnknownError, not a crash", async () => {
    const broken = await fixedServer(200, '{"code":0,"msg":"success","data":{"orderNo":5}}');
    const c = new XpressPayConnector({ baseUrl: broken.url, appId: spec.SPEC_APP_ID });
    await expect(c.createPayIn(payIn(ref()))).rejects.toBeInstanceOf(OutcomeUnknownError);
    await broken.close();
    const html = await fixedServer(200, "<html>maintenance</html>", "text/html");
    await expect(new XpressPayConnector({ baseUrl: html.url, appId: spec.SPEC_APP_ID }).getBalance()).rejects.toThrow(/malformed/);
    await html.close();
  });

  it("an unreachable gateway is OutcomeUnknownError naming the reference", async () => {
    const c = new XpressPayConnector({ baseUrl: "http://127.0.0.1:9", appId: spec.SPEC_APP_ID, timeoutMs: 500 });
    const merchantRef = ref();
    await expect(c.createPayIn(payIn(merchantRef))).rejects.toMatchObject({ code: "outcome_unknown", merchantRef });
  });
});

describe("xpress-pay redaction", () => {
  it("no log line carries the appId", () => {
    expect(logger.lines.length).toBeGreaterThan(10);
    for (const line of logger.lines) expect(line).not.toContain(spec.SPEC_APP_ID);
  });
});
