/**
 * The conformance suite: every connector against its sandbox emulator over real loopback HTTP.
 * The sandbox plays the gateway and the shopper; the Receiver plays the merchant's backend.
 */
import { SANDBOX_GATEWAYS, startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { GATEWAYS, OutcomeUnknownError, createConnector, type PayInConnector, type PayInRequest, type PayoutConnector, type PayoutRequest, type PaymentSnapshot } from "@xpay-connect/core";
import { CASES } from "../src/registry";
import { Receiver } from "../src/receiver";
import type { ConformanceCase, FlowConnector } from "../src/case";

let sandbox: SandboxHandle;
let receiver: Receiver;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 42, retryScale: 0.001 });
  receiver = new Receiver();
  await receiver.start();
});

afterAll(async () => {
  await sandbox.close();
  await receiver.stop();
});

async function control(path: string, body: Record<string, unknown> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sandbox.url}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.each(CASES.map((c) => [c.gateway, c] as const))("%s conformance", (_id, c: ConformanceCase) => {
  let connector: FlowConnector;
  let n = 0;
  /** Where the gateway posts callbacks, as core declares it: one dashboard URL, or a URL per payment (token in the path). */
  const dashboard = GATEWAYS[c.gateway].capabilities.callbackUrl === "dashboard";
  const ref = () => `CONF-${c.gateway}-${++n}-${Date.now().toString(36)}`;

  const create = (r: PayInRequest | PayoutRequest): Promise<PaymentSnapshot> =>
    c.flow === "pay_in" ? (connector as PayInConnector).createPayIn(r as PayInRequest) : (connector as PayoutConnector).createPayout(r as PayoutRequest);
  const query = (s: PaymentSnapshot): Promise<PaymentSnapshot> =>
    c.flow === "pay_in" ? (connector as PayInConnector).getPayIn(s) : (connector as PayoutConnector).getPayout(s);

  /** Registers a payment with the receiver and creates it at the gateway. */
  const start = async (merchantRef = ref()) => {
    const probe = c.request(merchantRef, { url: "http://placeholder.invalid/", token: "x" });
    const callback = receiver.expect(connector, merchantRef, c.flow, probe.amount);
    const request = c.request(merchantRef, callback);
    const created = await create(request);
    return { merchantRef, request, created };
  };

  const act = (created: PaymentSnapshot, action: string, body: Record<string, unknown> = {}) =>
    control(`${c.gateway}/orders/${encodeURIComponent(created.gatewayRef)}/${action}`, action === "approve" ? { ...c.approveOptions, ...body } : body);

  beforeAll(async () => {
    connector = createConnector(c.gateway, { ...SANDBOX_GATEWAYS[c.gateway].testAccount(`${sandbox.url}/${c.gateway}`), timeoutMs: 1500 } as never) as FlowConnector;
    const emulator = SANDBOX_GATEWAYS[c.gateway];
    if (dashboard) {
      // One callback URL for every payment, set in the gateway's dashboard: point it at the receiver.
      if (!("dashboardSettings" in emulator)) throw new Error(`${c.gateway} calls back on a dashboard URL, but its emulator has no dashboardSettings`);
      const res = await control(`${c.gateway}/settings`, emulator.dashboardSettings(receiver.fixedUrl(c.gateway)));
      expect(res.status).toBe(200);
    }
  });

  afterEach(async () => {
    await control("callbacks/mode", { gateway: c.gateway, mode: "normal" });
    await sandbox.callbacks.idle();
  });

  it("create -> approve -> verified callback -> succeeded", async () => {
    const { merchantRef, created } = await start();
    expect(created.gatewayRef).toBeTruthy();
    expect(["pending", "requires_action"]).toContain(created.status);
    expect((await act(created, "approve")).status).toBe(200);
    const p = await receiver.waitFor(merchantRef, (x) => x.status === "succeeded");
    expect(p.applied).toEqual(["pending->succeeded"]);
    expect(p.rejected).toEqual([]);
    expect((await query(created)).status).toBe("succeeded");
  });

  it("decline -> the declined status, never succeeded", async () => {
    const { merchantRef, created } = await start();
    await act(created, "decline");
    const p = await receiver.waitFor(merchantRef, (x) => x.status !== "pending");
    expect(p.status).toBe(c.declinedStatus);
    expect((await query(created)).status).toBe(c.declinedStatus);
  });

  it("cancel -> the canceled status", async () => {
    const { merchantRef, created } = await start();
    await act(created, "cancel");
    const p = await receiver.waitFor(merchantRef, (x) => x.status !== "pending");
    expect(p.status).toBe(c.canceledStatus);
  });

  it("a timeout gives OutcomeUnknownError, and retrying with the same reference is safe", async () => {
    const merchantRef = ref();
    const probe = c.request(merchantRef, { url: "http://placeholder.invalid/", token: "x" });
    const callback = receiver.expect(connector, merchantRef, c.flow, probe.amount);
    const request = c.request(merchantRef, callback);
    await control("faults", { gateway: c.gateway, operation: c.createOperation, kind: "timeout", ms: 4000 });
    const failure = await create(request).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OutcomeUnknownError);
    expect((failure as OutcomeUnknownError).merchantRef).toBe(merchantRef);
    const retried = await create(request);
    const orders = (await (await fetch(`${sandbox.url}/_sandbox/orders?gateway=${c.gateway}`)).json()) as Record<string, { merchantRef: string }[]>;
    const same = (orders[c.gateway] ?? []).filter((o) => o.merchantRef === merchantRef);
    // Idempotent gateways keep one order; the others keep an unseen one that no shopper can pay.
    expect(same.length).toBe(c.idempotentCreate ? 1 : 2);
    await act(retried, "approve");
    const p = await receiver.waitFor(merchantRef, (x) => x.status === "succeeded");
    expect(p.applied).toEqual(["pending->succeeded"]);
  });

  it("a 5xx on create is OutcomeUnknownError too", async () => {
    const { merchantRef } = { merchantRef: ref() };
    const request = c.request(merchantRef, receiver.expect(connector, merchantRef, c.flow, c.request(merchantRef, { url: "http://x.invalid/", token: "x" }).amount));
    await control("faults", { gateway: c.gateway, operation: c.createOperation, kind: "error", status: 502 });
    await expect(create(request)).rejects.toBeInstanceOf(OutcomeUnknownError);
  });

  it("forged callbacks change nothing: wrong token or signature, amount mismatch, another order, unknown order", async () => {
    const { merchantRef, created } = await start();
    await act(created, "approve");
    const paid = await receiver.waitFor(merchantRef, (x) => x.status === "succeeded");
    const real = paid.inputs[0];
    expect(real).toBeDefined();
    if (!real) return;
    const body = JSON.parse(String(real.rawBody)) as Record<string, unknown>;

    // A second payment, still pending, is the forger's target.
    const target = await start();
    const t = receiver.payments.get(target.merchantRef);
    if (!t) throw new Error("target not registered");
    const path = !dashboard ? `/cb/${encodeURIComponent(target.merchantRef)}/${t.token}` : `/cb/fixed/${c.gateway}`;

    // The real success callback of payment 1, pointed at payment 2.
    const onto2 = c.withMerchantRef(real, body, target.merchantRef);
    if (!dashboard) {
      expect((await receiver.post(`/cb/${encodeURIComponent(target.merchantRef)}/not-the-token`, onto2)).status).toBeGreaterThanOrEqual(400);
    }
    expect((await receiver.post(path, onto2)).status).toBeGreaterThanOrEqual(400);
    if (c.withBadSignature) {
      expect((await receiver.post(path, c.withBadSignature(onto2))).status).toBeGreaterThanOrEqual(400);
    }
    // Payment 1's callback with another amount, replayed on payment 1's own URL.
    const p1path = !dashboard ? `/cb/${encodeURIComponent(merchantRef)}/${paid.token}` : `/cb/fixed/${c.gateway}`;
    expect((await receiver.post(p1path, c.withAmount(real, body))).status).toBeGreaterThanOrEqual(400);
    // A callback about an order nobody created.
    const ghost = c.withMerchantRef(real, body, "NEVER-CREATED-1");
    expect((await receiver.post(`/cb/NEVER-CREATED-1/${paid.token}`, ghost)).status).toBe(404);

    expect(receiver.payments.get(target.merchantRef)?.status).toBe("pending");
    expect(receiver.payments.get(target.merchantRef)?.applied).toEqual([]);
    expect(paid.applied).toEqual(["pending->succeeded"]);
    expect(paid.rejected.length).toBeGreaterThan(0);
  });

  it("five duplicated callbacks give exactly one transition", async () => {
    await control("callbacks/mode", { gateway: c.gateway, mode: "duplicate", copies: 5 });
    const { merchantRef, created } = await start();
    await act(created, "approve");
    await sandbox.callbacks.idle();
    const p = await receiver.waitFor(merchantRef, (x) => x.inputs.length >= 5);
    expect(p.applied).toEqual(["pending->succeeded"]);
    expect(p.noops).toBe(4);
    expect(p.rejected).toEqual([]);
  });

  it("reordered callbacks across payments end in the same states", async () => {
    await control("callbacks/mode", { gateway: c.gateway, mode: "reorder", batch: 3 });
    const a = await start();
    const b = await start();
    const d = await start();
    await act(a.created, "approve");
    await act(b.created, "decline");
    await act(d.created, "approve");
    await sandbox.callbacks.idle();
    expect((await receiver.waitFor(a.merchantRef, (x) => x.status !== "pending")).status).toBe("succeeded");
    expect((await receiver.waitFor(b.merchantRef, (x) => x.status !== "pending")).status).toBe(c.declinedStatus);
    expect((await receiver.waitFor(d.merchantRef, (x) => x.status !== "pending")).status).toBe("succeeded");
  });

  it("a dropped callback leaves the payment pending, and a query finds the outcome", async () => {
    await control("callbacks/mode", { gateway: c.gateway, mode: "drop", count: 1 });
    const { merchantRef, created } = await start();
    await act(created, "approve");
    await sandbox.callbacks.idle();
    expect(receiver.payments.get(merchantRef)?.inputs).toEqual([]);
    expect((await query(created)).status).toBe("succeeded");
  });

  it("a debug transcript of create, query and callback verification holds none of the shopper's or recipient's data", async () => {
    const lines: string[] = [];
    const line = (obj: object, msg: string) => void lines.push(JSON.stringify({ msg, ...obj }));
    const logged = createConnector(c.gateway, { ...SANDBOX_GATEWAYS[c.gateway].testAccount(`${sandbox.url}/${c.gateway}`), timeoutMs: 1500, logger: { debug: line, warn: line } } as never) as FlowConnector;
    const merchantRef = ref();
    const probe = c.request(merchantRef, { url: "http://placeholder.invalid/", token: "x" });
    const callback = receiver.expect(logged, merchantRef, c.flow, probe.amount);
    const request = c.request(merchantRef, callback);
    const created = c.flow === "pay_in" ? await (logged as PayInConnector).createPayIn(request as PayInRequest) : await (logged as PayoutConnector).createPayout(request as PayoutRequest);
    await act(created, "approve");
    await receiver.waitFor(merchantRef, (x) => x.status === "succeeded");
    if (c.flow === "pay_in") await (logged as PayInConnector).getPayIn(created);
    else await (logged as PayoutConnector).getPayout(created);
    const person = "customer" in request ? request.customer : request.recipient;
    // Everything that names or reaches the person (a bank code names only their bank).
    const personal = Object.entries(person)
      .filter(([k, v]) => k !== "bankCode" && typeof v === "string" && v.length >= 4)
      .map(([, v]) => String(v));
    expect(personal.length).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThan(1);
    for (const value of personal) expect(lines.filter((l) => l.includes(value))).toEqual([]);
  });
});
