/** The PayPro emulator answers the spec's own example (host replaced by the sandbox) as the spec shows, and refuses PayPro's way. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startSandbox, type SandboxHandle } from "../src";
import {
  PAYPRO_APP_SECRET,
  PAYPRO_ERRORS,
  PAYPRO_MERCHANT_NO,
  PAYPRO_RETRY_DELAYS_MS,
  PAYPRO_START_BALANCE,
  PAYPRO_TEST_ACCOUNTS,
  payProSign,
} from "../src/gateways/paypro";
import * as spec from "../../core/test/paypro/fixtures";

type Body = Record<string, unknown>;

let sandbox: SandboxHandle;
let sink: { url: string; received: { path: string; body: Body }[]; reply: (path: string) => { status: number; body: string }; server: Server };

const signed = (body: Body, secret = PAYPRO_APP_SECRET): Body => {
  const { sign: _s, ...fields } = body;
  return { ...fields, sign: payProSign(fields, secret) };
};
const post = async (path: string, body: unknown, headers: Record<string, string> = { merchantNo: PAYPRO_MERCHANT_NO }) => {
  const res = await fetch(`${sandbox.url}/paypro${path}`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });
  return { status: res.status, body: (await res.json()) as Body };
};
const control = (path: string) => fetch(`${sandbox.url}/_sandbox/paypro/${path}`, { method: "POST" });

/** The spec's example with a valid email, a loopback notifyUrl and a real sign. */
const example = (overrides: Body = {}): Body =>
  signed({ ...spec.payoutRequest, email: spec.emailStandIn, notifyUrl: `${sink.url}/notify/${String(overrides.tradeNo ?? spec.payoutRequest.tradeNo)}`, ...overrides });
const refusal = (code: string, msg: unknown = expect.any(String)) => ({ msg, code, success: false, timestamp: expect.any(Number), data: null });

beforeAll(async () => {
  const received: { path: string; body: Body }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ path, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Body });
      const out = sink.reply(path);
      res.writeHead(out.status, { "content-type": "text/plain" });
      res.end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  sink = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, reply: () => ({ status: 200, body: "OK" }), server };
});
afterAll(async () => {
  sink.server.closeAllConnections();
  await new Promise<void>((resolve) => sink.server.close(() => resolve()));
});
beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, seed: 11, retryScale: 0.001 });
  sink.received.length = 0;
  sink.reply = () => ({ status: 200, body: "OK" });
});
afterEach(() => sandbox.close());

describe("paypro emulator: the spec's example", () => {
  it("payout answers {msg, code 0000, data {platFormTradeNo, remark, status 0015, desc}, success, timestamp}", async () => {
    const res = await post("/v1/payproPK/payout", example());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      msg: "success",
      code: "0000",
      data: { platFormTradeNo: expect.stringMatching(/^[a-z0-9]{16}$/), remark: spec.payoutRequest.remark, status: "0015", desc: "CREATED" },
      success: true,
      timestamp: expect.any(Number),
    });
  });

  it("payout query and balance answer the public shapes; the payout holds its amount", async () => {
    const created = (await post("/v1/payproPK/payout", example())).body.data as Body;
    const query = await post("/v1/payproPK/queryPayOutResult", signed({ ...spec.payoutQueryRequest, tradeNo: spec.payoutRequest.tradeNo }));
    expect(query.body).toMatchObject({
      code: "0000",
      success: true,
      data: { platFormTradeNo: created.platFormTradeNo, tradeNo: "order67890", amount: "5000", status: "0015", desc: "CREATED", remark: spec.payoutRequest.remark },
    });
    const balance = await post("/v1/payproPK/queryBalance", signed({ timestamp: "1724151084278" }));
    expect(balance.body).toMatchObject({
      code: "0000",
      data: { availableAmount: String(PAYPRO_START_BALANCE.available - 5000), freezeAmount: "5000", unsettledAmount: String(PAYPRO_START_BALANCE.unsettled) },
    });
  });

  it("is deterministic from the seed", async () => {
    const first = ((await post("/v1/payproPK/payout", example())).body.data as Body).platFormTradeNo;
    sandbox.reset(11);
    expect(((await post("/v1/payproPK/payout", example())).body.data as Body).platFormTradeNo).toBe(first);
  });
});

describe("paypro emulator: refusals in PayPro's envelope", () => {
  it("refuses a missing or unknown merchantNo, a missing or wrong sign, a body that is not JSON", async () => {
    expect((await post("/v1/payproPK/payout", example(), {})).body).toEqual(refusal(PAYPRO_ERRORS.merchantMissing, "merchantNo header is required"));
    expect((await post("/v1/payproPK/payout", example(), { merchantNo: "PP0000000000" })).body).toEqual(refusal(PAYPRO_ERRORS.merchantUnknown, expect.stringContaining("merchantNo")));
    const { sign: _s, ...unsigned } = example();
    expect((await post("/v1/payproPK/payout", unsigned)).body).toEqual(refusal(PAYPRO_ERRORS.badSign, "sign is required"));
    expect((await post("/v1/payproPK/payout", signed(example(), "another-secret"))).body).toEqual(refusal(PAYPRO_ERRORS.badSign, expect.stringContaining("sign is invalid")));
    expect((await post("/v1/payproPK/payout", { ...example(), amount: "6000" })).body).toMatchObject({ code: PAYPRO_ERRORS.badSign });
    expect((await post("/v1/payproPK/payout", "not json")).body).toEqual(refusal(PAYPRO_ERRORS.badBody));
    expect((await post("/v1/payproPK/queryBalance", { timestamp: "1724151084278", sign: "774ac9334c7c36d8fa92ffbaf2129c6d" })).body).toMatchObject({ code: PAYPRO_ERRORS.badSign });
  });

  it.each<[string, Body, string]>([
    ["tradeNo", { tradeNo: "" }, PAYPRO_ERRORS.tradeNo],
    ["tradeNo", { tradeNo: "x".repeat(65) }, PAYPRO_ERRORS.tradeNo],
    ["amount", { amount: "10.5" }, PAYPRO_ERRORS.amount],
    ["amount", { amount: "0" }, PAYPRO_ERRORS.amount],
    ["amount", { amount: 5000 }, PAYPRO_ERRORS.amount],
    ["name", { name: " " }, PAYPRO_ERRORS.name],
    ["customerCert", { customerCert: "17301-2345678-9" }, PAYPRO_ERRORS.customerCert],
    ["customerCert", { customerCert: "173012345678" }, PAYPRO_ERRORS.customerCert],
    ["email", { email: spec.payoutRequest.email }, PAYPRO_ERRORS.email],
    ["mobile", { mobile: "03115112345" }, PAYPRO_ERRORS.mobile],
    ["mobile", { mobile: "4115112345" }, PAYPRO_ERRORS.mobile],
    ["accountType", { accountType: "CARD" }, PAYPRO_ERRORS.accountType],
    ["bankName", { bankName: "NOT_A_BANK" }, PAYPRO_ERRORS.bankName],
    ["bankName", { bankName: "EASYPAISA" }, PAYPRO_ERRORS.bankName],
    ["bankName", { accountType: "WALLET" }, PAYPRO_ERRORS.bankName],
    ["bankNumber", { bankNumber: "12" }, PAYPRO_ERRORS.bankNumber],
    ["bankNumber", { accountType: "WALLET", bankName: "JAZZCASH", bankNumber: "9876543210" }, PAYPRO_ERRORS.bankNumber],
    ["notifyUrl", { notifyUrl: "yourcallbackurl.com/notify" }, PAYPRO_ERRORS.notifyUrl],
    ["remark", { remark: "" }, PAYPRO_ERRORS.remark],
    ["timestamp", { timestamp: "yesterday" }, PAYPRO_ERRORS.timestamp],
  ])("refuses a bad %s %j with its own code and a message naming it", async (field, change, code) => {
    const res = await post("/v1/payproPK/payout", example(change));
    expect(res.body).toEqual(refusal(code, expect.stringContaining(field)));
    expect(sandbox.emulators.get("paypro")?.orders()).toEqual([]);
  });

  it("accepts a WALLET payout to EASYPAISA with the wallet's 10-digit number", async () => {
    const res = await post("/v1/payproPK/payout", example({ accountType: "WALLET", bankName: "EASYPAISA", bankNumber: "3115112345" }));
    expect(res.body).toMatchObject({ code: "0000", data: { status: "0015" } });
  });

  it("answers a retried payout with the same payout, refuses a different body under the same tradeNo", async () => {
    const first = (await post("/v1/payproPK/payout", example())).body;
    const retry = (await post("/v1/payproPK/payout", example({ timestamp: "1730057999" }))).body;
    expect((retry.data as Body).platFormTradeNo).toBe((first.data as Body).platFormTradeNo);
    expect((await post("/v1/payproPK/payout", example({ amount: "5001" }))).body).toEqual(refusal(PAYPRO_ERRORS.duplicateTradeNo, expect.stringContaining("tradeNo")));
    expect(sandbox.emulators.get("paypro")?.orders()).toHaveLength(1);
  });

  it("refuses a payout beyond the balance, and a query for an unknown tradeNo", async () => {
    const big = String(PAYPRO_START_BALANCE.available + 1);
    expect((await post("/v1/payproPK/payout", example({ amount: big }))).body).toEqual(refusal(PAYPRO_ERRORS.insufficientBalance, expect.stringContaining("balance")));
    expect((await post("/v1/payproPK/queryPayOutResult", signed({ tradeNo: "NOPE", timestamp: "1724142308374" }))).body).toEqual(refusal(PAYPRO_ERRORS.orderNotFound, expect.stringContaining("NOPE")));
    expect((await post("/v1/payproPK/queryPayOutResult", signed({ timestamp: "1724142308374" }))).body).toEqual(refusal(PAYPRO_ERRORS.tradeNo, expect.stringContaining("tradeNo")));
    expect((await post("/v1/payproPK/queryBalance", signed({}))).body).toEqual(refusal(PAYPRO_ERRORS.timestamp, expect.stringContaining("timestamp")));
  });
});

describe("paypro emulator: outcomes and notifications", () => {
  it("approve sends a signed success notification with successTime; decline and cancel signed failures", async () => {
    for (const tradeNo of ["A1", "B2", "C3"]) await post("/v1/payproPK/payout", example({ tradeNo }));
    expect((await control("orders/A1/approve")).status).toBe(200);
    expect((await control("orders/B2/decline")).status).toBe(200);
    expect((await control("orders/C3/cancel")).status).toBe(200);
    expect((await control("orders/A1/decline")).status).toBe(409);
    expect((await control("orders/NOPE/approve")).status).toBe(404);
    await sandbox.callbacks.idle();
    const byPath = Object.fromEntries(sink.received.map((r) => [r.path, r.body]));
    expect(byPath["/notify/A1"]).toMatchObject({ tradeNo: "A1", amount: "5000", status: "0000", message: "SUCCESS", successTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) });
    expect(byPath["/notify/B2"]).toMatchObject({ status: "00029", message: "REJECTED_TRANSACTION" });
    expect(byPath["/notify/C3"]).toMatchObject({ status: "00031" });
    expect(byPath["/notify/C3"]).not.toHaveProperty("successTime");
    for (const body of sink.received.map((r) => r.body)) expect(body.sign).toBe(payProSign(body, PAYPRO_APP_SECRET));
    const balance = (await post("/v1/payproPK/queryBalance", signed({ timestamp: "1724151084278" }))).body.data as Body;
    expect(balance).toMatchObject({ availableAmount: String(PAYPRO_START_BALANCE.available - 5000), freezeAmount: "0" });
  });

  it("retries until the merchant answers OK", async () => {
    let calls = 0;
    sink.reply = () => (++calls < 3 ? { status: 500, body: "busy" } : { status: 200, body: "OK" });
    await post("/v1/payproPK/payout", example());
    await control(`orders/${spec.payoutRequest.tradeNo}/approve`);
    await sandbox.callbacks.idle();
    expect(sandbox.callbacks.log.map((d) => [d.state, d.attempts.length])).toEqual([["acked", 3]]);
  });

  it("gives up after the 8 retries of its schedule", async () => {
    sandbox.callbacks.retryScale = 0.00001;
    sink.reply = () => ({ status: 200, body: "received" });
    await post("/v1/payproPK/payout", example());
    await control(`orders/${spec.payoutRequest.tradeNo}/approve`);
    await sandbox.callbacks.idle();
    expect(PAYPRO_RETRY_DELAYS_MS).toHaveLength(8);
    expect(sandbox.callbacks.log.map((d) => [d.state, d.attempts.length])).toEqual([["gave_up", 9]]);
  });

  it("a payout to the test account that does not exist is created failed, notified, and draws nothing", async () => {
    const res = await post("/v1/payproPK/payout", example({ bankNumber: PAYPRO_TEST_ACCOUNTS.notFound }));
    expect(res.body).toMatchObject({ code: "0000", data: { status: "00033", desc: "ACCOUNT_NOT_FOUND" } });
    await sandbox.callbacks.idle();
    expect(sink.received.map((r) => r.body.status)).toEqual(["00033"]);
    const balance = (await post("/v1/payproPK/queryBalance", signed({ timestamp: "1724151084278" }))).body.data as Body;
    expect(balance.availableAmount).toBe(String(PAYPRO_START_BALANCE.available));
  });

  it("the payout status page shows the payout and its form settles it like the bank", async () => {
    const id = ((await post("/v1/payproPK/payout", example())).body.data as Body).platFormTradeNo as string;
    const page = await (await fetch(`${sandbox.url}/paypro/payout/${id}`)).text();
    expect(page).toContain("PKR 5000");
    expect(page).toContain("****3210");
    expect(page).toContain('value="approve"');
    const done = await fetch(`${sandbox.url}/paypro/payout/${id}`, { method: "POST", body: "decision=approve", headers: { "content-type": "application/x-www-form-urlencoded" } });
    const after = await done.text();
    expect(after).toContain("0000 SUCCESS");
    expect(after).not.toContain('value="approve"');
    await sandbox.callbacks.idle();
    expect(sink.received.map((r) => r.body.status)).toEqual(["0000"]);
    expect((await fetch(`${sandbox.url}/paypro/payout/nope`)).status).toBe(404);
  });
});
