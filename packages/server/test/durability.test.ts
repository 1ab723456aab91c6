/**
 * Callbacks that must change nothing, and callbacks that must change things exactly once: forged,
 * replayed, five-times duplicated and shuffled, and split across two instances on one PostgreSQL.
 */
import pino from "pino";
import { hmacSha256Hex } from "@xpay-connect/core";
import { startService, type Service } from "../src";
import { eventually, freshDatabase, postgresAvailable, startStack, useStack, type Stack } from "./harness";

const PAY_IN = { gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" } };

/** A pay-in created through the API and paid at the sandbox with its callback dropped: the gateway says paid, the service does not know yet. */
async function paidSilently(s: Stack, orderRef: string): Promise<{ id: string; gatewayRef: string }> {
  const created = await s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: orderRef });
  expect(created.status).toBe(201);
  await fetch(`${s.sandbox.url}/_sandbox/callbacks/mode`, { method: "POST", body: JSON.stringify({ gateway: "xpress-pay", mode: "drop", count: 1 }), headers: { "content-type": "application/json" } });
  await s.act("xpress-pay", String(created.body.gateway_ref), "approve");
  return { id: String(created.body.id), gatewayRef: String(created.body.gateway_ref) };
}

/** The callback the gateway would send for a payment. */
function successBody(id: string, gatewayRef: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ appId: "c551c980b045d827f3d910fbdf8c1ddb", merOrderNo: id, orderNo: gatewayRef, amount: "1500.00", currency: "PKR", orderStatus: "2", ...extra });
}

async function post(url: string, body: string, headers: Record<string, string> = { "content-type": "application/json" }) {
  const res = await fetch(url, { method: "POST", body, headers });
  return { status: res.status, text: await res.text() };
}

/** Waits until every stored callback has been processed (none received or waiting for a retry). */
async function settled(service: Service): Promise<void> {
  await eventually(
    () => service.ctx.db.query<{ n: number | string }>("select count(*) as n from callbacks where state in ('received', 'retry')"),
    (rows) => Number(rows[0]?.n) === 0,
  );
}

async function transitions(service: Service, paymentId: string) {
  const events = await service.ctx.db.query<{ source: string; to_status: string }>(
    "select source, to_status from payment_events where payment_id = $1 and type = 'status_changed' order by id",
    [paymentId],
  );
  const outbox = await service.ctx.db.query<{ type: string }>("select type from outbox_events where payment_id = $1 order by created_at", [paymentId]);
  return { events: events.map((e) => `${e.source}:${e.to_status}`), outbox: outbox.map((o) => o.type) };
}

describe.each([["pglite"], ["postgres"]])("callbacks on %s", (kind) => {
  let stack: Stack | undefined;
  useStack(kind, (s) => (stack = s));

  it("forged callbacks (bad token, unknown payment, wrong amount, bad signature) change nothing; a replay changes nothing", async () => {
    if (!stack) return;
    const s = stack;
    const { id, gatewayRef } = await paidSilently(s, "ORDER-FORGED");
    const token = s.service.ctx.secrets.callbackToken(id);
    const base = `${s.service.url}/callbacks/xpress-pay`;

    // A wrong URL token is refused before anything is stored.
    expect((await post(`${base}/${id}/${"A".repeat(43)}`, successBody(id, gatewayRef))).status).toBe(404);
    expect(await s.service.ctx.db.query("select 1 from callbacks where payment_id = $1", [id])).toEqual([]);
    // A payment that does not exist (with the token only we could make): stored, then rejected.
    const ghost = "pay_doesnotexist0";
    expect((await post(`${base}/${ghost}/${s.service.ctx.secrets.callbackToken(ghost)}`, successBody(ghost, gatewayRef))).text).toBe("SUCCESS");
    // The right URL with another amount: stored, rejected by the integrity check.
    expect((await post(`${base}/${id}/${token}`, successBody(id, gatewayRef, { amount: "1.00" }))).text).toBe("SUCCESS");
    // A signing gateway: an XPay PK webhook for a real XPay PK payment, with a forged signature.
    const card = await s.api("POST", "/v1/payments", { gateway: "xpay-pk", method: "card", amount: "1500.00", currency: "PKR", order_ref: "ORDER-FORGED-PK", customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" } });
    const pkId = String(card.body.id);
    const hook = JSON.stringify({
      status: "succeeded", payment_intent_id: card.body.gateway_ref, amount: 150000, currency: "PKR",
      metadata: { order_reference: pkId, callback_token: s.service.ctx.secrets.callbackToken(pkId) },
    });
    await post(`${s.service.url}/callbacks/xpay-pk`, hook, { "content-type": "application/json", "x-signature": hmacSha256Hex("not-the-secret", hook) });
    await settled(s.service);
    const outcomes = await s.service.ctx.db.query<{ outcome: string; state: string }>("select state, outcome from callbacks order by id");
    expect(outcomes.filter((o) => o.state === "rejected").map((o) => o.outcome).sort()).toEqual(["amount_mismatch", "bad_signature", "unknown_payment"]);
    expect((await s.api("GET", `/v1/payments/${id}`)).body.status).toBe("requires_action");
    expect(["pending", "requires_action"]).toContain((await s.api("GET", `/v1/payments/${pkId}`)).body.status);
    expect((await transitions(s.service, id)).events).toEqual(["api:requires_action"]);

    // The genuine callback applies once; replaying it later changes nothing.
    expect((await post(`${base}/${id}/${token}`, successBody(id, gatewayRef))).text).toBe("SUCCESS");
    await settled(s.service);
    expect((await post(`${base}/${id}/${token}`, successBody(id, gatewayRef))).text).toBe("SUCCESS");
    await settled(s.service);
    const after = await transitions(s.service, id);
    expect(after.events).toEqual(["api:requires_action", "callback:succeeded"]);
    expect(after.outbox).toEqual(["payment.requires_action", "payment.succeeded"]);
  });

  it("five-times duplicated and shuffled callbacks give exactly one transition and one outbox event per transition", async () => {
    if (!stack) return;
    const s = stack;
    const payments = [await paidSilently(s, "ORDER-DUP-1"), await paidSilently(s, "ORDER-DUP-2"), await paidSilently(s, "ORDER-DUP-3")];
    const posts = payments.flatMap((p) => Array.from({ length: 5 }, () => ({ url: `${s.service.url}/callbacks/xpress-pay/${p.id}/${s.service.ctx.secrets.callbackToken(p.id)}`, body: successBody(p.id, p.gatewayRef) })));
    // A fixed shuffle (7 is coprime with 15) so a failure replays the same way.
    const order = posts.map((_, i) => posts[(i * 7) % posts.length] as (typeof posts)[number]);
    const answers = await Promise.all(order.map((p) => post(p.url, p.body)));
    expect(answers.every((a) => a.status === 200 && a.text === "SUCCESS")).toBe(true);
    await settled(s.service);
    for (const p of payments) {
      const t = await transitions(s.service, p.id);
      expect(t.events).toEqual(["api:requires_action", "callback:succeeded"]);
      expect(t.outbox).toEqual(["payment.requires_action", "payment.succeeded"]);
      const rows = await s.service.ctx.db.query<{ outcome: string }>("select outcome from callbacks where payment_id = $1", [p.id]);
      expect(rows.map((r) => r.outcome).sort()).toEqual(["applied", "unchanged", "unchanged", "unchanged", "unchanged"]);
    }
  });
});

describe("two instances on one PostgreSQL", () => {
  let stack: Stack | undefined;
  let second: Service | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (!(await postgresAvailable())) return;
    const db = await freshDatabase();
    drop = db.drop;
    stack = await startStack({ databaseUrl: db.url });
    second = await startService(
      { port: 0, dataDir: ":memory:", databaseUrl: db.url, masterKey: stack.service.ctx.config.masterKey, allowPrivateEndpoints: true },
      { log: pino({ level: "silent" }) },
    );
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
    await drop?.();
  });

  it("share callbacks and never double-apply", async () => {
    if (!stack || !second) return;
    const s = stack;
    const instances = [s.service, second];
    const payments = await Promise.all(Array.from({ length: 6 }, (_, i) => paidSilently(s, `ORDER-TWO-${i}`)));
    // Each payment's callback five times, alternating between the two instances, all at once.
    const answers = await Promise.all(
      payments.flatMap((p) =>
        Array.from({ length: 5 }, (_, i) => {
          const service = instances[i % 2] as Service;
          return post(`${service.url}/callbacks/xpress-pay/${p.id}/${service.ctx.secrets.callbackToken(p.id)}`, successBody(p.id, p.gatewayRef));
        }),
      ),
    );
    expect(answers.every((a) => a.text === "SUCCESS")).toBe(true);
    await settled(s.service);
    for (const p of payments) {
      const t = await transitions(s.service, p.id);
      expect(t.events).toEqual(["api:requires_action", "callback:succeeded"]);
      expect(t.outbox).toEqual(["payment.requires_action", "payment.succeeded"]);
    }
    const processed = await s.service.ctx.db.query<{ n: string | number }>("select count(*) as n from callbacks where outcome = 'applied'");
    expect(Number(processed[0]?.n)).toBe(payments.length);
  });
});
