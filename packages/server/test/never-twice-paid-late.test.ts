/**
 * Never twice, for an order paid late, over real HTTP against the sandbox on PGlite and on real
 * PostgreSQL: a kiosk bill the service expired and the shopper then paid anyway keeps its status
 * (`expired`, attention `paid_after_expired`), yet the order counts as paid: a new pay-in for its
 * `order_ref` answers 409 `order_already_paid` carrying that payment, so the shopper is not charged
 * twice. An order whose bill expired unpaid still takes a new attempt.
 */
import { reconcileNow } from "../src/reconcile";
import { eventually, useStack, type Stack } from "./harness";

type Json = Record<string, unknown>;

const KIOSK = { gateway: "xpay-eg", method: "kiosk", amount: "50.00", currency: "EGP", customer: { name: "Islam Rostom", email: "irostom@example.com", phone: "+201119045759" } };

describe.each([["pglite"], ["postgres"]])("an order paid late on %s", (kind) => {
  let stack: Stack | undefined;
  useStack(kind, (s) => (stack = s));

  /** A kiosk pay-in created with a bill valid for 1 ms, then expired by reconciliation (the gateway still shows it unpaid). */
  const expiredBill = async (s: Stack, orderRef: string): Promise<Json> => {
    s.service.ctx.config.expireBillAfterMs = 1;
    let created: { status: number; body: Json };
    try {
      created = await s.api("POST", "/v1/payments", { ...KIOSK, order_ref: orderRef });
    } finally {
      s.service.ctx.config.expireBillAfterMs = undefined;
    }
    expect(created.status).toBe(201);
    await eventually(
      async () => {
        await reconcileNow(s.service.ctx);
        return s.api("GET", `/v1/payments/${created.body.id}`);
      },
      (r) => r.body.status === "expired",
    );
    return created.body;
  };

  it("a bill paid after it expired blocks a new pay-in for its order: 409 order_already_paid carrying it", async () => {
    if (!stack) return;
    const s = stack;
    const first = await expiredBill(s, "ORDER-PAID-LATE");
    // Before the late payment, the order was open to a new attempt: that is what the late payment must close.
    expect(await s.service.ctx.db.query("select 1 from payment_events where payment_id = $1 and type = 'needs_attention'", [first.id])).toHaveLength(0);

    expect((await s.act("xpay-eg", String(first.gateway_ref), "approve")).status).toBe(200);
    await eventually(() => s.api("GET", `/v1/payments/${first.id}`), (r) => (r.body.attention as Json | null)?.reason === "paid_after_expired");

    const again = await s.api("POST", "/v1/payments", { ...KIOSK, method: "card", order_ref: "ORDER-PAID-LATE" });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: "order_already_paid",
      field: "order_ref",
      payment_id: first.id,
      payment: { id: first.id, status: "expired", attention: { reason: "paid_after_expired", amount: "50.00", currency: "EGP" } },
    });
    expect(String((again.body.error as Json).message)).toMatch(/^order_ref: .*paid late/);
    // With an Idempotency-Key too, and nothing new stored.
    const keyed = await s.api("POST", "/v1/payments", { ...KIOSK, order_ref: "ORDER-PAID-LATE" }, { "idempotency-key": "paid-late-retry" });
    expect(keyed.status).toBe(409);
    expect((keyed.body.error as Json).code).toBe("order_already_paid");
    const stored = await s.service.ctx.db.query("select id from payments where order_ref = 'ORDER-PAID-LATE'");
    expect(stored).toEqual([{ id: first.id }]);
  });

  it("a bill that expired unpaid leaves its order open to a new attempt", async () => {
    if (!stack) return;
    const s = stack;
    const first = await expiredBill(s, "ORDER-EXPIRED-UNPAID");
    const again = await s.api("POST", "/v1/payments", { ...KIOSK, method: "card", order_ref: "ORDER-EXPIRED-UNPAID" });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.id);
  });
});
