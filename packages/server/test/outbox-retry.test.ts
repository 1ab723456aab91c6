/**
 * The outbox's retry schedule and failure handling, on PGlite and on real PostgreSQL: the
 * production schedule (pure), an endpoint that hangs (timeouts), an unreachable endpoint whose
 * backlog waits behind one probe, deliveries given up after the give-up age, and stop() finishing a
 * delivery in flight. Time is driven by a scaled schedule and by ageing events in the database.
 */
import { Client } from "pg";
import { DEFAULT_OUTBOX_OPTIONS, configureOutbox, retryDelayMs, verifyStorefrontSignature } from "../src/outbox";
import { eventually, freshDatabase, postgresAvailable, startStack, type Stack } from "./harness";
import { Receiver } from "./outbox-receiver";

configureOutbox({ baseDelayMs: 20, maxDelayMs: 100, pollMs: 50, timeoutMs: 1_500, giveUpAfterMs: 3_600_000 });

const PAY_IN = { gateway: "xpress-pay", method: "easypaisa", amount: "250.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" } };

describe("the production retry schedule", () => {
  it("starts at 5 s, doubles, caps at 1 h, with a reproducible jitter of at most 10 %", () => {
    const plain = [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600].map((s) => s * 1000);
    plain.forEach((ms, i) => {
      const d = retryDelayMs(i + 1, "evt_a\u0000end_a");
      expect(d).toBeGreaterThanOrEqual(ms);
      expect(d).toBeLessThanOrEqual(Math.min(3_600_000, ms * 1.1));
      expect(retryDelayMs(i + 1, "evt_a\u0000end_a")).toBe(d);
    });
    expect(retryDelayMs(500, "x")).toBe(3_600_000);
    // Different deliveries failing together come back at different instants.
    expect(new Set(["a", "b", "c", "d"].map((k) => retryDelayMs(3, k))).size).toBeGreaterThan(1);
  });

  it("keeps retrying for more than 24 hours (hourly after the first hour and a half) and gives up after 72", () => {
    expect(DEFAULT_OUTBOX_OPTIONS.giveUpAfterMs).toBe(72 * 3_600_000);
    let elapsed = 0;
    let attempts = 0;
    let inFirstDay = 0;
    while (elapsed < DEFAULT_OUTBOX_OPTIONS.giveUpAfterMs) {
      attempts += 1;
      if (elapsed < 24 * 3_600_000) inFirstDay += 1;
      elapsed += retryDelayMs(attempts, "evt\u0000end");
    }
    expect(inFirstDay).toBeGreaterThanOrEqual(30);
    expect(attempts).toBeGreaterThanOrEqual(78);
    expect(retryDelayMs(12, "evt\u0000end")).toBe(3_600_000);
  });
});

describe.each([["pglite"], ["postgres"]])("outbox failures on %s", (kind) => {
  let stack: Stack | undefined;
  let drop: (() => Promise<void>) | undefined;
  let databaseUrl: string | undefined;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    if (kind === "postgres") {
      if (!(await postgresAvailable())) return;
      const db = await freshDatabase();
      drop = db.drop;
      databaseUrl = db.url;
      stack = await startStack({ databaseUrl });
    } else {
      stack = await startStack();
    }
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all(receivers.map((r) => r.close()));
    await drop?.();
  });

  async function endpoint(s: Stack): Promise<{ receiver: Receiver; id: string; secret: string }> {
    const receiver = await new Receiver().listen();
    receivers.push(receiver);
    const created = await s.api("POST", "/v1/endpoints", { url: receiver.url });
    expect(created.status).toBe(201);
    return { receiver, id: String(created.body.id), secret: String(created.body.secret) };
  }

  async function paidPayment(s: Stack, orderRef: string): Promise<string> {
    const created = await s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: orderRef });
    expect(created.status).toBe(201);
    expect((await s.act("xpress-pay", String(created.body.gateway_ref), "approve")).status).toBe(200);
    await eventually(() => s.api("GET", `/v1/payments/${created.body.id}`), (r) => r.body.status === "succeeded");
    return String(created.body.id);
  }

  interface Row {
    event_id: string;
    attempts: number;
    delivered_at: Date | null;
    abandoned_at: Date | null;
    last_status: number | null;
    last_error: string | null;
    due: string;
    created_at: Date;
  }

  /** The deliveries to an endpoint, oldest event first. */
  function deliveries(s: Stack, endpointId: string): Promise<Row[]> {
    return s.service.ctx.db.query<Row>(
      `select d.event_id, d.attempts, d.delivered_at, d.abandoned_at, d.last_status, d.last_error, d.next_attempt_at::text as due, o.created_at
       from deliveries d join outbox_events o on o.id = d.event_id where d.endpoint_id = $1 order by o.created_at, o.id`,
      [endpointId],
    );
  }

  it("an endpoint that hangs times out, is retried, and gets each event once when it answers again", async () => {
    if (!stack) return;
    const s = stack;
    const { receiver, id, secret } = await endpoint(s);
    receiver.setMode("hang");
    await paidPayment(s, "ORDER-RETRY-HANG");
    await eventually(() => deliveries(s, id), (rows) => rows.length > 0 && rows.some((r) => r.attempts >= 2 && r.last_error === "timeout after 1500 ms"), 30_000);
    receiver.setMode("ok");
    await eventually(() => deliveries(s, id), (rows) => rows.every((r) => r.delivered_at !== null), 30_000);
    const accepted = receiver.accepted();
    for (const r of await deliveries(s, id)) {
      expect(accepted.get(r.event_id)).toHaveLength(1);
      expect(verifyStorefrontSignature(accepted.get(r.event_id)?.[0]?.signature, accepted.get(r.event_id)?.[0]?.body ?? "", secret)).toBe(true);
    }
    await s.api("DELETE", `/v1/endpoints/${id}`);
  });

  it("an unreachable endpoint is probed with its oldest event while the rest of its backlog waits, then gets everything", async () => {
    if (!stack) return;
    const s = stack;
    const { receiver, id, secret } = await endpoint(s);
    await receiver.close();
    for (const n of [1, 2, 3]) await paidPayment(s, `ORDER-RETRY-DOWN-${n}`);
    // Once the backlog is claimed together it stays together: every row due at the same instant.
    const synced = await eventually(
      () => deliveries(s, id),
      (rows) => rows.length >= 3 && new Set(rows.map((r) => r.due)).size === 1 && (rows[0]?.attempts ?? 0) >= 1,
    );
    const head = synced[0] as Row;
    await eventually(() => deliveries(s, id), (rows) => (rows[0]?.attempts ?? 0) >= head.attempts + 3);
    const later = await deliveries(s, id);
    expect(later[0]?.event_id).toBe(head.event_id);
    expect(later[0]?.last_error).toMatch(/^unreachable/);
    // Only the oldest event was tried while the endpoint was down.
    expect(later.slice(1).map((r) => r.attempts)).toEqual(synced.slice(1).map((r) => r.attempts));
    await receiver.listen();
    await eventually(() => deliveries(s, id), (rows) => rows.every((r) => r.delivered_at !== null));
    const accepted = receiver.accepted();
    for (const r of later) {
      expect(accepted.get(r.event_id)).toHaveLength(1);
      expect(verifyStorefrontSignature(accepted.get(r.event_id)?.[0]?.signature, accepted.get(r.event_id)?.[0]?.body ?? "", secret)).toBe(true);
    }
    // Events are sent oldest first once the endpoint is back.
    expect(receiver.receipts.map((r) => r.eventId)).toEqual(later.map((r) => r.event_id));
    await s.api("DELETE", `/v1/endpoints/${id}`);
  });

  it("a delivery still refused after the give-up age is abandoned, kept on record, and never sent again", async () => {
    if (!stack) return;
    const s = stack;
    const { receiver, id } = await endpoint(s);
    receiver.setMode("fail");
    const paymentId = await paidPayment(s, "ORDER-RETRY-GIVEUP");
    await eventually(() => deliveries(s, id), (rows) => rows.length > 0 && rows.every((r) => r.attempts >= 1));
    // Age the events past the give-up age (1 h here, 72 h in production) instead of waiting.
    await s.service.ctx.db.query("update outbox_events set created_at = created_at - interval '2 hours' where payment_id = $1", [paymentId]);
    const given = await eventually(() => deliveries(s, id), (rows) => rows.every((r) => r.abandoned_at !== null));
    for (const r of given) expect(r).toMatchObject({ delivered_at: null, last_status: 500 });
    const tries = receiver.receipts.length;
    expect(tries).toBe(given.reduce((n, r) => n + Number(r.attempts), 0));
    // The storefront recovers: a newer payment's events arrive, the abandoned ones do not.
    receiver.setMode("ok");
    const next = await paidPayment(s, "ORDER-RETRY-AFTER");
    await eventually(
      () => s.service.ctx.db.query<{ open: number }>("select count(*)::int as open from deliveries d join outbox_events o on o.id = d.event_id where o.payment_id = $1 and d.delivered_at is null", [next]),
      ([r]) => Number(r?.open) === 0,
    );
    expect(receiver.receipts.slice(tries).filter((r) => given.some((g) => g.event_id === r.eventId))).toHaveLength(0);
    await s.api("DELETE", `/v1/endpoints/${id}`);
  });

  // Last: it stops the stack.
  it("stop() waits for a delivery in flight and records it", async () => {
    if (!stack) return;
    const s = stack;
    const { receiver, id } = await endpoint(s);
    receiver.setMode("hang");
    const delivered: string[] = [];
    s.service.ctx.events.on("outbox.delivered", (e: { eventId: string }) => delivered.push(e.eventId));
    await paidPayment(s, "ORDER-RETRY-STOP");
    const held = await eventually(async () => receiver.receipts.filter((r) => r.answered === 0), (r) => r.length > 0);
    const eventId = held[0]?.eventId as string;
    expect(delivered).not.toContain(eventId);
    const stopping = s.stop();
    receiver.answerHeld(200);
    await stopping;
    expect(delivered).toContain(eventId);
    if (databaseUrl) {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      const { rows } = await client.query("select delivered_at from deliveries where event_id = $1 and endpoint_id = $2", [eventId, id]);
      await client.end();
      expect(rows[0]?.delivered_at).not.toBeNull();
    }
  });
});
