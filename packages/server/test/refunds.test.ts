/**
 * Refunds of XPay EG pay-ins over real HTTP through the sandbox, on PGlite and on real PostgreSQL:
 * partial and full, never more than what is left (also under concurrency), idempotent, with the
 * status change and an outbox event for each refund; a refund whose answer is lost is settled by
 * reconciliation; bad input is a 4xx naming the field.
 */
import { reconcileNow } from "../src/reconcile";
import { eventually, useStack, type Stack } from "./harness";

const EG_PAY_IN = { gateway: "xpay-eg", method: "card", amount: "50.00", currency: "EGP", customer: { name: "Islam Rostom", email: "irostom@xpay.app", phone: "+201119045759" } };

type Json = Record<string, unknown>;

describe.each([["pglite"], ["postgres"]])("refunds on %s", (kind) => {
  let stack: Stack | undefined;
  useStack(kind, (s) => (stack = s));

  /** A paid XPay EG pay-in of EGP 50.00. */
  async function paid(s: Stack, orderRef: string): Promise<Json> {
    const created = await s.api("POST", "/v1/payments", { ...EG_PAY_IN, order_ref: orderRef });
    expect(created.status).toBe(201);
    await s.act("xpay-eg", String(created.body.gateway_ref), "approve");
    return (await eventually(() => s.api("GET", `/v1/payments/${created.body.id}`), (r) => r.body.status === "succeeded")).body;
  }

  /** What the sandbox says was refunded of a transaction. */
  async function refundedAtGateway(s: Stack, gatewayRef: unknown): Promise<string | undefined> {
    const orders = (await (await fetch(`${s.sandbox.url}/_sandbox/orders?gateway=xpay-eg`)).json()) as Record<string, { uuid?: string; gatewayRef?: string; refunded?: string }[]>;
    const tx = orders["xpay-eg"]?.find((o) => o.uuid === gatewayRef || o.gatewayRef === gatewayRef);
    return tx?.refunded;
  }

  const outboxTypes = async (s: Stack, paymentId: unknown) =>
    (await s.service.ctx.db.query<{ id: string; type: string }>("select id, type from outbox_events where payment_id = $1 order by created_at, id", [paymentId])).map((e) => e.type);

  it("partial, partial, then the rest: statuses, amounts and one outbox event per refund", async () => {
    if (!stack) return;
    const s = stack;
    const payment = await paid(s, "REFUND-1");
    const path = `/v1/payments/${payment.id}/refunds`;

    const first = await s.api("POST", path, { amount: "20.00", reason: "damaged" }, { "idempotency-key": "refund-1a" });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: payment.id, status: "partially_refunded", refunded_amount: "20.00", refund: { object: "refund", amount: "20.00", currency: "EGP", status: "succeeded", reason: "damaged" } });
    expect(await refundedAtGateway(s, payment.gateway_ref)).toBe("20.00");

    // The same key and body replay the answer without refunding again; another body with that key is refused.
    const replay = await s.api("POST", path, { amount: "20.00", reason: "damaged" }, { "idempotency-key": "refund-1a" });
    expect(replay).toEqual(first);
    expect(await refundedAtGateway(s, payment.gateway_ref)).toBe("20.00");
    const reused = await s.api("POST", path, { amount: "5.00" }, { "idempotency-key": "refund-1a" });
    expect(reused.status).toBe(422);
    expect(reused.body.error).toMatchObject({ code: "idempotency_key_reused", field: "Idempotency-Key" });

    // More than what is left is refused, and changes nothing.
    const over = await s.api("POST", path, { amount: "30.01" }, { "idempotency-key": "refund-1b" });
    expect(over.status).toBe(400);
    expect(over.body.error).toMatchObject({ code: "invalid_input", field: "amount" });
    expect(String((over.body.error as Json).message)).toContain("30.00");
    expect((await s.api("GET", `/v1/payments/${payment.id}`)).body).toMatchObject({ status: "partially_refunded", refunded_amount: "20.00" });

    const second = await s.api("POST", path, { amount: "10.00" }, { "idempotency-key": "refund-1c" });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ status: "partially_refunded", refunded_amount: "30.00", refund: { amount: "10.00", status: "succeeded" } });

    // No amount: the rest.
    const rest = await s.api("POST", path, undefined, { "idempotency-key": "refund-1d" });
    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ status: "refunded", refunded_amount: "50.00", refund: { amount: "20.00", status: "succeeded" } });
    expect(await refundedAtGateway(s, payment.gateway_ref)).toBe("50.00");

    const nothingLeft = await s.api("POST", path, { amount: "1.00" });
    expect(nothingLeft.status).toBe(409);
    expect(nothingLeft.body.error).toMatchObject({ code: "not_refundable", field: "id" });

    const list = await s.api("GET", path);
    expect((list.body.data as Json[]).map((r) => [r.amount, r.status])).toEqual([
      ["20.00", "succeeded"],
      ["10.00", "succeeded"],
      ["20.00", "succeeded"],
    ]);
    const timeline = (await s.api("GET", `/v1/payments/${payment.id}`)).body.events as { type: string; source: string; to: string | null }[];
    expect(timeline.filter((e) => e.type === "status_changed" && e.source === "refund").map((e) => e.to)).toEqual(["partially_refunded", "refunded"]);
    expect(timeline.filter((e) => e.type === "refund_succeeded")).toHaveLength(3);
    expect(await outboxTypes(s, payment.id)).toEqual(["payment.requires_action", "payment.succeeded", "payment.partially_refunded", "payment.partially_refunded", "payment.refunded"]);
  });

  it("two concurrent refunds cannot together refund more than the payment", async () => {
    if (!stack) return;
    const s = stack;
    const payment = await paid(s, "REFUND-RACE");
    const path = `/v1/payments/${payment.id}/refunds`;
    const answers = await Promise.all([1, 2, 3].map((i) => s.api("POST", path, { amount: "30.00" }, { "idempotency-key": `race-${i}` })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400, 400]);
    expect(await refundedAtGateway(s, payment.gateway_ref)).toBe("30.00");
    expect((await s.api("GET", `/v1/payments/${payment.id}`)).body).toMatchObject({ status: "partially_refunded", refunded_amount: "30.00" });
  });

  it("a refund whose answer is lost stays reserved (202) and is settled by reconciliation", async () => {
    if (!stack) return;
    const s = stack;
    const payment = await paid(s, "REFUND-LOST");
    const path = `/v1/payments/${payment.id}/refunds`;
    // The gateway refunds, then its answer is lost (HTTP 503 after the effect).
    const fault = await fetch(`${s.sandbox.url}/_sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ gateway: "xpay-eg", operation: "refundTransaction", kind: "error", status: 503, afterEffect: true }),
    });
    expect(fault.ok).toBe(true);
    const lost = await s.api("POST", path, {}, { "idempotency-key": "lost-1" });
    expect(lost.status).toBe(202);
    expect(lost.body).toMatchObject({ status: "succeeded", refunded_amount: "0.00", refund: { amount: "50.00", status: "pending" } });
    expect(await refundedAtGateway(s, payment.gateway_ref)).toBe("50.00");
    // The pending refund holds its amount: nothing more can be refunded meanwhile.
    const more = await s.api("POST", path, { amount: "1.00" });
    expect(more.status).toBe(409);

    const report = await reconcileNow(s.service.ctx, { afterMs: 0, now: () => Date.now() + 1000 });
    expect(report.results).toContainEqual({ paymentId: payment.id, gateway: "xpay-eg", outcome: "applied" });
    const after = await s.api("GET", `/v1/payments/${payment.id}`);
    expect(after.body).toMatchObject({ status: "refunded", refunded_amount: "50.00" });
    const refunds = (await s.api("GET", path)).body.data as Json[];
    expect(refunds.map((r) => r.status)).toEqual(["succeeded"]);
    expect(await outboxTypes(s, payment.id)).toEqual(["payment.requires_action", "payment.succeeded", "payment.refunded"]);
  });

  it("refuses what cannot be refunded, naming the field", async () => {
    if (!stack) return;
    const s = stack;
    const pending = await s.api("POST", "/v1/payments", { ...EG_PAY_IN, order_ref: "REFUND-PENDING" });
    const notYet = await s.api("POST", `/v1/payments/${pending.body.id}/refunds`, {});
    expect(notYet.status).toBe(409);
    expect(notYet.body.error).toMatchObject({ code: "not_refundable", field: "id" });

    const xp = await s.api("POST", "/v1/payments", { gateway: "xpress-pay", method: "easypaisa", amount: "10.00", currency: "PKR", order_ref: "REFUND-XP", customer: { name: "John Doe" } });
    await s.act("xpress-pay", String(xp.body.gateway_ref), "approve");
    await eventually(() => s.api("GET", `/v1/payments/${xp.body.id}`), (r) => r.body.status === "succeeded");
    const noCapability = await s.api("POST", `/v1/payments/${xp.body.id}/refunds`, {});
    expect(noCapability.status).toBe(422);
    expect(noCapability.body.error).toMatchObject({ code: "capability_missing", field: "gateway" });
    expect(String((noCapability.body.error as Json).message)).toContain("xpress-pay");

    const payout = await s.api("POST", "/v1/payouts", { gateway: "xpress-pay", method: "jazzcash", amount: "5.00", currency: "PKR", order_ref: "REFUND-PO", recipient: { name: "Ali", mobile: "03112233445" } }, { "idempotency-key": "refund-po" });
    const notPayIn = await s.api("POST", `/v1/payments/${payout.body.id}/refunds`, {});
    expect(notPayIn.status).toBe(409);
    expect(notPayIn.body.error).toMatchObject({ field: "id" });

    const unknown = await s.api("POST", "/v1/payments/pay_nope/refunds", {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ field: "id" });
    expect((await s.api("GET", "/v1/payments/pay_nope/refunds")).body.error).toMatchObject({ field: "id" });
  });

  it.each([
    ["an array body", [], "body"],
    ["a numeric amount", { amount: 5 }, "amount"],
    ["a zero amount", { amount: "0.00" }, "amount"],
    ["a negative amount", { amount: "-1.00" }, "amount"],
    ["sub-piaster digits", { amount: "1.001" }, "amount"],
    ["words", { amount: "ten" }, "amount"],
    ["a numeric reason", { amount: "1.00", reason: 7 }, "reason"],
  ])("bad input (%s) is a 4xx naming the field, and nothing is refunded", async (_name, body, field) => {
    if (!stack) return;
    const s = stack;
    const [payment] = await s.service.ctx.db.query<{ id: string; refunded_minor: string | number }>(
      "select id, refunded_minor from payments where order_ref = 'REFUND-RACE'",
    );
    const r = await s.api("POST", `/v1/payments/${payment?.id}/refunds`, body, { "idempotency-key": `bad-${_name}` });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.error).toMatchObject({ field });
    const [after] = await s.service.ctx.db.query<{ refunded_minor: string | number }>("select refunded_minor from payments where id = $1", [payment?.id]);
    expect(Number(after?.refunded_minor)).toBe(Number(payment?.refunded_minor));
  });
});
