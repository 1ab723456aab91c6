/**
 * The outbox to storefronts, over real HTTP on PGlite and on real PostgreSQL: each status change of
 * a payment made through the sandbox reaches the merchant's endpoint signed, with a stable event id,
 * exactly once; duplicated callbacks make one event; an endpoint that is down gets every event once
 * it is back; several workers never deliver an event twice; the endpoints API refuses bad input by
 * field and never shows a signing secret again.
 */
import { stableId } from "../src/crypto";
import { startService, type Service } from "../src";
import { configureOutbox, startOutboxWorker, verifyStorefrontSignature } from "../src/outbox";
import { eventually, freshDatabase, postgresAvailable, startStack, type Stack } from "./harness";
import { Receiver, type Receipt } from "./outbox-receiver";

// Time is driven by the schedule: retries come after 20 ms doubling to 200 ms instead of 5 s to 1 h.
configureOutbox({ baseDelayMs: 20, maxDelayMs: 200, pollMs: 50, timeoutMs: 5_000 });

type Json = Record<string, unknown>;

const PAY_IN = { gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" } };

describe.each([["pglite"], ["postgres"]])("outbox on %s", (kind) => {
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

  /** A listening receiver registered as an endpoint of the test merchant. */
  async function endpoint(s: Stack): Promise<{ receiver: Receiver; id: string; secret: string }> {
    const receiver = await new Receiver().listen();
    receivers.push(receiver);
    const created = await s.api("POST", "/v1/endpoints", { url: receiver.url });
    expect(created.status).toBe(201);
    return { receiver, id: String(created.body.id), secret: String(created.body.secret) };
  }

  /** A pay-in through the sandbox, approved by the shopper; resolves once it succeeded. */
  async function paidPayment(s: Stack, orderRef: string): Promise<string> {
    const created = await s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: orderRef });
    expect(created.status).toBe(201);
    expect((await s.act("xpress-pay", String(created.body.gateway_ref), "approve")).status).toBe(200);
    await eventually(() => s.api("GET", `/v1/payments/${created.body.id}`), (r) => r.body.status === "succeeded");
    return String(created.body.id);
  }

  /** The outbox events of a payment, oldest first. */
  function eventsOf(s: Stack, paymentId: string) {
    return s.service.ctx.db.query<{ id: string; type: string }>("select id, type from outbox_events where payment_id = $1 order by created_at, id", [paymentId]);
  }

  /** The payment's deliveries to one endpoint. */
  function deliveriesOf(s: Stack, paymentId: string, endpointId: string) {
    return s.service.ctx.db.query<{ event_id: string; attempts: number; delivered_at: Date | null; last_status: number | null; last_error: string | null }>(
      "select d.event_id, d.attempts, d.delivered_at, d.last_status, d.last_error from deliveries d join outbox_events o on o.id = d.event_id where o.payment_id = $1 and d.endpoint_id = $2",
      [paymentId, endpointId],
    );
  }

  /** Waits until every delivery of the payment to the endpoint is acknowledged. */
  async function allDelivered(s: Stack, paymentId: string, endpointId: string): Promise<void> {
    await eventually(() => deliveriesOf(s, paymentId, endpointId), (rows) => rows.length > 0 && rows.every((r) => r.delivered_at !== null));
  }

  /** Checks one accepted receipt of each event of the payment: signed with `secret`, the stable id, the event as stored. */
  function expectEachOnceSigned(receiver: Receiver, events: { id: string; type: string }[], paymentId: string, secret: string): Receipt[] {
    const accepted = receiver.accepted();
    return events.map((e) => {
      const got = accepted.get(e.id) ?? [];
      expect(got).toHaveLength(1);
      const r = got[0] as Receipt;
      expect(verifyStorefrontSignature(r.signature, r.body, secret)).toBe(true);
      expect(r.headers["content-type"]).toBe("application/json");
      const body = JSON.parse(r.body) as Json;
      expect(body).toMatchObject({ id: e.id, type: e.type, data: { id: paymentId, object: "payment", status: e.type.replace("payment.", "") } });
      expect(e.id).toBe(stableId("evt", paymentId, e.type));
      return r;
    });
  }

  it("refuses bad input to every endpoints route with a 4xx naming the field", async () => {
    if (!stack) return;
    const s = stack;
    const cases: [string, string, unknown, string][] = [
      ["POST", "/v1/endpoints", {}, "url"],
      ["POST", "/v1/endpoints", { url: "" }, "url"],
      ["POST", "/v1/endpoints", { url: 42 }, "url"],
      ["POST", "/v1/endpoints", { url: "not a url" }, "url"],
      ["POST", "/v1/endpoints", { url: "ftp://shop.example/hook" }, "url"],
      ["POST", "/v1/endpoints", { url: `https://shop.example/${"x".repeat(2100)}` }, "url"],
      ["POST", "/v1/endpoints", { url: "https://shop.example/hook", description: 7 }, "description"],
      ["POST", "/v1/endpoints", "[1, 2]", "body"],
      ["POST", "/v1/endpoints", "{not json", "body"],
      ["DELETE", "/v1/endpoints/end_nope", undefined, "id"],
      ["POST", "/v1/endpoints/end_nope/rotate-secret", {}, "id"],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await s.api(method, path, body);
      expect({ method, path, status: res.status < 500 && res.status >= 400 }).toEqual({ method, path, status: true });
      expect((res.body.error as Json).field).toBe(field);
      expect(typeof (res.body.error as Json).message).toBe("string");
    }
    const { id } = await endpoint(s);
    for (const grace of [-1, 1.5, "60", 8 * 86_400]) {
      const res = await s.api("POST", `/v1/endpoints/${id}/rotate-secret`, { grace_seconds: grace });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "invalid_input", field: "grace_seconds" });
    }
    // Another merchant's key cannot see, disable or rotate this endpoint.
    const other = await s.service.ctx.merchants.create("Other store");
    const asOther = (method: string, path: string) => fetch(s.service.url + path, { method, headers: { authorization: `Bearer ${other.apiKey}` } });
    expect((await asOther("DELETE", `/v1/endpoints/${id}`)).status).toBe(404);
    expect((await asOther("POST", `/v1/endpoints/${id}/rotate-secret`)).status).toBe(404);
    expect(((await (await asOther("GET", "/v1/endpoints")).json()) as { data: unknown[] }).data).toEqual([]);
    const anonymous = await fetch(`${s.service.url}/v1/endpoints`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: Json }).error.field).toBe("Authorization");
    // A disabled endpoint cannot be rotated, and nothing about it was lost.
    expect((await s.api("DELETE", `/v1/endpoints/${id}`)).body).toMatchObject({ id, enabled: false });
    const rotated = await s.api("POST", `/v1/endpoints/${id}/rotate-secret`, {});
    expect(rotated.status).toBe(409);
    expect((rotated.body.error as Json).field).toBe("id");
    expect(((await s.api("GET", "/v1/endpoints")).body.data as Json[]).find((e) => e.id === id)).toMatchObject({ id, enabled: false });
  });

  it("shows the signing secret once, stores it encrypted, and never lists it", async () => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/endpoints", { url: "https://shop.example/xpay-connect/events", description: "main store" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: "endpoint", url: "https://shop.example/xpay-connect/events", description: "main store", enabled: true });
    const secret = String(created.body.secret);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const rotated = await s.api("POST", `/v1/endpoints/${created.body.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const secret2 = String(rotated.body.secret);
    expect(secret2).toMatch(/^whsec_/);
    expect(secret2).not.toBe(secret);
    const listed = await s.api("GET", "/v1/endpoints");
    expect(listed.status).toBe(200);
    const text = JSON.stringify(listed.body);
    expect(text).toContain(String(created.body.id));
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret2);
    expect(text).not.toMatch(/whsec_|secret_ciphertext|"secret"/);
    const [row] = await s.service.ctx.db.query<{ secret_ciphertext: string; previous_secret_ciphertext: string }>("select * from endpoints where id = $1", [created.body.id]);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret2);
    expect(s.service.ctx.secrets.decrypt(String(row?.secret_ciphertext))).toBe(secret2);
    expect(s.service.ctx.secrets.decrypt(String(row?.previous_secret_ciphertext))).toBe(secret);
    await s.api("DELETE", `/v1/endpoints/${created.body.id}`);
  });

  it("delivers every status change of a sandbox payment, signed, with a stable id, exactly once", async () => {
    if (!stack) return;
    const s = stack;
    const { receiver, id, secret } = await endpoint(s);
    const paymentId = await paidPayment(s, "ORDER-OUTBOX-1");
    await allDelivered(s, paymentId, id);
    const events = await eventsOf(s, paymentId);
    expect(events.map((e) => e.type)).toContain("payment.succeeded");
    const receipts = expectEachOnceSigned(receiver, events, paymentId, secret);
    // The signature binds the body: the same bytes changed by one character do not verify.
    const last = receipts[receipts.length - 1] as Receipt;
    expect(verifyStorefrontSignature(last.signature, last.body.replace("succeeded", "succeedeD"), secret)).toBe(false);
    expect(verifyStorefrontSignature(last.signature, last.body, "whsec_not_the_secret")).toBe(false);
    // The API's timeline and the deliveries agree: one delivery per event, acknowledged on the first attempt.
    for (const d of await deliveriesOf(s, paymentId, id)) expect(d).toMatchObject({ attempts: 1, last_status: 200 });
    await s.api("DELETE", `/v1/endpoints/${id}`);
  });

  it("five duplicated callbacks: one transition, one outbox event, one delivery", async () => {
    if (!stack) return;
    const s = stack;
    const { receiver, id, secret } = await endpoint(s);
    const mode = (body: Json) => fetch(`${s.sandbox.url}/_sandbox/callbacks/mode`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await mode({ gateway: "xpress-pay", mode: "duplicate", copies: 5 })).status).toBe(200);
    try {
      const paymentId = await paidPayment(s, "ORDER-OUTBOX-DUP");
      expect((await fetch(`${s.sandbox.url}/_sandbox/callbacks/idle`, { method: "POST" })).status).toBe(200);
      // Every copy was stored and processed before counting.
      await eventually(
        () => s.service.ctx.db.query<{ n: number; open: number }>("select count(*)::int as n, count(*) filter (where state in ('received', 'retry'))::int as open from callbacks where payment_id = $1", [paymentId]),
        ([c]) => Number(c?.n) >= 5 && Number(c?.open) === 0,
      );
      await allDelivered(s, paymentId, id);
      const transitions = await s.service.ctx.db.query("select 1 from payment_events where payment_id = $1 and type = 'status_changed' and to_status = 'succeeded'", [paymentId]);
      expect(transitions).toHaveLength(1);
      const events = await eventsOf(s, paymentId);
      expect(events.filter((e) => e.type === "payment.succeeded")).toHaveLength(1);
      expect(new Set(events.map((e) => e.type)).size).toBe(events.length);
      expectEachOnceSigned(receiver, events, paymentId, secret);
      expect(receiver.receipts.filter((r) => events.some((e) => e.id === r.eventId))).toHaveLength(events.length);
    } finally {
      await mode({ gateway: "xpress-pay", mode: "normal" });
      await s.api("DELETE", `/v1/endpoints/${id}`);
    }
  });

  it("an endpoint answering 500 receives every event once it is back, the same bytes each attempt", async () => {
    if (!stack) return;
    const s = stack;
    const { receiver, id, secret } = await endpoint(s);
    receiver.setMode("fail");
    const paymentId = await paidPayment(s, "ORDER-OUTBOX-500");
    const events = await eventsOf(s, paymentId);
    // Every event has been refused at least twice (retries are happening) before the storefront recovers.
    await eventually(() => deliveriesOf(s, paymentId, id), (rows) => rows.length === events.length && rows.every((r) => r.attempts >= 2 && r.last_status === 500));
    expect((await deliveriesOf(s, paymentId, id)).every((r) => r.delivered_at === null && /^HTTP 500: storefront exploded/.test(String(r.last_error)))).toBe(true);
    receiver.setMode("ok");
    await allDelivered(s, paymentId, id);
    expectEachOnceSigned(receiver, events, paymentId, secret);
    for (const e of events) {
      const attempts = receiver.receipts.filter((r) => r.eventId === e.id);
      expect(attempts.length).toBeGreaterThanOrEqual(3);
      expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
      expect(attempts.every((r) => verifyStorefrontSignature(r.signature, r.body, secret))).toBe(true);
    }
    await s.api("DELETE", `/v1/endpoints/${id}`);
  });

  it("an endpoint that is not listening receives every event once it is back", async () => {
    if (!stack) return;
    const s = stack;
    const { receiver, id, secret } = await endpoint(s);
    await receiver.close();
    const paymentId = await paidPayment(s, "ORDER-OUTBOX-DOWN");
    const events = await eventsOf(s, paymentId);
    await eventually(() => deliveriesOf(s, paymentId, id), (rows) => rows.length === events.length && rows.some((r) => r.attempts >= 2 && /^unreachable/.test(String(r.last_error))));
    expect((await deliveriesOf(s, paymentId, id)).every((r) => r.delivered_at === null)).toBe(true);
    expect(receiver.receipts).toHaveLength(0);
    await receiver.listen();
    await allDelivered(s, paymentId, id);
    expectEachOnceSigned(receiver, events, paymentId, secret);
    expect(receiver.receipts).toHaveLength(events.length);
    await s.api("DELETE", `/v1/endpoints/${id}`);
  });

  it("signs with the new and the previous secret during a rotation's grace period, with the new one alone after", async () => {
    if (!stack) return;
    const s = stack;
    const { receiver, id, secret: first } = await endpoint(s);
    const rotated = await s.api("POST", `/v1/endpoints/${id}/rotate-secret`, { grace_seconds: 3600 });
    expect(rotated.status).toBe(200);
    expect(typeof rotated.body.previous_secret_expires_at).toBe("string");
    const second = String(rotated.body.secret);
    const p1 = await paidPayment(s, "ORDER-OUTBOX-ROT1");
    await allDelivered(s, p1, id);
    for (const r of expectEachOnceSigned(receiver, await eventsOf(s, p1), p1, second)) {
      expect(r.signature.match(/v1=/g)).toHaveLength(2);
      expect(verifyStorefrontSignature(r.signature, r.body, first)).toBe(true);
    }
    const again = await s.api("POST", `/v1/endpoints/${id}/rotate-secret`, { grace_seconds: 0 });
    expect(again.body.previous_secret_expires_at).toBeNull();
    const third = String(again.body.secret);
    const p2 = await paidPayment(s, "ORDER-OUTBOX-ROT2");
    await allDelivered(s, p2, id);
    for (const r of expectEachOnceSigned(receiver, await eventsOf(s, p2), p2, third)) {
      expect(r.signature.match(/v1=/g)).toHaveLength(1);
      expect(verifyStorefrontSignature(r.signature, r.body, second)).toBe(false);
      expect(verifyStorefrontSignature(r.signature, r.body, first)).toBe(false);
    }
    await s.api("DELETE", `/v1/endpoints/${id}`);
  });

  it("a disabled endpoint gets nothing more; its waiting deliveries are given up, not lost from the record", async () => {
    if (!stack) return;
    const s = stack;
    const live = await endpoint(s);
    const gone = await endpoint(s);
    gone.receiver.setMode("fail");
    const p1 = await paidPayment(s, "ORDER-OUTBOX-GONE1");
    await eventually(() => deliveriesOf(s, p1, gone.id), (rows) => rows.some((r) => r.attempts >= 1));
    const disabled = await s.api("DELETE", `/v1/endpoints/${gone.id}`);
    expect(disabled.body).toMatchObject({ id: gone.id, enabled: false, disabled_at: expect.any(String) });
    const waiting = await s.service.ctx.db.query("select 1 from deliveries where endpoint_id = $1 and delivered_at is null and abandoned_at is null", [gone.id]);
    expect(waiting).toHaveLength(0);
    const before = gone.receiver.receipts.length;
    const p2 = await paidPayment(s, "ORDER-OUTBOX-GONE2");
    await allDelivered(s, p2, live.id);
    expect(await deliveriesOf(s, p2, gone.id)).toHaveLength(0);
    // The in-flight attempt at the moment of disabling may land; nothing is sent after it.
    expect(gone.receiver.receipts.length - before).toBeLessThanOrEqual(1);
    expect(gone.receiver.receipts.filter((r) => r.body.includes(p2))).toHaveLength(0);
    await s.api("DELETE", `/v1/endpoints/${live.id}`);
  });

  it("several workers (and, on PostgreSQL, a second instance) never deliver an event twice", async () => {
    if (!stack) return;
    const s = stack;
    const { receiver, id, secret } = await endpoint(s);
    const extra = [startOutboxWorker(s.service.ctx), startOutboxWorker(s.service.ctx), startOutboxWorker(s.service.ctx)];
    let second: Service | undefined;
    try {
      if (databaseUrl) {
        second = await startService({ port: 0, dataDir: ":memory:", databaseUrl, masterKey: s.service.ctx.config.masterKey, allowPrivateEndpoints: true }, { log: s.service.ctx.log });
      }
      const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => paidPayment(s, `ORDER-OUTBOX-MANY-${i}`)));
      for (const p of ids) await allDelivered(s, p, id);
      for (const p of ids) expectEachOnceSigned(receiver, await eventsOf(s, p), p, secret);
      const counts = new Map<string, number>();
      for (const r of receiver.receipts) counts.set(r.eventId, (counts.get(r.eventId) ?? 0) + 1);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await Promise.all(extra.map((w) => w.stop()));
      await second?.stop();
      await s.api("DELETE", `/v1/endpoints/${id}`);
    }
  });
});
