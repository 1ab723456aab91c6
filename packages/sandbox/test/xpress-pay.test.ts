/** The Xpress Pay emulator answers the spec's own examples (host replaced by the sandbox) as the spec shows. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startSandbox, type SandboxHandle } from "../src";
import * as spec from "../../core/test/xpress-pay/fixtures";

let sandbox: SandboxHandle;
const APP_ID = spec.SPEC_APP_ID;
const post = (path: string, body: unknown) =>
  fetch(`${sandbox.url}/xpress-pay${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
const get = (path: string) => fetch(`${sandbox.url}/xpress-pay${path}`).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

// The spec's own examples, shared with the connector's unit tests.
const { payInCreateBody: payIn, payoutCreateBody: payout } = spec;

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, seed: 7, retryScale: 0.001 });
});
afterEach(() => sandbox.close());

describe("xpress-pay emulator: the spec's examples", () => {
  it("pay-in create answers {code:0,msg,data:{orderNo,params:{paymentLink}}}", async () => {
    const res = await post("/api/v2/payment/order/create", payIn);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: 0,
      msg: "success",
      data: { orderNo: expect.stringMatching(/^EP\d{9}$/), params: { paymentLink: expect.stringContaining(`${sandbox.url}/xpress-pay/checkout/EP`) } },
    });
  });

  it("payout create, both queries and the balance answer the spec's shapes", async () => {
    await post("/api/v2/payment/order/create", payIn);
    expect((await post("/api/v2/payout/order/create", payout)).body).toMatchObject({ code: 0, data: { orderNo: expect.any(String) } });
    expect((await get(`/api/v2/payment/order/query?appId=${APP_ID}&merOrderNo=PAYIN_ORDER_991823908`)).body).toMatchObject({
      code: 0,
      data: { merOrderNo: "PAYIN_ORDER_991823908", amount: "1500.00", currency: "PKR", orderStatus: "1" },
    });
    expect((await get(`/api/v2/payout/order/query?appId=${APP_ID}&merOrderNo=PAYOUT_ORDER_1882`)).body).toMatchObject({ data: { orderStatus: "1", amount: "1000.00" } });
    expect((await get(`/api/v2/merchant/balance?appId=${APP_ID}`)).body).toEqual({
      code: 200,
      data: { currency: "PKR", payinValue: 150000, payoutValue: 129000, disableValue: 10000 },
      msg: "success",
    });
  });

  it("is deterministic from the seed", async () => {
    const first = (await post("/api/v2/payment/order/create", payIn)).body;
    sandbox.reset(7);
    expect((await post("/api/v2/payment/order/create", payIn)).body).toEqual(first);
  });

  it.each([
    [{ ...payIn, appId: undefined }, 1001, "appId is required"],
    [{ ...payIn, appId: "nope" }, 1002, "invalid appId"],
    [{ ...payIn, merOrderNo: "" }, 1001, "merOrderNo is required"],
    [{ ...payIn, amount: "15.005" }, 1001, "amount must be"],
    [{ ...payIn, amount: 1500 }, 1001, "amount is required"],
    [{ ...payIn, channel: "VISA" }, 1001, "channel must be EASYPAISA or JAZZCASH"],
    [{ ...payIn, customerMobile: "3001234567" }, 1001, "customerMobile"],
    [{ ...payIn, customerName: undefined }, 1001, "customerName is required"],
    [{ ...payIn, notifyUrl: "not a url" }, 1001, "notifyUrl must be a URL"],
  ])("refuses a malformed pay-in (%#) with the gateway's envelope", async (body, code, msg) => {
    const res = await post("/api/v2/payment/order/create", body);
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(code);
    expect(String(res.body.msg)).toContain(msg);
    expect(res.body.data).toBeNull();
  });

  it("refuses a malformed payout and queries without appId or merOrderNo", async () => {
    expect((await post("/api/v2/payout/order/create", { ...payout, recipientMobile: undefined })).body).toMatchObject({ code: 1001, msg: "recipientMobile is required" });
    expect((await get("/api/v2/payment/order/query?merOrderNo=X")).body).toMatchObject({ code: 1001 });
    expect((await get(`/api/v2/payout/order/query?appId=${APP_ID}`)).body).toMatchObject({ code: 1001, msg: "merOrderNo is required" });
    expect((await get(`/api/v2/payment/order/query?appId=${APP_ID}&merOrderNo=nope`)).body).toMatchObject({ code: 1004 });
  });

  it("answers a retried create with the same order, and refuses a reused merOrderNo", async () => {
    const a = await post("/api/v2/payment/order/create", payIn);
    expect((await post("/api/v2/payment/order/create", payIn)).body).toEqual(a.body);
    expect((await post("/api/v2/payment/order/create", { ...payIn, amount: "1" })).body).toMatchObject({ code: 1003 });
  });
});

describe("xpress-pay emulator: callbacks", () => {
  it("retries up to 5 times until the plaintext SUCCESS, then stops", async () => {
    let calls = 0;
    const merchant = createServer((req, res) => {
      calls++;
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(calls === 3 ? "SUCCESS" : "ok");
    });
    await new Promise<void>((r) => merchant.listen(0, "127.0.0.1", r));
    const notifyUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}/cb`;
    await post("/api/v2/payment/order/create", { ...payIn, notifyUrl });
    await fetch(`${sandbox.url}/_sandbox/xpress-pay/orders/PAYIN_ORDER_991823908/approve`, { method: "POST" });
    await sandbox.callbacks.idle();
    expect(calls).toBe(3);
    const log = (await (await fetch(`${sandbox.url}/_sandbox/callbacks`)).json()) as { deliveries: { state: string; attempts: unknown[] }[] };
    expect(log.deliveries[0]).toMatchObject({ state: "acked" });
    expect(log.deliveries[0]?.attempts).toHaveLength(3);

    // A merchant that never answers SUCCESS gets the first attempt and 5 retries.
    calls = 0;
    merchant.removeAllListeners("request");
    merchant.on("request", (_req, res) => {
      calls++;
      res.writeHead(500);
      res.end();
    });
    await post("/api/v2/payment/order/create", { ...payIn, merOrderNo: "P2", notifyUrl });
    await fetch(`${sandbox.url}/_sandbox/xpress-pay/orders/P2/decline`, { method: "POST" });
    await sandbox.callbacks.idle();
    expect(calls).toBe(6);
    merchant.close();
  });

  it("an order is final once: a second decision is a 409", async () => {
    await post("/api/v2/payment/order/create", payIn);
    await fetch(`${sandbox.url}/_sandbox/xpress-pay/orders/PAYIN_ORDER_991823908/approve`, { method: "POST" });
    expect((await fetch(`${sandbox.url}/_sandbox/xpress-pay/orders/PAYIN_ORDER_991823908/decline`, { method: "POST" })).status).toBe(409);
  });
});
