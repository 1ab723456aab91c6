/**
 * Nothing is created or sent twice: payouts need an Idempotency-Key, an order holds one pay-in at a
 * time, concurrent twins answer 409, a key whose request died is reclaimed without a second create,
 * and a create's late answer never undoes what a faster callback settled. Real HTTP, the sandbox as
 * the gateway, on PGlite and on PostgreSQL.
 */
import { sandboxAccounts } from "../src/demo/sandbox-merchant";
import { eventually, useStack, type Stack } from "./harness";

type Json = Record<string, unknown>;

const PAY_IN = { gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" } };
const PAYOUT = { gateway: "xpress-pay", method: "easypaisa", amount: "250.00", currency: "PKR", recipient: { name: "Ali Khan", mobile: "03112233445" } };

/** The sandbox's Xpress Pay orders of one kind. */
function gatewayOrders(s: Stack, kind: "payin" | "payout"): { kind: string; merchantRef: string; gatewayRef: string }[] {
  return ((s.sandbox.emulators.get("xpress-pay")?.orders() ?? []) as { kind: string; merchantRef: string; gatewayRef: string }[]).filter((o) => o.kind === kind);
}

/** Our payments (pay-ins and payouts) for an order reference. */
async function stored(s: Stack, orderRef: string): Promise<{ id: string; status: string }[]> {
  return s.service.ctx.db.query("select id, status from payments where order_ref = $1 order by created_at", [orderRef]);
}

async function settled(s: Stack, id: string, status: string): Promise<Json> {
  return (await eventually(() => s.api("GET", `/v1/payments/${id}`), (r) => r.body.status === status)).body;
}

describe.each(["pglite", "postgres"])("never twice on %s", (kind) => {
  let stack: Stack | undefined;
  useStack(kind, (s) => (stack = s));

  it("a payout without an Idempotency-Key is a 400 naming the header; nothing is stored or sent", async () => {
    if (!stack) return;
    const s = stack;
    const sent = gatewayOrders(s, "payout").length;
    const r = await s.api("POST", "/v1/payouts", { ...PAYOUT, order_ref: "PO-NOKEY" });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: "invalid_input", field: "Idempotency-Key" });
    expect(String((r.body.error as Json).message)).toMatch(/^Idempotency-Key: expected an Idempotency-Key header/);
    expect(await stored(s, "PO-NOKEY")).toEqual([]);
    expect(gatewayOrders(s, "payout")).toHaveLength(sent);
    const keyed = await s.api("POST", "/v1/payouts", { ...PAYOUT, order_ref: "PO-NOKEY" }, { "idempotency-key": "po-nokey-1" });
    expect(keyed.status).toBe(201);
  });

  it("two creates for one open order: the second is a 409 carrying the first; after a decline a new attempt is made; a paid order takes no other", async () => {
    if (!stack) return;
    const s = stack;
    const first = await s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "ORDER-TWICE" });
    expect(first.status).toBe(201);
    const sent = gatewayOrders(s, "payin").length;

    for (const again of [{ ...PAY_IN, order_ref: "ORDER-TWICE" }, { ...PAY_IN, amount: "1600.00", order_ref: "ORDER-TWICE" }]) {
      const second = await s.api("POST", "/v1/payments", again, { "idempotency-key": `twice-${again.amount}` });
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({ code: "order_has_open_payment", field: "order_ref", payment_id: first.body.id, payment: { id: first.body.id, status: first.body.status } });
    }
    expect(gatewayOrders(s, "payin")).toHaveLength(sent);
    // The refused create stored nothing, not even its key: once the order is free, the same key creates.
    expect(await s.service.ctx.db.query("select key from idempotency_keys where key like 'twice-%'")).toEqual([]);

    await s.act("xpress-pay", String(first.body.gateway_ref), "decline");
    await settled(s, String(first.body.id), "failed");
    const retry = await s.api("POST", "/v1/payments", { ...PAY_IN, amount: "1600.00", order_ref: "ORDER-TWICE" }, { "idempotency-key": "twice-1600.00" });
    expect(retry.status).toBe(201);
    expect(retry.body.id).not.toBe(first.body.id);

    await s.act("xpress-pay", String(retry.body.gateway_ref), "approve");
    await settled(s, String(retry.body.id), "succeeded");
    const paid = await s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "ORDER-TWICE" });
    expect(paid.status).toBe(409);
    expect(paid.body.error).toMatchObject({ code: "order_already_paid", field: "order_ref", payment_id: retry.body.id });
    expect((await stored(s, "ORDER-TWICE")).map((p) => p.status)).toEqual(["failed", "succeeded"]);
    // Another merchant's order numbers are theirs: the same order_ref is free for them.
    const other = await s.service.ctx.merchants.create("Other store");
    await s.service.ctx.merchants.setGatewayAccount(other.merchant.id, "xpress-pay", sandboxAccounts(s.sandbox.url)["xpress-pay"]);
    const theirs = await s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "ORDER-TWICE" }, { authorization: `Bearer ${other.apiKey}` });
    expect(theirs.status).toBe(201);
  });

  it("concurrent identical creates: one is created, its twin answers 409 while it is in flight, the gateway sees one order", async () => {
    if (!stack) return;
    const s = stack;
    for (const [orderRef, headers, code] of [
      ["ORDER-TWINS-KEY", { "idempotency-key": "twins-1" }, "idempotency_in_progress"],
      ["ORDER-TWINS", {}, "order_has_open_payment"],
    ] as const) {
      // The gateway takes a while to answer, so the first create is still in flight when its twin arrives.
      s.sandbox.faults.add({ gateway: "xpress-pay", operation: "payInCreate", kind: "latency", ms: 1500 });
      const answers = await Promise.all([s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: orderRef }, headers), s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: orderRef }, headers)]);
      const created = answers.find((a) => a.status === 201);
      const twin = answers.find((a) => a !== created);
      expect(created?.status).toBe(201);
      expect(twin?.status).toBe(409);
      expect(twin?.body.error).toMatchObject({ code });
      expect(await stored(s, orderRef)).toHaveLength(1);
      expect(gatewayOrders(s, "payin").filter((o) => o.merchantRef === created?.body.id)).toHaveLength(1);
    }
    // With the key, a later retry replays the first answer.
    const replay = await s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "ORDER-TWINS-KEY" }, { "idempotency-key": "twins-1" });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe((await stored(s, "ORDER-TWINS-KEY"))[0]?.id);
  });

  it("a key whose request died before storing anything is reclaimed after the lock timeout, and the retry creates", async () => {
    if (!stack) return;
    const s = stack;
    const db = s.service.ctx.db;
    const body = { ...PAY_IN, order_ref: "ORDER-DEAD-EARLY" };
    // The request hash as the service computes it: from a first request with the same body, whose payment then fails.
    const probe = await s.api("POST", "/v1/payments", body, { "idempotency-key": "dead-early-probe" });
    await s.act("xpress-pay", String(probe.body.gateway_ref), "decline");
    await settled(s, String(probe.body.id), "failed");
    const [{ request_hash: hash } = { request_hash: "" }] = await db.query<{ request_hash: string }>("select request_hash from idempotency_keys where key = 'dead-early-probe'");
    // Two keys whose requests never answered: one locked just now, one locked long ago (a crash before the payment was stored).
    await db.query("insert into idempotency_keys (merchant_id, key, request_hash, locked_at) values ($1, 'dead-early-fresh', $2, now()), ($1, 'dead-early-old', $2, now() - interval '1 hour')", [s.merchantId, hash]);

    const fresh = await s.api("POST", "/v1/payments", body, { "idempotency-key": "dead-early-fresh" });
    expect(fresh.status).toBe(409);
    expect(fresh.body.error).toMatchObject({ code: "idempotency_in_progress", field: "Idempotency-Key" });

    const reclaimed = await s.api("POST", "/v1/payments", body, { "idempotency-key": "dead-early-old" });
    expect(reclaimed.status).toBe(201);
    expect(reclaimed.body.id).not.toBe(probe.body.id);
    expect(await s.api("POST", "/v1/payments", body, { "idempotency-key": "dead-early-old" })).toEqual(reclaimed);
    expect((await stored(s, "ORDER-DEAD-EARLY")).map((p) => p.status)).toEqual(["failed", "requires_action"]);
  });

  it("a key whose request outlived its lock after storing the payout: the retry answers that payout (202), the gateway gets one, the late request cannot overwrite the stored answer", async () => {
    if (!stack) return;
    const s = stack;
    const db = s.service.ctx.db;
    const body = { ...PAYOUT, order_ref: "PO-ZOMBIE" };
    const headers = { "idempotency-key": "po-zombie" };
    // The gateway takes the payout and holds its answer: the first request hangs after storing it.
    s.sandbox.faults.add({ gateway: "xpress-pay", operation: "payoutCreate", kind: "timeout", ms: 3000 });
    const slow = s.api("POST", "/v1/payouts", body, headers);
    const [bound] = await eventually(
      () => db.query<{ resource_id: string | null }>("select resource_id from idempotency_keys where key = 'po-zombie'"),
      (rows) => Boolean(rows[0]?.resource_id),
    );
    const payoutId = String(bound?.resource_id);
    await eventually(async () => gatewayOrders(s, "payout").filter((o) => o.merchantRef === payoutId).length, (n) => n === 1);
    // Its lock is older than the timeout, as after a crash.
    await db.query("update idempotency_keys set locked_at = now() - interval '1 hour' where key = 'po-zombie'");

    const retry = await s.api("POST", "/v1/payouts", body, headers);
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ id: payoutId, object: "payout", status: "pending", gateway_ref: null });

    const late = await slow;
    expect(late.status).toBe(201);
    expect(late.body.id).toBe(payoutId);
    expect(await s.api("POST", "/v1/payouts", body, headers)).toEqual(retry);
    expect(await stored(s, "PO-ZOMBIE")).toHaveLength(1);
    expect(gatewayOrders(s, "payout").filter((o) => o.merchantRef === payoutId)).toHaveLength(1);
    const events = ((await s.api("GET", `/v1/payouts/${payoutId}`)).body.events as { type: string }[]).map((e) => e.type);
    expect(events).toContain("create_outcome_unknown");
  });

  it("a refund key whose request outlived its lock: the retry answers that refund (202), never a second", async () => {
    if (!stack) return;
    const s = stack;
    const db = s.service.ctx.db;
    const created = await s.api("POST", "/v1/payments", { gateway: "xpay-eg", method: "card", amount: "50.00", currency: "EGP", order_ref: "ORDER-RF-ZOMBIE", customer: { name: "Islam Rostom", email: "irostom@xpay.app", phone: "+201119045759" } });
    await s.act("xpay-eg", String(created.body.gateway_ref), "approve");
    await settled(s, String(created.body.id), "succeeded");
    const path = `/v1/payments/${created.body.id}/refunds`;
    const headers = { "idempotency-key": "rf-zombie" };
    s.sandbox.faults.add({ gateway: "xpay-eg", operation: "refundTransaction", kind: "timeout", ms: 3000 });
    const slow = s.api("POST", path, { amount: "20.00" }, headers);
    const [bound] = await eventually(
      () => db.query<{ resource_id: string | null }>("select resource_id from idempotency_keys where key = 'rf-zombie'"),
      (rows) => Boolean(rows[0]?.resource_id),
    );
    await db.query("update idempotency_keys set locked_at = now() - interval '1 hour' where key = 'rf-zombie'");

    const retry = await s.api("POST", path, { amount: "20.00" }, headers);
    expect(retry.status).toBe(202);
    expect(retry.body.refund).toMatchObject({ id: bound?.resource_id, amount: "20.00", status: "pending" });
    const late = await slow;
    expect(late.status).toBe(201);
    expect(late.body.refund).toMatchObject({ id: bound?.resource_id, status: "succeeded" });
    expect(await s.api("POST", path, { amount: "20.00" }, headers)).toEqual(retry);
    expect(await db.query("select id from refunds where payment_id = $1", [created.body.id])).toHaveLength(1);
    expect((await s.api("GET", `/v1/payments/${created.body.id}`)).body).toMatchObject({ status: "partially_refunded", refunded_amount: "20.00" });
  });

  it("a create whose answer comes after the callback keeps what the callback settled", async () => {
    if (!stack) return;
    const s = stack;
    const db = s.service.ctx.db;
    // The gateway creates the order at once but answers late; the shopper pays and its callback lands first.
    s.sandbox.faults.add({ gateway: "xpress-pay", operation: "payInCreate", kind: "timeout", ms: 8000 });
    const slow = s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "ORDER-FAST-CALLBACK" });
    const [row] = await eventually(() => stored(s, "ORDER-FAST-CALLBACK"), (rows) => rows.length === 1);
    const id = String(row?.id);
    const order = await eventually(async () => gatewayOrders(s, "payin").find((o) => o.merchantRef === id), (o) => o !== undefined);
    await s.act("xpress-pay", String(order?.gatewayRef), "approve");
    const paid = await settled(s, id, "succeeded");
    expect(paid.next_action).toBeNull();

    const late = await slow;
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ id, status: "succeeded", next_action: null, gateway_status: paid.gateway_status, gateway_ref: order?.gatewayRef });
    const now = (await s.api("GET", `/v1/payments/${id}`)).body;
    expect(now).toMatchObject({ status: "succeeded", next_action: null, gateway_status: paid.gateway_status, amount: "1500.00" });
    const [{ n } = { n: 0 }] = await db.query<{ n: number | string }>("select count(*) as n from outbox_events where payment_id = $1 and type = 'payment.succeeded'", [id]);
    expect(Number(n)).toBe(1);
  });
});
