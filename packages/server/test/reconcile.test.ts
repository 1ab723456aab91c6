/**
 * Reconciliation over real HTTP through the sandbox, on PGlite and on real PostgreSQL: a payment
 * whose callback was dropped is settled by re-querying the gateway; the per-gateway rate limit
 * bounds the queries; abandoned pay-ins expire; two reconcilers on one database never query one
 * payment twice nor apply anything twice. Time is the reconciler's injected clock, never a sleep.
 */
import pino from "pino";
import { startService, type Service } from "../src";
import { reconcileNow, reconcileOptions, startReconciler, type ReconcileResult } from "../src/reconcile";
import { freshDatabase, postgresAvailable, startStack, eventually, type Stack } from "./harness";

type Json = Record<string, unknown>;

const PAY_INS = {
  "xpress-pay": { gateway: "xpress-pay", method: "jazzcash", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" } },
  "xpay-pk": { gateway: "xpay-pk", method: "card", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" } },
  "xpay-eg": { gateway: "xpay-eg", method: "card", amount: "50.00", currency: "EGP", customer: { name: "Islam Rostom", email: "irostom@xpay.app", phone: "+201119045759" } },
  "xpay-kg": { gateway: "xpay-kg", method: "qr", amount: "1000.00", currency: "KGS", customer: { name: "Aibek Asanov" } },
} as const;

const PAYOUTS = {
  "xpress-pay": { gateway: "xpress-pay", method: "easypaisa", amount: "100.00", currency: "PKR", recipient: { name: "Ali Khan", mobile: "03112233445" } },
  paypro: { gateway: "paypro", method: "easypaisa", amount: "100", currency: "PKR", recipient: { name: "Sara Ahmed", mobile: "03001234567", email: "sara@example.com", national_id: "1730123456789" } },
} as const;

async function control(s: Stack, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${s.sandbox.url}/_sandbox/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
}

/** Creates a payment (or payout), approves it at the gateway with its callback dropped, and checks the service never heard. */
async function settledUnheard(s: Stack, kind: "payments" | "payouts", body: Json, orderRef: string): Promise<Json> {
  const created = await s.api("POST", `/v1/${kind}`, { ...body, order_ref: orderRef }, { "idempotency-key": `reconcile-${orderRef}` });
  expect(created.status).toBe(201);
  await control(s, "callbacks/mode", { gateway: body.gateway, mode: "drop", count: 1 });
  expect((await s.act(String(body.gateway), String(created.body.gateway_ref), "approve")).status).toBe(200);
  await control(s, "callbacks/idle", {});
  const now = await s.api("GET", `/v1/${kind}/${created.body.id}`);
  expect(["pending", "requires_action"]).toContain(now.body.status);
  return created.body;
}

const statusChanges = (body: Json) => (body.events as { type: string; source: string; to: string }[]).filter((e) => e.type === "status_changed").map((e) => [e.source, e.to]);
const mine = (results: ReconcileResult[], ids: unknown[]) => results.filter((r) => ids.includes(r.paymentId));

describe.each([["pglite"], ["postgres"]])("reconciliation on %s", (kind) => {
  let stack: Stack | undefined;
  let drop: (() => Promise<void>) | undefined;
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    if (kind === "postgres") {
      if (!(await postgresAvailable())) return;
      const db = await freshDatabase();
      drop = db.drop;
      databaseUrl = db.url;
      stack = await startStack({ databaseUrl: db.url });
    } else {
      stack = await startStack();
    }
  });
  afterAll(async () => {
    await stack?.stop();
    await drop?.();
  });

  const cases = [
    ...Object.entries(PAY_INS).map(([gateway, body]) => [`${gateway} pay-in`, "payments", body] as const),
    ...Object.entries(PAYOUTS).map(([gateway, body]) => [`${gateway} payout`, "payouts", body] as const),
  ];

  it.each(cases)("%s whose callback was dropped is settled by reconciliation, once", async (name, path, body) => {
    if (!stack) return;
    const s = stack;
    const payment = await settledUnheard(s, path, body, `RECON-${name}`);
    // Not stale yet by the configured threshold: left alone.
    const early = await reconcileNow(s.service.ctx);
    expect(mine(early.results, [payment.id])).toEqual([]);
    const report = await reconcileNow(s.service.ctx, { afterMs: 0, now: () => Date.now() + 1000 });
    expect(mine(report.results, [payment.id])).toEqual([{ paymentId: payment.id, gateway: body.gateway, outcome: "applied" }]);
    const after = await s.api("GET", `/v1/${path}/${payment.id}`);
    expect(after.body.status).toBe("succeeded");
    expect(statusChanges(after.body).filter(([source]) => source !== "api")).toEqual([["reconcile", "succeeded"]]);
    const outbox = await s.service.ctx.db.query<{ type: string }>("select type from outbox_events where payment_id = $1 and type like '%.succeeded'", [payment.id]);
    expect(outbox).toHaveLength(1);
    // Settled payments are not asked again.
    const again = await reconcileNow(s.service.ctx, { afterMs: 0, now: () => Date.now() + 120_000 });
    expect(mine(again.results, [payment.id])).toEqual([]);
  });

  it("the rate limit bounds the status queries per gateway; the rest waits for tokens", async () => {
    if (!stack) return;
    const s = stack;
    const ids: unknown[] = [];
    for (let i = 0; i < 5; i++) ids.push((await settledUnheard(s, "payments", PAY_INS["xpress-pay"], `RATE-${i}`)).id);
    const connector = await s.service.ctx.merchants.connector(s.merchantId, "xpress-pay");
    const queries = jest.spyOn(connector, "getPayIn");
    try {
      const t = Date.now() + 3_600_000;
      const at = (ms: number) => ({ afterMs: 0, ratePerSecond: 2, now: () => ms });
      const first = await reconcileNow(s.service.ctx, at(t));
      expect(mine(first.results, ids)).toHaveLength(2);
      expect(first.deferred).toBe(3);
      expect(queries).toHaveBeenCalledTimes(2);
      // No time has passed: no tokens, no queries.
      const same = await reconcileNow(s.service.ctx, at(t));
      expect(mine(same.results, ids)).toHaveLength(0);
      expect(same.deferred).toBe(3);
      expect(queries).toHaveBeenCalledTimes(2);
      // One second later: two more tokens; then the last one.
      expect(mine((await reconcileNow(s.service.ctx, at(t + 1000))).results, ids)).toHaveLength(2);
      expect(queries).toHaveBeenCalledTimes(4);
      const last = await reconcileNow(s.service.ctx, at(t + 2000));
      expect(mine(last.results, ids)).toHaveLength(1);
      expect(last.deferred).toBe(0);
      expect(queries).toHaveBeenCalledTimes(5);
    } finally {
      queries.mockRestore();
    }
    for (const id of ids) {
      const p = await s.api("GET", `/v1/payments/${id}`);
      expect(p.body.status).toBe("succeeded");
      expect(statusChanges(p.body).filter(([source]) => source === "reconcile")).toEqual([["reconcile", "succeeded"]]);
    }
  });

  it("abandoned pay-ins expire; a paid one does not; a late payment after expiry is flagged, not applied", async () => {
    if (!stack) return;
    const s = stack;
    const abandoned = await s.api("POST", "/v1/payments", { ...PAY_INS["xpress-pay"], order_ref: "EXPIRE-ABANDONED" });
    const paidUnheard = await settledUnheard(s, "payments", PAY_INS["xpress-pay"], "EXPIRE-PAID");
    // The gateway never received this one (its answer was a 503 before any effect): nothing to ask, nothing anyone can pay.
    await control(s, "faults", { gateway: "xpress-pay", operation: "payInCreate", kind: "error", status: 503 });
    const neverArrived = await s.api("POST", "/v1/payments", { ...PAY_INS["xpress-pay"], order_ref: "EXPIRE-LOST" });
    expect(neverArrived.status).toBe(202);
    const ids = [abandoned.body.id, paidUnheard.id, neverArrived.body.id];

    // Stale but not yet expired: the unknown one is an error (asked again later), the abandoned one stays open.
    const before = await reconcileNow(s.service.ctx, { afterMs: 0, now: () => Date.now() + 1000 });
    expect(mine(before.results, ids)).toEqual(
      expect.arrayContaining([
        { paymentId: abandoned.body.id, gateway: "xpress-pay", outcome: "unchanged" },
        { paymentId: paidUnheard.id, gateway: "xpress-pay", outcome: "applied" },
        { paymentId: neverArrived.body.id, gateway: "xpress-pay", outcome: "error" },
      ]),
    );
    expect((await s.api("GET", `/v1/payments/${neverArrived.body.id}`)).body.status).toBe("pending");

    const later = Date.now() + s.service.ctx.config.expireAfterMs + 3_600_000;
    const report = await reconcileNow(s.service.ctx, { now: () => later });
    expect(mine(report.results, ids)).toEqual(
      expect.arrayContaining([
        { paymentId: abandoned.body.id, gateway: "xpress-pay", outcome: "expired" },
        { paymentId: neverArrived.body.id, gateway: "xpress-pay", outcome: "expired" },
      ]),
    );
    const expired = await s.api("GET", `/v1/payments/${abandoned.body.id}`);
    expect(expired.body.status).toBe("expired");
    expect(statusChanges(expired.body).filter(([source]) => source !== "api")).toEqual([["expiry", "expired"]]);
    expect((await s.api("GET", `/v1/payments/${neverArrived.body.id}`)).body.status).toBe("expired");
    expect((await s.api("GET", `/v1/payments/${paidUnheard.id}`)).body.status).toBe("succeeded");
    const outbox = await s.service.ctx.db.query<{ type: string }>("select type from outbox_events where payment_id = $1", [abandoned.body.id]);
    expect(outbox.map((e) => e.type)).toContain("payment.expired");

    // The shopper pays after all: the verified callback contradicts a final status and is flagged for a person.
    await s.act("xpress-pay", String(abandoned.body.gateway_ref), "approve");
    const flagged = await eventually(() => s.api("GET", `/v1/payments/${abandoned.body.id}`), (r) => r.body.flagged !== null);
    expect(flagged.body.status).toBe("expired");
  });

  it("two reconcilers on one database never query one payment twice nor apply twice", async () => {
    if (!stack) return;
    const s = stack;
    let second: Service | undefined;
    try {
      // On PostgreSQL a second service process shares the database; PGlite has one process, so two reconcilers share it.
      second = databaseUrl
        ? await startService({ port: 0, dataDir: ":memory:", databaseUrl, masterKey: s.service.ctx.config.masterKey, allowPrivateEndpoints: true }, { log: pino({ level: "silent" }) })
        : undefined;
      const contexts = [s.service.ctx, (second ?? s.service).ctx];
      const ids: unknown[] = [];
      for (let i = 0; i < 6; i++) ids.push((await settledUnheard(s, "payments", PAY_INS["xpress-pay"], `TWO-${i}`)).id);
      const connectors = await Promise.all(contexts.map((c) => c.merchants.connector(s.merchantId, "xpress-pay")));
      const spies = [...new Set(connectors)].map((c) => jest.spyOn(c, "getPayIn"));
      try {
        const options = { afterMs: 0, ratePerSecond: 100, now: () => Date.now() + 1000 };
        const reports = await Promise.all([0, 1, 0, 1].map((i) => reconcileNow(contexts[i] as Service["ctx"], options)));
        const results = mine(reports.flatMap((r) => r.results), ids);
        expect(results.map((r) => r.paymentId).sort()).toEqual([...ids].sort());
        expect(results.every((r) => r.outcome === "applied")).toBe(true);
        expect(spies.reduce((n, spy) => n + spy.mock.calls.filter(([ref]) => ids.includes((ref as { merchantRef: string }).merchantRef)).length, 0)).toBe(6);
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
      for (const id of ids) {
        const p = await s.api("GET", `/v1/payments/${id}`);
        const fromReconcile = (p.body.events as { source: string; type: string }[]).filter((e) => e.source === "reconcile");
        expect(fromReconcile.map((e) => e.type)).toEqual(["status_changed"]);
        const outbox = await s.service.ctx.db.query("select id from outbox_events where payment_id = $1 and type = 'payment.succeeded'", [id]);
        expect(outbox).toHaveLength(1);
      }
    } finally {
      await second?.stop();
    }
  });

  it("the worker settles a dropped callback by itself on its interval, and stops cleanly", async () => {
    if (!stack) return;
    const s = stack;
    const payment = await settledUnheard(s, "payments", PAY_INS["xpress-pay"], "WORKER");
    const results: unknown[] = [];
    const onResult = (r: unknown) => results.push(r);
    s.service.ctx.events.on("reconcile.result", onResult);
    const worker = await startReconciler({ ...s.service.ctx, config: { ...s.service.ctx.config, reconcileAfterMs: 0, reconcileIntervalMs: 25 } });
    try {
      const settled = await eventually(() => s.api("GET", `/v1/payments/${payment.id}`), (r) => r.body.status === "succeeded");
      expect(statusChanges(settled.body).filter(([source]) => source !== "api")).toEqual([["reconcile", "succeeded"]]);
      expect(results).toContainEqual({ gateway: "xpress-pay", outcome: "applied" });
    } finally {
      await worker.stop();
      s.service.ctx.events.off("reconcile.result", onResult);
    }
  });

  it("refuses a rate that is not a positive number", () => {
    const config = { reconcileAfterMs: 1000, reconcileRatePerSecond: 0 } as Parameters<typeof reconcileOptions>[0];
    expect(() => reconcileOptions(config)).toThrow(/RECONCILE_RATE_PER_SECOND/);
    expect(reconcileOptions({ ...config, reconcileRatePerSecond: 2.5 }).burst).toBe(3);
  });
});
