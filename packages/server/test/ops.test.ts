/**
 * Operations over real HTTP, on PGlite and on real PostgreSQL: Prometheus metrics after a real
 * pay-in and callback (payments by status, callbacks by outcome, callback latencies, outbox lag,
 * reconciliation results), and readiness (database, migrations; 503 when either fails).
 */
import { buildApp } from "../src/app";
import type { Db } from "../src/db/db";
import { opsRoutes } from "../src/ops";
import { eventually, useStack, type Stack } from "./harness";

/** The value of one sample in Prometheus text, or undefined when no line has this name and these labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe.each([["pglite"], ["postgres"]])("operations on %s", (kind) => {
  let stack: Stack | undefined;
  useStack(kind, (s) => (stack = s));

  const scrape = async (s: Stack) => {
    const res = await fetch(`${s.service.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    return res.text();
  };

  it("/metrics: payments by gateway and status, callbacks by outcome, callback latencies", async () => {
    if (!stack) return;
    const s = stack;
    const before = await scrape(s);
    expect(sample(before, "xpay_connect_payments", { gateway: "xpress-pay", status: "succeeded" })).toBeUndefined();

    const created = await s.api("POST", "/v1/payments", { gateway: "xpress-pay", method: "easypaisa", order_ref: "OPS-1", amount: "250.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" } });
    expect(created.status).toBe(201);
    const pending = await scrape(s);
    expect(sample(pending, "xpay_connect_payments", { gateway: "xpress-pay", kind: "pay_in", status: String(created.body.status) })).toBe(1);

    await s.act("xpress-pay", String(created.body.gateway_ref), "approve");
    await eventually(() => s.api("GET", `/v1/payments/${created.body.id}`), (r) => r.body.status === "succeeded");
    const text = await eventually(() => scrape(s), (t) => sample(t, "xpay_connect_callback_processing_seconds_count", { gateway: "xpress-pay" }) === 1);

    expect(sample(text, "xpay_connect_payments", { gateway: "xpress-pay", kind: "pay_in", status: "succeeded" })).toBe(1);
    expect(sample(text, "xpay_connect_payments", { gateway: "xpress-pay", kind: "pay_in", status: String(created.body.status) })).toBeUndefined();
    expect(sample(text, "xpay_connect_payment_transitions_total", { gateway: "xpress-pay", kind: "pay_in", to: "succeeded" })).toBe(1);
    expect(sample(text, "xpay_connect_callbacks_received_total", { gateway: "xpress-pay" })).toBe(1);
    expect(sample(text, "xpay_connect_callbacks_processed_total", { gateway: "xpress-pay", outcome: "applied" })).toBe(1);
    expect(sample(text, "xpay_connect_callback_intake_seconds_count", { gateway: "xpress-pay", status_code: "200" })).toBe(1);
    expect(sample(text, "xpay_connect_callback_processing_seconds_bucket", { gateway: "xpress-pay", le: "+Inf" })).toBe(1);
    expect(sample(text, "xpay_connect_callbacks_backlog")).toBe(0);
    expect(sample(text, "xpay_connect_http_requests_total", { method: "POST", route: "/v1/payments", status_code: "201" })).toBe(1);
    expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("/metrics: a forged callback counts as rejected, and its intake answer is recorded", async () => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/payments", { gateway: "xpress-pay", method: "jazzcash", order_ref: "OPS-FORGED", amount: "10.00", currency: "PKR", customer: { name: "John Doe" } });
    const url = s.service.ctx.callbackUrl("xpress-pay", String(created.body.id));
    const forged = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ merOrderNo: created.body.id, status: "SUCCESS", amount: "10" }) });
    expect(forged.status).toBe(200);
    const text = await eventually(() => scrape(s), (t) => (sample(t, "xpay_connect_callbacks_processed_total", { gateway: "xpress-pay", outcome: "rejected" }) ?? 0) >= 1);
    expect(sample(text, "xpay_connect_callbacks_processed_total", { gateway: "xpress-pay", outcome: "rejected" })).toBe(1);
    const bad = await fetch(`${s.service.url}/callbacks/xpress-pay/${created.body.id}/not-the-token`, { method: "POST", body: "{}" });
    expect(bad.status).toBe(404);
    const after = await scrape(s);
    expect(sample(after, "xpay_connect_callback_intake_seconds_count", { gateway: "xpress-pay", status_code: "404" })).toBe(1);
    expect((await s.api("GET", `/v1/payments/${created.body.id}`)).body.status).toBe(created.body.status);
  });

  it("/metrics: outbox lag is the age of the oldest undelivered event; zero once delivered", async () => {
    if (!stack) return;
    const s = stack;
    const { db, secrets } = s.service.ctx;
    const [payment] = await db.query<{ id: string }>("select id from payments where merchant_id = $1 order by created_at limit 1", [s.merchantId]);
    expect(payment).toBeDefined();
    // An endpoint that refuses connections and an event 90 s old: the lag must be at least that.
    await db.query("insert into endpoints (id, merchant_id, url, secret_ciphertext, enabled) values ('end_ops_lag', $1, 'http://127.0.0.1:9/nowhere', $2, false)", [s.merchantId, secrets.encrypt("whsec_test")]);
    await db.query("insert into outbox_events (id, merchant_id, payment_id, type, payload, created_at) values ('evt_ops_lag', $1, $2, 'payment.test', '{}', now() - interval '90 seconds')", [s.merchantId, payment?.id]);
    await db.query("insert into deliveries (event_id, endpoint_id) values ('evt_ops_lag', 'end_ops_lag')");
    const lagging = await scrape(s);
    expect(sample(lagging, "xpay_connect_outbox_lag_seconds")).toBeGreaterThanOrEqual(90);
    expect(sample(lagging, "xpay_connect_outbox_undelivered")).toBeGreaterThanOrEqual(1);

    await db.query("update deliveries set delivered_at = now() where event_id = 'evt_ops_lag'");
    // This merchant has no enabled endpoint, so nothing else waits.
    const caughtUp = await scrape(s);
    expect(sample(caughtUp, "xpay_connect_outbox_lag_seconds")).toBe(0);
    expect(sample(caughtUp, "xpay_connect_outbox_undelivered")).toBe(0);
  });

  it("/metrics: reconciliation results by gateway and outcome (the reconciler's `reconcile.result` events)", async () => {
    if (!stack) return;
    const s = stack;
    const { events } = s.service.ctx;
    events.emit("reconcile.result", { gateway: "xpay-kg", outcome: "settled" });
    events.emit("reconcile.result", { gateway: "xpay-kg", outcome: "settled" });
    events.emit("reconcile.result", { gateway: "paypro", outcome: "still_pending" });
    events.emit("reconcile.result", { gateway: "not a gateway", outcome: "<script>" });
    const text = await scrape(s);
    expect(sample(text, "xpay_connect_reconcile_results_total", { gateway: "xpay-kg", outcome: "settled" })).toBe(2);
    expect(sample(text, "xpay_connect_reconcile_results_total", { gateway: "paypro", outcome: "still_pending" })).toBe(1);
    // Labels from events are bounded: unknown values become "other".
    expect(sample(text, "xpay_connect_reconcile_results_total", { gateway: "other", outcome: "other" })).toBe(1);
  });

  it("/readyz: 200 when the database answers and every migration is applied, 503 naming what is missing", async () => {
    if (!stack) return;
    const s = stack;
    const ready = await fetch(`${s.service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { database: "ok", migrations: "ok" } });

    const { db } = s.service.ctx;
    const [first] = await db.query<{ id: number; name: string; applied_at: Date }>("select id, name, applied_at from schema_migrations where id = 1");
    await db.query("delete from schema_migrations where id = 1");
    try {
      const notReady = await fetch(`${s.service.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ ready: false, checks: { database: "ok", migrations: "pending" }, missing_migrations: [1] });
    } finally {
      await db.query("insert into schema_migrations (id, name, applied_at) values ($1, $2, $3)", [first?.id, first?.name, first?.applied_at]);
    }
    expect((await fetch(`${s.service.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${s.service.url}/healthz`)).status).toBe(200);
  });

  it("/readyz: 503 when the database does not answer (liveness stays 200)", async () => {
    if (!stack) return;
    const broken: Db = {
      ...stack.service.ctx.db,
      query: () => Promise.reject(new Error("connection refused")),
    };
    const app = buildApp({ ...stack.service.ctx, db: broken }, [opsRoutes]);
    try {
      await app.listen({ port: 0, host: "127.0.0.1" });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
      const res = await fetch(`${url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ ready: false, checks: { database: "unreachable", migrations: "unknown" } });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      // The database gauges are left empty, not stale, and each failed query is counted (seen by the next scrape).
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(sample(text, "xpay_connect_metrics_db_errors_total")).toBeGreaterThanOrEqual(3);
      expect(sample(text, "xpay_connect_payments", { gateway: "xpress-pay" })).toBeUndefined();
      expect(sample(text, "xpay_connect_outbox_lag_seconds")).toBeNaN();
      expect(sample(text, "xpay_connect_callbacks_backlog")).toBeNaN();
    } finally {
      await app.close();
    }
  });
});
