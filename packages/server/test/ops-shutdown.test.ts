/**
 * Graceful shutdown over real HTTP, on a PGlite data directory and on real PostgreSQL: a callback
 * being verified when stop() is called is finished; callbacks stored but not yet claimed wait for
 * the next start; none is lost and none half-applied; the next start applies each exactly once.
 * A request in flight finishes, and a request arriving during shutdown gets 503.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { XPRESS_PAY_APP_ID, startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { openDb, startService, type Service, type ServerConfig } from "../src";
import type { Db } from "../src/db/db";
import { eventually, freshDatabase, postgresAvailable } from "./harness";

const PAYMENTS = 5;
/** How long the sandbox holds the first verification query: the window in which stop() is called. */
const HELD_QUERY_MS = 4000;

interface CallbackRow {
  id: number;
  payment_id: string;
  state: string;
  attempts: number;
  raw_body: string;
}

describe.each([["pglite"], ["postgres"]])("graceful shutdown on %s", (kind) => {
  let sandbox: SandboxHandle;
  let config: Partial<ServerConfig> | undefined;
  let service: Service | undefined;
  let drop: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;
  let apiKey = "";
  const paymentIds: string[] = [];

  const start = () => startService(config);
  const api = async (s: Service, method: string, p: string, body?: unknown) => {
    const res = await fetch(s.url + p, { method, headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** Reads the database between two runs of the service (PGlite is one process: the service must be stopped). */
  const withDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    const db = await openDb({ databaseUrl: config?.databaseUrl, dataDir: dataDir ?? ":memory:" });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  const callbackRows = (db: Db) => db.query<CallbackRow>("select id::int as id, payment_id, state, attempts, body as raw_body from callbacks_readable where payment_id = any($1) order by id", [paymentIds]);

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 11, retryScale: 0.001 });
    let databaseUrl: string | undefined;
    if (kind === "postgres") {
      if (!(await postgresAvailable())) return;
      const db = await freshDatabase();
      drop = db.drop;
      databaseUrl = db.url;
    } else {
      dataDir = mkdtempSync(path.join(tmpdir(), "xc-shutdown-"));
    }
    // Reconciliation must not settle anything behind the callbacks' back during the test.
    config = { port: 0, masterKey: randomBytes(32).toString("hex"), databaseUrl, dataDir: dataDir ?? ":memory:", logLevel: "silent", reconcileAfterMs: 3_600_000 };
    service = await start();
    const created = await service.ctx.merchants.create("Shutdown store");
    apiKey = created.apiKey;
    await service.ctx.merchants.setGatewayAccount(created.merchant.id, "xpress-pay", { baseUrl: `${sandbox.url}/xpress-pay`, appId: XPRESS_PAY_APP_ID });
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await sandbox.close();
    await drop?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("stop() finishes the callback being verified and leaves stored ones for the next start; none lost, none half-applied", async () => {
    if (!service) return;
    const s = service;
    for (let i = 0; i < PAYMENTS; i++) {
      const created = await api(s, "POST", "/v1/payments", { gateway: "xpress-pay", method: "easypaisa", order_ref: `SHUTDOWN-${i}`, amount: "100.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" } });
      expect(created.status).toBe(201);
      paymentIds.push(String(created.body.id));
    }
    const refs = await s.ctx.db.query<{ id: string; gateway_ref: string }>("select id, gateway_ref from payments where id = any($1)", [paymentIds]);
    const refOf = (id: string) => refs.find((r) => r.id === id)?.gateway_ref ?? "";

    // The first callback's query-back is held by the sandbox, so its verification is in flight.
    sandbox.faults.add({ gateway: "xpress-pay", operation: "payInQuery", kind: "latency", ms: HELD_QUERY_MS });
    const [first, ...rest] = paymentIds as [string, ...string[]];
    await fetch(`${sandbox.url}/_sandbox/xpress-pay/orders/${refOf(first)}/approve`, { method: "POST" });
    await eventually(() => callbackRows(s.ctx.db), (rows) => rows.some((r) => r.payment_id === first && r.attempts === 1 && r.state === "received"));
    for (const id of rest) await fetch(`${sandbox.url}/_sandbox/xpress-pay/orders/${refOf(id)}/approve`, { method: "POST" });
    const atStop = await eventually(() => callbackRows(s.ctx.db), (rows) => rows.length === PAYMENTS);
    // At this instant: one callback claimed and being verified, the others stored and acknowledged but unclaimed.
    expect(atStop.map((r) => [r.payment_id, r.state, r.attempts])).toEqual([[first, "received", 1], ...rest.map((id) => [id, "received", 0])]);

    await s.stop();
    service = undefined;

    await withDb(async (db) => {
      const rows = await callbackRows(db);
      // None lost: every callback the sandbox saw acknowledged is stored.
      const acked = sandbox.callbacks.log.filter((d) => d.gateway === "xpress-pay" && d.state === "acked").map((d) => d.body).sort();
      expect(rows.map((r) => r.raw_body).sort()).toEqual(acked);
      expect(acked).toHaveLength(PAYMENTS);
      // The one in flight was finished; the others were left untouched for the next start.
      expect(rows.map((r) => [r.payment_id, r.state])).toEqual([[first, "applied"], ...rest.map((id) => [id, "received"])]);
      expect(rows.filter((r) => r.state === "received").every((r) => r.attempts === 0)).toBe(true);
      // None half-applied: a payment is succeeded exactly when its status change and its outbox event exist.
      for (const id of paymentIds) {
        const [p] = await db.query<{ status: string }>("select status from payments where id = $1", [id]);
        const changes = await db.query("select 1 from payment_events where payment_id = $1 and type = 'status_changed' and to_status = 'succeeded'", [id]);
        const outbox = await db.query("select 1 from outbox_events where payment_id = $1 and type = 'payment.succeeded'", [id]);
        const done = id === first;
        expect([id, p?.status, changes.length, outbox.length]).toEqual([id, done ? "succeeded" : expect.not.stringMatching(/^succeeded$/), done ? 1 : 0, done ? 1 : 0]);
      }
    });
  });

  it("the next start applies every waiting callback exactly once", async () => {
    if (!config) return;
    service = await start();
    const s = service;
    for (const id of paymentIds) await eventually(() => api(s, "GET", `/v1/payments/${id}`), (r) => r.body.status === "succeeded");
    await eventually(() => callbackRows(s.ctx.db), (rows) => rows.every((r) => r.state === "applied"));
    for (const id of paymentIds) {
      const changes = await s.ctx.db.query("select 1 from payment_events where payment_id = $1 and type = 'status_changed' and to_status = 'succeeded'", [id]);
      const outbox = await s.ctx.db.query("select 1 from outbox_events where payment_id = $1 and type = 'payment.succeeded'", [id]);
      expect([id, changes.length, outbox.length]).toEqual([id, 1, 1]);
    }
  });

  it("a request in flight during stop() finishes; a request arriving during shutdown gets 503", async () => {
    if (!service) return;
    const s = service;
    const port = Number(new URL(s.url).port);
    // The payment's creation at the gateway is held, so its request is in flight when stop() is called.
    sandbox.faults.add({ gateway: "xpress-pay", operation: "payInCreate", kind: "latency", ms: 2000 });
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (d: Buffer) => (received += d.toString()));
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    const body = JSON.stringify({ gateway: "xpress-pay", method: "jazzcash", order_ref: "SHUTDOWN-INFLIGHT", amount: "10.00", currency: "PKR", customer: { name: "John Doe" } });
    socket.write(
      `POST /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${apiKey}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`,
    );
    await eventually(() => s.ctx.db.query("select 1 from payments where order_ref = 'SHUTDOWN-INFLIGHT'"), (rows) => rows.length === 1);

    const stopping = s.stop();
    service = undefined;
    // Shutdown has begun once a new connection is refused (or answered 503).
    await eventually(
      () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => "refused"),
      (v) => v === "refused" || v === 503,
    );
    // A request arriving now, on the connection still open for the request in flight.
    socket.write("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await stopping;
    await closed;

    // Responses follow each other on the socket (the 503 right after the 201's body).
    const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([201, 503]);
    expect(received).toContain('"order_ref":"SHUTDOWN-INFLIGHT"');
    const stored = await withDb((db) => db.query<{ gateway_ref: string | null }>("select gateway_ref from payments where order_ref = 'SHUTDOWN-INFLIGHT'"));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.gateway_ref).toEqual(expect.any(String));
  });
});
