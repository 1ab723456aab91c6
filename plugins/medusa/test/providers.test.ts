import { BigNumber, MedusaError, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils";
import {
  type SandboxHandle,
  XPRESS_PAY_APP_ID, XPAY_KG_CLIENT_ID, XPAY_KG_CLIENT_SECRET,
  XPAY_PK_API_KEY, XPAY_PK_ACCOUNT_ID, XPAY_PK_HMAC_SECRET, XPAY_PK_WEBHOOK_SECRET,
  XPAY_EG_API_KEY, XPAY_EG_COMMUNITY_ID, XPAY_EG_VARIABLE_AMOUNT_ID,
} from "@xpay-connect/sandbox";
import provider, { XpayEgProviderService, XpayKgProviderService, XpayPkProviderService, XpressPayProviderService, toMoney, type XpayPaymentProvider } from "../src";
import { startHarness, type Harness, type Received } from "./harness";

let harness: Harness;
let sandbox: SandboxHandle;
let hookUrl = "";
let hooks: Received[] = [];

beforeAll(async () => {
  harness = await startHarness(7);
  ({ sandbox, hookUrl, hooks } = harness);
});
afterAll(() => harness.close());

const control = (path: string, body: Record<string, unknown> = {}) => harness.control(path, body);
const cradle = { logger: { warn: () => undefined, info: () => undefined, error: () => undefined } };
const common = () => ({ testMode: true, sandboxUrl: sandbox.url });

const GATEWAYS = [
  { id: "xpress-pay", currency: "pkr", amount: 1500.5, make: () => new XpressPayProviderService(cradle, { ...common(), appId: XPRESS_PAY_APP_ID, webhookUrl: `${hookUrl}/xpress-pay_default` }), secrets: [] as string[], act: (d: any) => d.merchant_ref },
  { id: "xpay-pk", currency: "pkr", amount: "2500.00", make: () => new XpayPkProviderService(cradle, { ...common(), apiKey: XPAY_PK_API_KEY, accountId: XPAY_PK_ACCOUNT_ID, hmacSecret: XPAY_PK_HMAC_SECRET, webhookSecret: XPAY_PK_WEBHOOK_SECRET }), secrets: [XPAY_PK_API_KEY, XPAY_PK_HMAC_SECRET, XPAY_PK_WEBHOOK_SECRET], act: (d: any) => d.gateway_ref },
  { id: "xpay-eg", currency: "egp", amount: "99.99", make: () => new XpayEgProviderService(cradle, { ...common(), apiKey: XPAY_EG_API_KEY, communityId: XPAY_EG_COMMUNITY_ID, variableAmountId: XPAY_EG_VARIABLE_AMOUNT_ID }), secrets: [XPAY_EG_API_KEY], act: (d: any) => d.gateway_ref },
  { id: "xpay-kg", currency: "kgs", amount: 1234, make: () => new XpayKgProviderService(cradle, { ...common(), clientId: XPAY_KG_CLIENT_ID, clientSecret: XPAY_KG_CLIENT_SECRET, webhookUrl: `${hookUrl}/xpay-kg_default` }), secrets: [XPAY_KG_CLIENT_SECRET], act: (d: any) => d.gateway_ref },
] as const;

let n = 0;
const context = { customer: { first_name: "John", last_name: "Doe", email: "john@example.com", phone: "03001234567" } };
const egContext = { customer: { ...context.customer, phone: "+201119045759" } };

async function start(g: (typeof GATEWAYS)[number]) {
  const p = g.make() as XpayPaymentProvider;
  const session_id = `payses_TEST${String(++n).padStart(4, "0")}${g.id.replace(/-/g, "")}`;
  const out = await p.initiatePayment({ amount: g.amount as never, currency_code: g.currency, data: { session_id }, context: (g.id === "xpay-eg" ? egContext : context) as never });
  return { p, session_id, out, data: out.data as Record<string, any> };
}
async function lastHook(before: number): Promise<Received> {
  await sandbox.callbacks.idle();
  expect(hooks.length).toBeGreaterThan(before);
  return hooks[hooks.length - 1]!;
}
const asPayload = (h: Received, raw?: Buffer) => ({ data: JSON.parse((raw ?? h.rawBody).toString()), rawData: raw ?? h.rawBody, headers: h.headers as Record<string, unknown> });

describe("module export", () => {
  it("registers four payment providers", () => {
    expect((provider as any).services.map((s: any) => s.identifier)).toEqual(["xpress-pay", "xpay-pk", "xpay-eg", "xpay-kg"]);
  });
});

describe("validateOptions", () => {
  it("lists every missing option with clear messages", () => {
    expect(() => XpressPayProviderService.validateOptions({})).toThrow(/baseUrl .*testMode.*appId is required.*webhookUrl must be an absolute/);
    expect(() => XpayPkProviderService.validateOptions({ testMode: true })).toThrow(/apiKey is required.*accountId.*hmacSecret.*webhookSecret/);
    expect(() => XpayEgProviderService.validateOptions({ testMode: true, apiKey: "k", communityId: "c", variableAmountId: "4" })).toThrow(/variableAmountId/);
    expect(() => XpayEgProviderService.validateOptions({ testMode: true, apiKey: "k", communityId: "c", variableAmountId: 4, methods: ["card", "cash"] })).toThrow(/unknown method\(s\) cash/);
    expect(() => XpayEgProviderService.validateOptions({ testMode: true, apiKey: "k", communityId: "c", variableAmountId: 4, feesInBill: true })).toThrow(/feesInBill/);
    expect(() => XpayKgProviderService.validateOptions({ baseUrl: "ftp://x", clientId: "a", clientSecret: "b", webhookUrl: "https://shop/hooks" })).toThrow(/baseUrl must be an absolute http/);
    expect(() => XpayKgProviderService.validateOptions({ testMode: true, clientId: "a", clientSecret: "b", webhookUrl: "https://x/hooks/payment/xpay-kg_default" })).not.toThrow();
  });
  it("throws MedusaError INVALID_DATA", () => {
    try { XpressPayProviderService.validateOptions({}); } catch (e) { expect((e as MedusaError).type).toBe(MedusaError.Types.INVALID_DATA); }
  });
});

describe("amounts (major units from Medusa)", () => {
  it("converts numbers, strings and BigNumber exactly", () => {
    expect(toMoney(1500.5, "pkr").minor).toBe(150050);
    expect(toMoney(0.3, "pkr").minor).toBe(30); // a JSON number is read through its decimal text
    expect(toMoney("99.99", "egp").minor).toBe(9999);
    expect(toMoney(new BigNumber("1234.56"), "kgs").minor).toBe(123456);
    expect(toMoney(new BigNumber(19.99), "usd").minor).toBe(1999);
    expect(toMoney({ value: "10.5", precision: 20 }, "usd").minor).toBe(1050);
    expect(() => toMoney("10.005", "pkr")).toThrow(/at most 2 decimal places/);
  });
});

describe.each(GATEWAYS.map((g) => [g.id, g] as const))("%s provider", (_id, g) => {
  it("initiatePayment: session id as merchant ref, public next action, no secrets", async () => {
    const { out, data, session_id } = await start(g);
    expect(out.status).toBe(PaymentSessionStatus.PENDING);
    expect(data).toMatchObject({ gateway: g.id, merchant_ref: session_id, currency: g.currency.toUpperCase() });
    expect(out.id).toBe(data.gateway_ref);
    expect(data.next_action.type).not.toBe("none");
    const json = JSON.stringify(out);
    for (const s of g.secrets) expect(json).not.toContain(s);
  });

  it("approve -> webhook verified to captured; authorize/status/capture/retrieve ask the gateway", async () => {
    const { p, data, session_id } = await start(g);
    expect((await p.authorizePayment({ data })).status).not.toBe(PaymentSessionStatus.CAPTURED);
    const before = hooks.length;
    await control(`${g.id}/orders/${g.act(data)}/approve`, g.id === "xpress-pay" ? { mobile: "03001234567" } : {});
    const hook = await lastHook(before);
    const result = await p.getWebhookActionAndData(asPayload(hook));
    expect(result).toEqual({ action: PaymentActions.SUCCESSFUL, data: { session_id, amount: data.amount } });
    const auth = await p.authorizePayment({ data });
    expect(auth.status).toBe(PaymentSessionStatus.CAPTURED);
    expect((await p.getPaymentStatus({ data })).status).toBe(PaymentSessionStatus.CAPTURED);
    expect((await p.capturePayment({ data: auth.data })).data).toMatchObject({ status: "succeeded" });
    expect((await p.retrievePayment({ data })).data).toMatchObject({ status: "succeeded" });
  });

  it("a forged callback (tampered amount) is NOT_SUPPORTED", async () => {
    const { data } = await start(g);
    const p = g.make();
    const before = hooks.length;
    await control(`${g.id}/orders/${g.act(data)}/approve`, g.id === "xpress-pay" ? { mobile: "03001234567" } : {});
    const hook = await lastHook(before);
    const body = JSON.parse(hook.rawBody.toString());
    for (const k of ["amount", "total_amount", "total_amount_piasters"]) if (typeof body[k] === "number") body[k] = body[k] + 1; else if (typeof body[k] === "string") body[k] = "1.00";
    const forged = Buffer.from(JSON.stringify(body));
    expect((await p.getWebhookActionAndData(asPayload(hook, forged))).action).toBe(PaymentActions.NOT_SUPPORTED);
    expect((await p.getWebhookActionAndData({ data: {}, rawData: Buffer.from("not json"), headers: {} })).action).toBe(PaymentActions.NOT_SUPPORTED);
  });

  it("decline -> webhook FAILED, authorize says error", async () => {
    const { p, data, session_id } = await start(g);
    const before = hooks.length;
    await control(`${g.id}/orders/${g.act(data)}/decline`);
    const hook = await lastHook(before);
    const result = await p.getWebhookActionAndData(asPayload(hook));
    expect(result.action).toBe(PaymentActions.FAILED);
    expect(result.data?.session_id).toBe(session_id);
    expect((await p.authorizePayment({ data })).status).toBe(PaymentSessionStatus.ERROR);
  });
});

describe("recalls (Xpress Pay)", () => {
  it("a verified recall is logged as an error for the store owner; a forged one is not", async () => {
    const lines: { level: string; line: string }[] = [];
    const log = (level: string) => (line: string) => { lines.push({ level, line }); };
    const p = new XpressPayProviderService({ logger: { info: log("info"), warn: log("warn"), error: log("error") } }, { testMode: true, sandboxUrl: sandbox.url, appId: XPRESS_PAY_APP_ID, webhookUrl: `${hookUrl}/xpress-pay_default` });
    const session_id = `payses_RECALL${++n}`;
    const { data } = await p.initiatePayment({ amount: "1500.00" as never, currency_code: "pkr", data: { session_id, method: "easypaisa" }, context: context as never });
    let before = hooks.length;
    await control(`xpress-pay/orders/${(data as any).merchant_ref}/approve`, { mobile: "03001234567" });
    await lastHook(before);
    before = hooks.length;
    await control(`xpress-pay/orders/${(data as any).merchant_ref}/recall`, { amount: "500.00", reason: "customer dispute" });
    const recall = await lastHook(before);
    expect(recall.rawBody.toString()).toContain("recallAmount");
    expect((await p.getWebhookActionAndData(asPayload(recall))).action).toBe(PaymentActions.NOT_SUPPORTED);
    expect(lines.filter((l) => l.level === "error").map((l) => l.line)).toEqual([expect.stringMatching(new RegExp(`RECALL for ${session_id} verified: the gateway took back PKR 500\\.00`))]);

    const forged = JSON.parse(recall.rawBody.toString());
    forged.recallAmount = "2000.00"; // more than was paid
    expect((await p.getWebhookActionAndData(asPayload(recall, Buffer.from(JSON.stringify(forged))))).action).toBe(PaymentActions.NOT_SUPPORTED);
    expect(lines.filter((l) => l.level === "error")).toHaveLength(1);
    expect(lines.some((l) => l.level === "warn" && l.line.includes(`recall for ${session_id} failed verification`))).toBe(true);
  });
});

describe("refunds", () => {
  it("xpay-eg refunds part of a paid payment", async () => {
    const g = GATEWAYS[2];
    const { p, data } = await start(g);
    const before = hooks.length;
    await control(`xpay-eg/orders/${data.gateway_ref}/approve`);
    await lastHook(before);
    const out = await p.refundPayment({ amount: "40.00", data });
    expect(out.data).toMatchObject({ refunded: "40.00" });
  });
  it("gateways without a refund API say so", async () => {
    const { p, data } = await start(GATEWAYS[0]);
    await expect(p.refundPayment({ amount: 1, data })).rejects.toThrow(/no refund API/);
  });
});
