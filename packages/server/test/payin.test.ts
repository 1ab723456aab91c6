/**
 * A full pay-in through the sandbox for each gateway, over real HTTP, on PGlite and on real
 * PostgreSQL: create through the API, the shopper approves in the sandbox, the gateway's callback
 * reaches the service, is stored, verified and applied.
 */
import { eventually, useStack, type Stack } from "./harness";

const PAY_INS = [
  { gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" } },
  { gateway: "xpress-pay", method: "jazzcash", amount: "10.50", currency: "PKR", customer: { name: "John Doe" } },
  { gateway: "xpay-pk", method: "card", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" } },
  { gateway: "xpay-eg", method: "card", amount: "50.00", currency: "EGP", customer: { name: "Islam Rostom", email: "irostom@xpay.app", phone: "+201119045759" } },
  { gateway: "xpay-kg", method: "qr", amount: "1000.00", currency: "KGS", customer: { name: "Aibek Asanov" } },
] as const;

describe.each([["pglite"], ["postgres"]])("pay-ins on %s", (kind) => {
  let stack: Stack | undefined;
  useStack(kind, (s) => (stack = s));

  it.each(PAY_INS.map((p) => [`${p.gateway}/${p.method}`, p] as const))("%s: create -> approve -> callback verified -> succeeded", async (_name, p) => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/payments", { ...p, order_ref: `ORDER-${p.gateway}-${p.method}`, return_url: "https://shop.example/return" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: "payment", gateway: p.gateway, currency: p.currency });
    expect(["pending", "requires_action"]).toContain(created.body.status);
    expect(created.body.next_action).toMatchObject({ type: expect.stringMatching(/redirect|iframe|qr|kiosk/) });
    expect(JSON.stringify(created.body)).not.toMatch(/secret|appId|api_key/i);
    const approved = await s.act(p.gateway, String(created.body.gateway_ref), "approve");
    expect(approved.status).toBe(200);
    const paid = await eventually(() => s.api("GET", `/v1/payments/${created.body.id}`), (r) => r.body.status === "succeeded");
    const events = paid.body.events as { type: string; to: string; source: string }[];
    expect(events.filter((e) => e.type === "status_changed" && e.source === "callback").map((e) => e.to)).toEqual(["succeeded"]);
  });

  it("idempotent create: the same Idempotency-Key and body answer the same payment, and the gateway sees one order", async () => {
    if (!stack) return;
    const s = stack;
    const body = { ...PAY_INS[0], order_ref: "ORDER-IDEMPOTENT" };
    const headers = { "idempotency-key": "idem-order-1" };
    const first = await s.api("POST", "/v1/payments", body, headers);
    const again = await s.api("POST", "/v1/payments", body, headers);
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    const orders = (s.sandbox.emulators.get("xpress-pay")?.orders() ?? []) as { merchantRef: string }[];
    expect(orders.filter((o) => o.merchantRef === first.body.id)).toHaveLength(1);
    const listed = await s.api("GET", "/v1/payments?order_ref=ORDER-IDEMPOTENT");
    expect((listed.body.data as unknown[]).length).toBe(1);
  });

  it("declined at the gateway: failed, never succeeded", async () => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/payments", { ...PAY_INS[0], order_ref: "ORDER-DECLINE" });
    await s.act("xpress-pay", String(created.body.gateway_ref), "decline");
    const failed = await eventually(() => s.api("GET", `/v1/payments/${created.body.id}`), (r) => !["pending", "requires_action"].includes(String(r.body.status)));
    expect(failed.body.status).toBe("failed");
  });
});
