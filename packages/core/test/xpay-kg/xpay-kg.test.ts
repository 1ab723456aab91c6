import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import {
  DeclinedError,
  InvalidInputError,
  Money,
  OutcomeUnknownError,
  VerificationError,
  XpayKgConnector,
  XPAY_KG_STATUS_MAP,
  xpayKgUuid,
  type PayInRequest,
  type XpayKgConfig,
} from "../../src";
import * as wire from "../../src/connectors/xpay-kg/wire";
import { XPAY_KG_CLIENT_ID, XPAY_KG_CLIENT_SECRET } from "@xpay-connect/sandbox";
import { callbackSink, collectingLogger, control } from "../support";
import * as spec from "./fixtures";

let sandbox: SandboxHandle;
let sink: Awaited<ReturnType<typeof callbackSink>>;
/** What the merchant's check_url answers (the sink plays it). */
let allowPayment = true;
const logger = collectingLogger();
let kg: XpayKgConnector;
let n = 0;
const ref = (p = "ORDER") => `${p}-${++n}-${Date.now().toString(36)}`;
const KGS = (amount: string) => Money.parse(amount, "KGS");

const connector = (extra: Partial<XpayKgConfig> = {}) =>
  new XpayKgConnector({
    baseUrl: `${sandbox.url}/xpay-kg`,
    clientId: XPAY_KG_CLIENT_ID,
    clientSecret: XPAY_KG_CLIENT_SECRET,
    serviceId: spec.qrCreateBody.service_id,
    serviceName: spec.qrCreateBody.service_name,
    logger,
    timeoutMs: 2000,
    ...extra,
  });

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
  sink = await callbackSink((r) => (r.path.startsWith("/check") ? kg.checkReply(allowPayment) : kg.callbackReply(true)));
  kg = connector();
});
afterAll(async () => {
  await sandbox.close();
  await sink.close();
});

const payIn = (merchantRef: string, extra: Partial<PayInRequest> = {}): PayInRequest => ({
  merchantRef,
  amount: KGS("10.00"),
  method: "qr",
  customer: { name: "Aibek Asanov" },
  callbackUrl: `${sink.url}/cb/${merchantRef}/token-${merchantRef}`,
  returnUrl: spec.qrCreateBody.return_url,
  description: spec.qrCreateBody.comments,
  ...extra,
});

type Line = { msg?: string; method?: string; path?: string; status?: number; request?: Record<string, unknown>; headers?: Record<string, string> };
const parsed = (lines: string[]): Line[] => lines.map((l) => JSON.parse(l) as Line);
const logins = (lines: string[]) => parsed(lines).filter((l) => l.msg === "gateway call" && l.path === wire.PATHS.login).length;
const sentBody = (merchantRef: string) => parsed(logger.lines).find((l) => l.request?.payer_id === merchantRef);
const act = (gatewayRef: string, action: string, body: Record<string, unknown> = {}) => control(sandbox.url, `xpay-kg/orders/${gatewayRef}/${action}`, body);
const callbacksFor = async (merchantRef: string) => {
  await sandbox.callbacks.idle();
  return sink.received.filter((r) => r.path.startsWith(`/cb/${merchantRef}/`));
};

describe("xpay-kg wire: uuid and amounts", () => {
  it("derives an RFC 4122 version-5 uuid (the RFC's DNS example) and the same one for the same merchantRef", () => {
    expect(wire.uuidFor("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
    expect(xpayKgUuid("ORDER-1")).toBe(xpayKgUuid("ORDER-1"));
    expect(xpayKgUuid("ORDER-1")).not.toBe(xpayKgUuid("ORDER-2"));
    expect(xpayKgUuid("ORDER-1")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("sends integer tyiyn: the spec's amount 1000 is KGS 10.00", () => {
    expect(wire.REQUEST_AMOUNT_UNIT).toBe("tyiyn");
    expect(wire.toRequestAmount(KGS("10.00"))).toBe(spec.qrCreateBody.amount);
    expect(wire.toRequestAmount(KGS("0.01"))).toBe(1);
    expect(wire.fromRequestAmount(spec.qrCreateResponse.data.payable).format()).toBe("9.92");
  });

  it("reads the spec's status decimals exactly, and refuses sub-tyiyn digits, exponents and negatives", () => {
    const data = wire.QrStatusData.parse(spec.qrStatusResponse.data);
    expect([data.request_amount.format(), data.amount.format(), data.payable?.format()]).toEqual(["240.00", "235.00", "233.12"]);
    expect(data.payable?.minor).toBe(23312);
    for (const bad of ["10.00500000", "1e3", "-5.00", "", "ten"]) {
      expect(wire.QrStatusData.safeParse({ ...spec.qrStatusResponse.data, amount: bad }).success).toBe(false);
    }
  });

  it("parses the spec's create answer", () => {
    const data = wire.QrCreated.parse(spec.qrCreateResponse.data);
    expect(data).toMatchObject({ qr_transaction_id: "2843595907tv78Stf2coPEXvu", amount: 1000, payable: 992 });
  });
});

describe("xpay-kg pay-ins", () => {
  it("creates a dynamic QR with the spec's fields: the QR link is the next action", async () => {
    const withCheck = connector({ checkUrl: `${sink.url}/check` });
    const merchantRef = ref();
    const created = await withCheck.createPayIn(payIn(merchantRef));
    expect(created).toMatchObject({ gateway: "xpay-kg", merchantRef, status: "requires_action", gatewayStatus: "ACTIVE" });
    expect(created.amount?.equals(KGS("10.00"))).toBe(true);
    expect(created.gatewayRef).toMatch(/^\d{10}[A-Za-z0-9]{15}$/);
    expect(created.nextAction).toEqual({ type: "qr", url: expect.stringMatching(new RegExp(`^${sandbox.url}/xpay-kg/pay/${created.gatewayRef}#000201`)), qrData: expect.any(String) });
    if (created.nextAction.type === "qr") expect(created.nextAction.qrData).toBe(created.nextAction.url);
    const sent = sentBody(merchantRef);
    expect(Object.keys(sent?.request ?? {})).toEqual(Object.keys(spec.qrCreateBody));
    expect(sent?.request).toMatchObject({
      uuid: xpayKgUuid(merchantRef),
      type: "dynamic",
      payer_id: merchantRef,
      service_id: "1",
      service_name: "MyService",
      comments: "Payment comment",
      return_url: spec.qrCreateBody.return_url,
      check_url: `${sink.url}/check`,
      amount_change: false,
      amount: 1000,
    });
    expect(sent?.headers).toEqual({ Authorization: "[redacted]", Accept: "application/json" });
  });

  it("a retry with the same merchantRef answers the same QR; the same merchantRef with another amount is refused (409)", async () => {
    const merchantRef = ref();
    const first = await kg.createPayIn(payIn(merchantRef));
    const again = await kg.createPayIn(payIn(merchantRef));
    expect(again.gatewayRef).toBe(first.gatewayRef);
    const other = await kg.createPayIn(payIn(merchantRef, { amount: KGS("11") })).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(DeclinedError);
    expect(other).toMatchObject({ gatewayCode: "409" });
  });

  it.each([
    [{ amount: Money.parse("10", "PKR") }, "amount.currency"],
    [{ amount: KGS("0") }, "amount"],
    [{ method: "card" as const }, "method"],
    [{ description: "x".repeat(33) }, "description"],
    [{ callbackUrl: "ftp://x" }, "callbackUrl"],
    [{ returnUrl: "not a url" }, "returnUrl"],
    [{ merchantRef: "" }, "merchantRef"],
    [{ merchantRef: "R".repeat(65) }, "merchantRef"],
  ])("refuses bad input %j naming %s, sending nothing", async (extra, field) => {
    const lines = logger.lines.length;
    const error = await kg.createPayIn(payIn(ref(), extra)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe(field);
    expect(logger.lines.length).toBe(lines);
  });

  it("refuses a bad configuration naming the field (a long service_name would be the gateway's 409)", () => {
    const base = { baseUrl: "http://127.0.0.1:9", clientId: "id", clientSecret: "secret" };
    expect(() => new XpayKgConnector({ ...base, serviceName: "S".repeat(33) })).toThrow(expect.objectContaining({ field: "serviceName" }));
    expect(() => new XpayKgConnector({ ...base, clientSecret: "" })).toThrow(expect.objectContaining({ field: "clientSecret" }));
    expect(() => new XpayKgConnector({ ...base, clientId: " " })).toThrow(expect.objectContaining({ field: "clientId" }));
    expect(() => new XpayKgConnector({ ...base, checkUrl: "nope" })).toThrow(expect.objectContaining({ field: "checkUrl" }));
  });

  it("queries by qr_transaction_id: gatewayRef is required and must belong to merchantRef", async () => {
    await expect(kg.getPayIn({ merchantRef: "X" })).rejects.toMatchObject({ field: "gatewayRef" });
    const a = await kg.createPayIn(payIn(ref()));
    await expect(kg.getPayIn({ merchantRef: ref(), gatewayRef: a.gatewayRef })).rejects.toMatchObject({ reason: "reference_mismatch" });
    await expect(kg.getPayIn({ merchantRef: a.merchantRef, gatewayRef: "0000000000NOPENOPENOPENOPE" })).rejects.toMatchObject({ code: "declined", gatewayCode: "404" });
  });
});

describe("xpay-kg statuses", () => {
  it("has one row per spec status", () => {
    expect(Object.keys(XPAY_KG_STATUS_MAP)).toEqual([...spec.payStatuses]);
    expect(XPAY_KG_STATUS_MAP).toEqual({
      ACTIVE: "requires_action",
      WAITING: "requires_action",
      PROCESSING: "pending",
      COMPLETED: "succeeded",
      ERROR: "failed",
      CANCELED: "canceled",
    });
  });

  it.each([
    ["ACTIVE", "requires_action"],
    ["WAITING", "requires_action"],
    ["PROCESSING", "pending"],
    ["COMPLETED", "succeeded"],
    ["ERROR", "failed"],
    ["CANCELED", "canceled"],
    ["completed", "succeeded"],
    ["SCANNED", "pending"],
    ["REFUNDED", "pending"],
  ])("a callback with pay_status %s is %s", (payStatus, status) => {
    const event = kg.parseCallback({ rawBody: JSON.stringify({ ...spec.qrStatusResponse.data, pay_status: payStatus }) });
    expect(event).toMatchObject({ status, gatewayStatus: payStatus, gatewayRef: spec.qrStatusResponse.data.qr_transaction_id });
  });

  it("walks a real QR through every status the sandbox can put it in", async () => {
    const seen: string[] = [];
    const look = async (r: { merchantRef: string; gatewayRef: string }) => {
      const s = await kg.getPayIn(r);
      seen.push(`${s.gatewayStatus}:${s.status}`);
      return s;
    };
    const a = await kg.createPayIn(payIn(ref()));
    await look(a);
    await act(a.gatewayRef, "scan");
    await look(a);
    await act(a.gatewayRef, "process");
    await look(a);
    await act(a.gatewayRef, "approve");
    expect((await look(a)).amount?.format()).toBe("10.00");
    const b = await kg.createPayIn(payIn(ref()));
    await act(b.gatewayRef, "decline");
    await look(b);
    const c = await kg.createPayIn(payIn(ref()));
    await act(c.gatewayRef, "cancel");
    await look(c);
    const d = await kg.createPayIn(payIn(ref()));
    await act(d.gatewayRef, "expire");
    await look(d);
    expect(seen).toEqual([
      "ACTIVE:requires_action",
      "WAITING:requires_action",
      "PROCESSING:pending",
      "COMPLETED:succeeded",
      "ERROR:failed",
      "CANCELED:canceled",
      "CANCELED:canceled",
    ]);
  });
});

describe("xpay-kg static QR", () => {
  it("creates a fixed-amount static QR that takes more than one payment", async () => {
    const reference = ref("SHELF");
    const qr = await kg.createStaticQr({ reference, amount: KGS("10"), comments: "Shelf 4", callbackUrl: `${sink.url}/cb/${reference}/t` });
    expect(qr).toMatchObject({ type: "static", uuid: xpayKgUuid(reference), amountChange: false });
    expect(qr.payable?.format()).toBe("9.92");
    expect(sentBody(reference)?.request).toMatchObject({ type: "static", amount: 1000, amount_change: false, comments: "Shelf 4" });
    expect((await kg.getQrStatus(qr.qrTransactionId, "static")).payStatus).toBe("ACTIVE");
    await act(qr.qrTransactionId, "approve");
    await act(qr.qrTransactionId, "approve");
    const status = await kg.getQrStatus(qr.qrTransactionId, "static");
    expect(status).toMatchObject({ payStatus: "COMPLETED", status: "succeeded", transactionUuid: xpayKgUuid(reference) });
    expect((await callbacksFor(reference)).length).toBe(2);
    // The dynamic status endpoint does not know static QRs.
    await expect(kg.getQrStatus(qr.qrTransactionId)).rejects.toMatchObject({ gatewayCode: "404" });
  });

  it("with amount_change the payer's amount is what the status reports, and a callback for it does not verify against the suggested amount", async () => {
    const reference = ref("TIP");
    const qr = await kg.createStaticQr({ reference, amount: KGS("10"), amountChange: true, callbackUrl: `${sink.url}/cb/${reference}/t` });
    expect(sentBody(reference)?.request).toMatchObject({ amount_change: true });
    await act(qr.qrTransactionId, "approve", { amount: "12.50" });
    const status = await kg.getQrStatus(qr.qrTransactionId, "static");
    expect([status.requestAmount.format(), status.amount.format(), status.payable?.format()]).toEqual(["10.00", "12.50", "12.40"]);
    const [cb] = await callbacksFor(reference);
    const input = { rawBody: cb?.rawBody ?? "" };
    expect(kg.parseCallback(input).amount?.format()).toBe("12.50");
    await expect(kg.verifyCallback(input, { merchantRef: reference, amount: KGS("10") })).rejects.toMatchObject({ reason: "amount_mismatch" });
  });

  it("refuses bad static input before sending", async () => {
    await expect(kg.createStaticQr({ reference: ref(), amount: KGS("1"), comments: "c".repeat(33) })).rejects.toMatchObject({ field: "comments" });
    await expect(kg.createStaticQr({ reference: "", amount: KGS("1") })).rejects.toMatchObject({ field: "reference" });
    await expect(kg.getQrStatus("x", "other" as "static")).rejects.toMatchObject({ field: "type" });
  });
});

describe("xpay-kg access token", () => {
  it("N concurrent calls share one login", async () => {
    const lines = collectingLogger();
    const c = connector({ logger: lines });
    const created = await Promise.all(Array.from({ length: 8 }, () => c.createPayIn(payIn(ref()))));
    expect(new Set(created.map((p) => p.gatewayRef)).size).toBe(8);
    await Promise.all(created.map((p) => c.getPayIn(p)));
    expect(logins(lines.lines)).toBe(1);
  });

  it("a revoked token causes exactly one re-login, shared by concurrent calls, and each call is retried once", async () => {
    const lines = collectingLogger();
    const c = connector({ logger: lines });
    const a = await c.createPayIn(payIn(ref()));
    expect(await (await control(sandbox.url, "xpay-kg/settings", { revokeTokens: true })).json()).toMatchObject({ revoked: expect.any(Number) });
    const results = await Promise.all(Array.from({ length: 5 }, () => c.getPayIn(a)));
    expect(results.every((r) => r.status === "requires_action")).toBe(true);
    expect(logins(lines.lines)).toBe(2);
    const refused = parsed(lines.lines).filter((l) => l.status === 401).length;
    expect(refused).toBe(5);
  });

  it("refreshes a token shortly before it expires, without a 401", async () => {
    const lines = collectingLogger();
    const c = connector({ logger: lines });
    const a = await c.createPayIn(payIn(ref()));
    const realNow = Date.now.bind(Date);
    const clock = jest.spyOn(Date, "now");
    try {
      clock.mockImplementation(() => realNow() + (wire.TOKEN_LIFETIME_S - 30) * 1000);
      await c.getPayIn(a);
      await c.getPayIn(a);
    } finally {
      clock.mockRestore();
    }
    expect(logins(lines.lines)).toBe(2);
    expect(parsed(lines.lines).some((l) => l.status === 401)).toBe(false);
  });

  it("a token refused twice is a DeclinedError after exactly one re-login, not a loop", async () => {
    const lines = collectingLogger();
    const c = connector({ logger: lines });
    await control(sandbox.url, "xpay-kg/settings", { tokenLifetimeSeconds: 0 });
    try {
      const error = await c.createPayIn(payIn(ref())).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeclinedError);
      expect(error).toMatchObject({ gatewayCode: "401" });
    } finally {
      await control(sandbox.url, "xpay-kg/settings", { tokenLifetimeSeconds: 1800 });
    }
    expect(logins(lines.lines)).toBe(2);
  });

  it("wrong credentials are an InvalidInputError on clientSecret, one login for concurrent callers, the secret nowhere", async () => {
    const lines = collectingLogger();
    const c = connector({ clientSecret: "wrong-secret-123", logger: lines });
    const errors = await Promise.all([c.createPayIn(payIn(ref())), c.getPayIn({ merchantRef: "A", gatewayRef: "B" })].map((p) => p.catch((e: unknown) => e)));
    for (const error of errors) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ field: "clientSecret" });
      expect((error as Error).message).not.toContain("wrong-secret-123");
    }
    expect(logins(lines.lines)).toBe(1);
    expect(lines.lines.join("\n")).not.toContain("wrong-secret-123");
  });
});

describe("xpay-kg check_url", () => {
  it("the gateway asks check_url before the payment: only 201 (checkReply(true)) lets it through", async () => {
    const c = connector({ checkUrl: `${sink.url}/check` });
    const merchantRef = ref();
    const created = await c.createPayIn(payIn(merchantRef));
    const url = created.nextAction.type === "qr" ? created.nextAction.url.split("#")[0] ?? "" : "";
    expect((await fetch(url)).status).toBe(200);
    const pay = () => fetch(url, { method: "POST", body: "decision=approve%3AMBank", headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });

    allowPayment = false;
    const refused = await pay();
    expect(refused.status).toBe(200);
    expect(await refused.text()).toContain("did not confirm");
    expect(await c.getPayIn(created)).toMatchObject({ status: "requires_action", gatewayStatus: "WAITING" });
    const asked = sink.received.filter((r) => r.path === "/check");
    const check = c.parseCheck({ rawBody: asked[asked.length - 1]?.rawBody ?? "" });
    expect(check).toMatchObject({ qrTransactionId: created.gatewayRef, merchantRef, transactionUuid: xpayKgUuid(merchantRef) });
    expect(check.amount.equals(KGS("10"))).toBe(true);

    allowPayment = true;
    const allowed = await pay();
    expect(allowed.status).toBe(303);
    expect(allowed.headers.get("location")).toBe(spec.qrCreateBody.return_url);
    expect((await c.getPayIn(created)).status).toBe("succeeded");
  });

  it("checkReply gives 201 to allow and something else to refuse", () => {
    expect(kg.checkReply(true).status).toBe(201);
    expect(kg.checkReply(false).status).not.toBe(201);
    expect(() => kg.parseCheck({ rawBody: "{}" })).toThrow(VerificationError);
  });
});

describe("xpay-kg callbacks", () => {
  it("a paid QR's callback parses and verifies by query-back", async () => {
    const merchantRef = ref();
    const created = await kg.createPayIn(payIn(merchantRef));
    await act(created.gatewayRef, "approve");
    const [cb] = await callbacksFor(merchantRef);
    const input = { rawBody: cb?.rawBody ?? "" };
    const body = JSON.parse(input.rawBody) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([...Object.keys(spec.qrStatusResponse.data), "type", "payer_id", "service_id"].sort());
    expect(kg.parseCallback(input)).toMatchObject({ kind: "pay_in", merchantRef, gatewayRef: created.gatewayRef, status: "succeeded", gatewayStatus: "COMPLETED" });
    const token = `token-${merchantRef}`;
    const verified = await kg.verifyCallback(input, { merchantRef, amount: KGS("10"), token: { expected: token, received: token } });
    expect(verified).toMatchObject({ merchantRef, gatewayRef: created.gatewayRef, status: "succeeded", verifiedBy: "query" });
    expect(verified.amount?.format()).toBe("10.00");
    await expect(kg.verifyCallback(input, { merchantRef, amount: KGS("10"), token: { expected: token, received: "nope" } })).rejects.toMatchObject({ reason: "bad_token" });
    await expect(kg.verifyCallback(input, { merchantRef, amount: KGS("10"), gatewayRef: "1111111111otherQRotherQRot" })).rejects.toMatchObject({ reason: "reference_mismatch" });
    await expect(kg.verifyCallback(input, { merchantRef, amount: KGS("10.01") })).rejects.toMatchObject({ reason: "amount_mismatch" });
    await expect(kg.verifyCallback(input, { merchantRef, amount: Money.parse("10", "PKR") })).rejects.toMatchObject({ reason: "currency_mismatch" });
  });

  it("forgeries fail: another order's paid QR, a paid claim the gateway contradicts, an unknown QR, an edited amount", async () => {
    const paid = await kg.createPayIn(payIn(ref()));
    await act(paid.gatewayRef, "approve");
    const [cb] = await callbacksFor(paid.merchantRef);
    const real = JSON.parse(cb?.rawBody ?? "{}") as Record<string, unknown>;
    const target = await kg.createPayIn(payIn(ref()));
    const as = (body: Record<string, unknown>) => ({ rawBody: JSON.stringify(body) });
    const claimTarget = { ...real, payer_id: target.merchantRef, transaction_uuid: xpayKgUuid(target.merchantRef) };
    const expected = { merchantRef: target.merchantRef, amount: KGS("10") };
    await expect(kg.verifyCallback(as(claimTarget), expected)).rejects.toMatchObject({ reason: "reference_mismatch" });
    await expect(kg.verifyCallback(as(real), expected)).rejects.toMatchObject({ reason: "reference_mismatch" });
    await expect(kg.verifyCallback(as({ ...claimTarget, qr_transaction_id: target.gatewayRef }), expected)).rejects.toMatchObject({ reason: "status_mismatch" });
    await expect(kg.verifyCallback(as({ ...claimTarget, qr_transaction_id: "0000000000NOPENOPENOPENOPE" }), expected)).rejects.toMatchObject({ reason: "unknown_payment" });
    await expect(kg.verifyCallback(as({ ...real, amount: "1.00000000" }), { merchantRef: paid.merchantRef, amount: KGS("10") })).rejects.toMatchObject({
      reason: "amount_mismatch",
    });
    expect((await kg.getPayIn(target)).status).toBe("requires_action");
  });

  it("a decline and a cancel verify as failed and canceled", async () => {
    for (const [action, status] of [["decline", "failed"], ["cancel", "canceled"]] as const) {
      const created = await kg.createPayIn(payIn(ref()));
      await act(created.gatewayRef, action);
      const [cb] = await callbacksFor(created.merchantRef);
      expect(await kg.verifyCallback({ rawBody: cb?.rawBody ?? "" }, { merchantRef: created.merchantRef, amount: KGS("10") })).toMatchObject({ status });
    }
  });

  it("parses the spec's status answer as a callback; malformed callbacks are refused", () => {
    const event = kg.parseCallback({ rawBody: JSON.stringify(spec.qrStatusResponse.data) });
    expect(event).toMatchObject({ merchantRef: "", gatewayRef: "1734439544EjZ25uVX16UDKxX", status: "succeeded" });
    expect(event.amount?.format()).toBe("235.00");
    expect(() => kg.parseCallback({ rawBody: "not json" })).toThrow(VerificationError);
    expect(() => kg.parseCallback({ rawBody: JSON.stringify({ ...spec.qrStatusResponse.data, qr_transaction_id: undefined }) })).toThrow(/qr_transaction_id/);
    expect(() => kg.parseCallback({ rawBody: JSON.stringify({ ...spec.qrStatusResponse.data, amount: "1.005" }) })).toThrow(/amount/);
  });

  it("replies 200 to stop retries and 4xx to ask for one", () => {
    expect(kg.callbackReply(true).status).toBe(200);
    expect(kg.callbackReply(false).status).toBeGreaterThanOrEqual(400);
  });
});

/** A stand-in gateway: login works, every other path answers what the test says. */
async function scriptedGateway(answer: { status: number; body: string; type?: string }) {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const out = req.url === wire.PATHS.login ? { status: 200, body: JSON.stringify({ status: "Success", data: { access_token: "tok-scripted-1234", expires_in: 1800 } }) } : answer;
      res.writeHead(out.status, { "content-type": answer.type ?? "application/json" });
      res.end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { c: new XpayKgConnector({ baseUrl: url, clientId: "id", clientSecret: "secret-xyz", logger }), close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("xpay-kg gateway errors", () => {
  it.each([
    [422, { status: "Error", message: "The amount must be an integer.", errors: { amount: ["The amount must be an integer."] } }, InvalidInputError, { field: "amount", received: 1000 }],
    [422, { status: "Error", message: "bad", errors: { comments: ["too long"] } }, InvalidInputError, { field: "description" }],
    [409, { status: "Error", message: "The comments must not be greater than 32 characters." }, DeclinedError, { gatewayCode: "409" }],
    [200, { status: "Error", message: "Service unavailable for merchant" }, DeclinedError, { gatewayCode: "Error" }],
    [200, { status: "Success", data: { qr_transaction_id: 5 } }, OutcomeUnknownError, {}],
    [200, { status: "Success", data: { qr_transaction_id: "x", qr_code: "y", amount: "10.5" } }, OutcomeUnknownError, {}],
    [502, { status: "Error" }, OutcomeUnknownError, {}],
  ])("a create answered HTTP %i %j is %p", async (status, body, type, fields) => {
    const gw = await scriptedGateway({ status, body: JSON.stringify(body) });
    const merchantRef = ref();
    const error = await gw.c.createPayIn(payIn(merchantRef)).catch((e: unknown) => e);
    await gw.close();
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject(fields);
  });

  it("a status answer with sub-tyiyn digits or HTML is OutcomeUnknownError naming the field, not a crash", async () => {
    const gw = await scriptedGateway({ status: 200, body: JSON.stringify({ ...spec.qrStatusResponse, data: { ...spec.qrStatusResponse.data, payable: "1.23400000" } }) });
    await expect(gw.c.getQrStatus("1734439544EjZ25uVX16UDKxX")).rejects.toThrow(/payable/);
    await gw.close();
    const html = await scriptedGateway({ status: 200, body: "<html>maintenance</html>", type: "text/html" });
    await expect(html.c.getQrStatus("1734439544EjZ25uVX16UDKxX")).rejects.toBeInstanceOf(OutcomeUnknownError);
    await html.close();
  });

  it("reads the spec's status answer through getQrStatus", async () => {
    const gw = await scriptedGateway({ status: 200, body: JSON.stringify(spec.qrStatusResponse) });
    const status = await gw.c.getQrStatus("1734439544EjZ25uVX16UDKxX");
    await gw.close();
    expect(status).toMatchObject({ payStatus: "COMPLETED", status: "succeeded", trx: spec.qrStatusResponse.data.trx, executedTime: "2024-12-18 18:50:44" });
    expect([status.requestAmount.format(), status.amount.format(), status.payable?.format()]).toEqual(["240.00", "235.00", "233.12"]);
  });

  it("an unreachable gateway is OutcomeUnknownError", async () => {
    const c = new XpayKgConnector({ baseUrl: "http://127.0.0.1:9", clientId: "id", clientSecret: "secret-xyz", timeoutMs: 500 });
    const merchantRef = ref();
    await expect(c.createPayIn(payIn(merchantRef))).rejects.toBeInstanceOf(OutcomeUnknownError);
  });
});

describe("xpay-kg redaction", () => {
  it("no log line carries the client secret or an access token", () => {
    expect(logins(logger.lines)).toBeGreaterThan(0);
    const all = logger.lines.join("\n");
    expect(all).not.toContain(XPAY_KG_CLIENT_SECRET);
    expect(all).not.toContain("secret-xyz");
    expect(all).not.toContain("tok-scripted-1234");
    expect(all).not.toMatch(/\d+\|[A-Za-z0-9]{40}/);
    expect(all).not.toMatch(/Bearer (?!\[redacted\])/);
    expect(all).toContain('"access_token":"[redacted]"');
  });
});
