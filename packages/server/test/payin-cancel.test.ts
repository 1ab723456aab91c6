/**
 * POST /v1/payments/:id/cancel over real HTTP through the sandbox: an unpaid pay-in closes as
 * canceled (timeline, outbox event, the order free for a new attempt), idempotently; a pay-in the
 * gateway already took (its callback lost) is never canceled: the gateway is asked first; money
 * taken after the cancel is kept and flagged paid_after_canceled; bad input and strangers get 4xx.
 */
import { eventually, useStack, type Stack } from "./harness";

type Json = Record<string, unknown>;

const EASYPAISA = { gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" } };

async function control(s: Stack, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${s.sandbox.url}/_sandbox/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
}

const outboxTypes = async (s: Stack, paymentId: unknown) =>
  (await s.service.ctx.db.query<{ type: string }>("select type from outbox_events where payment_id = $1 order by created_at, id", [paymentId])).map((e) => e.type);

describe("cancel an unpaid pay-in", () => {
  let stack: Stack | undefined;
  useStack("pglite", (s) => (stack = s));

  it("closes it as canceled with its reason, once, and frees the order for another method", async () => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/payments", { ...EASYPAISA, order_ref: "CANCEL-1" });
    expect(created.status).toBe(201);
    const path = `/v1/payments/${created.body.id}/cancel`;

    const canceled = await s.api("POST", path, { reason: "the shopper chose JazzCash" });
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ id: created.body.id, status: "canceled", next_action: null, attention: null });
    const events = (await s.api("GET", `/v1/payments/${created.body.id}`)).body.events as { type: string; source: string; to: string; detail: Json }[];
    expect(events.filter((e) => e.type === "status_changed").map((e) => [e.source, e.to, e.detail.reason ?? null])).toEqual([
      ["api", "requires_action", null],
      ["api", "canceled", "the shopper chose JazzCash"],
    ]);
    expect(await outboxTypes(s, created.body.id)).toEqual(["payment.requires_action", "payment.canceled"]);

    // Again: the same answer, nothing new.
    const again = await s.api("POST", path);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe("canceled");
    expect(await outboxTypes(s, created.body.id)).toEqual(["payment.requires_action", "payment.canceled"]);

    // The order takes a new pay-in now, with another method.
    const next = await s.api("POST", "/v1/payments", { ...EASYPAISA, method: "jazzcash", order_ref: "CANCEL-1" });
    expect(next.status).toBe(201);
    expect(next.body.id).not.toBe(created.body.id);
  });

  it("asks the gateway first: a pay-in it took while the callback was lost is settled as paid and answered 409, never canceled", async () => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/payments", { ...EASYPAISA, order_ref: "CANCEL-2" });
    await control(s, "callbacks/mode", { gateway: "xpress-pay", mode: "drop", count: 1 });
    expect((await s.act("xpress-pay", String(created.body.gateway_ref), "approve")).status).toBe(200);
    await control(s, "callbacks/idle", {});
    expect((await s.api("GET", `/v1/payments/${created.body.id}`)).body.status).toBe("requires_action");

    const refused = await s.api("POST", `/v1/payments/${created.body.id}/cancel`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "payment_already_paid", field: "id", payment_id: created.body.id, payment: { status: "succeeded" } });
    expect((await s.api("GET", `/v1/payments/${created.body.id}`)).body.status).toBe("succeeded");
    expect(await outboxTypes(s, created.body.id)).toEqual(["payment.requires_action", "payment.succeeded"]);
  });

  it("money the gateway takes after the cancel is kept and flagged paid_after_canceled", async () => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/payments", { ...EASYPAISA, order_ref: "CANCEL-3" });
    expect((await s.api("POST", `/v1/payments/${created.body.id}/cancel`)).body.status).toBe("canceled");
    expect((await s.act("xpress-pay", String(created.body.gateway_ref), "approve")).status).toBe(200);
    const late = await eventually(() => s.api("GET", `/v1/payments/${created.body.id}`), (r) => r.body.attention !== null);
    expect(late.body).toMatchObject({ status: "canceled", attention: { reason: "paid_after_canceled", amount: "1500.00", currency: "PKR" } });
    expect(await outboxTypes(s, created.body.id)).toEqual(["payment.requires_action", "payment.canceled", "payment.needs_attention"]);
    // The order counts as paid: no new attempt.
    const another = await s.api("POST", "/v1/payments", { ...EASYPAISA, order_ref: "CANCEL-3" });
    expect(another.status).toBe(409);
    expect(another.body.error).toMatchObject({ code: "order_already_paid" });
  });

  it("bad input and unknown or foreign payments get a 4xx naming the field, and change nothing", async () => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/payments", { ...EASYPAISA, order_ref: "CANCEL-4" });
    for (const body of [{ reason: 42 }, { reason: "x".repeat(256) }]) {
      const res = await s.api("POST", `/v1/payments/${created.body.id}/cancel`, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "invalid_input", field: "reason" });
    }
    for (const body of [[1], "cancel"]) {
      const res = await s.api("POST", `/v1/payments/${created.body.id}/cancel`, body);
      expect(res.status).toBe(400);
      expect(["invalid_input", "invalid_request"]).toContain((res.body.error as Json).code);
      expect(String((res.body.error as Json).message)).toMatch(/JSON/);
    }
    const unknown = await s.api("POST", "/v1/payments/pay_doesnotexist00/cancel", {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "not_found", field: "id" });
    const other = await s.service.ctx.merchants.create("Another shop", "test");
    const foreign = await fetch(`${s.service.url}/v1/payments/${created.body.id}/cancel`, {
      method: "POST",
      headers: { authorization: `Bearer ${other.apiKey}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(foreign.status).toBe(404);
    expect((await s.api("GET", `/v1/payments/${created.body.id}`)).body.status).toBe("requires_action");
  });
});
