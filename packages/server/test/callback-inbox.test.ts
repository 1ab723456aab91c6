/**
 * The callback inbox's processing pass, over real HTTP on PGlite: a batch of duplicates is applied
 * once and every row gets its own outcome (one read and one write per batch), and a database
 * failure in a pass is reported, not a crash, and the next pass processes what it left.
 */
import { once } from "node:events";
import { eventually, useStack, type Stack } from "./harness";

const PAY_IN = { gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", customer: { name: "John Doe" } };

describe("callback inbox", () => {
  let stack: Stack | undefined;
  useStack("pglite", (s) => (stack = s));

  const callbacksOf = (s: Stack, paymentId: string) =>
    s.service.ctx.db.query<{ state: string; outcome: string | null }>("select state, outcome from callbacks where payment_id = $1 order by id", [paymentId]);

  it("gives each callback of a batch of duplicates its own outcome, and applies the payment once", async () => {
    const s = stack as Stack;
    const created = await s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "INBOX-DUPLICATES" });
    await s.sandbox.callbacks.idle();
    await fetch(`${s.sandbox.url}/_sandbox/callbacks/mode`, { method: "POST", body: JSON.stringify({ gateway: "xpress-pay", mode: "duplicate", copies: 5 }), headers: { "content-type": "application/json" } });
    await s.act("xpress-pay", String(created.body.gateway_ref), "approve");
    const rows = await eventually(() => callbacksOf(s, String(created.body.id)), (r) => r.length >= 5 && r.every((c) => c.state !== "received" && c.state !== "retry"));
    expect(rows.map((r) => r.state)).toEqual(rows.map(() => "applied"));
    expect(rows.filter((r) => r.outcome === "applied")).toHaveLength(1);
    expect(rows.filter((r) => r.outcome === "unchanged")).toHaveLength(rows.length - 1);
    const paid = await s.api("GET", `/v1/payments/${created.body.id}`);
    expect((paid.body.events as { type: string; source: string }[]).filter((e) => e.type === "status_changed" && e.source === "callback")).toHaveLength(1);
    await fetch(`${s.sandbox.url}/_sandbox/callbacks/mode`, { method: "POST", body: JSON.stringify({ gateway: "xpress-pay", mode: "normal" }), headers: { "content-type": "application/json" } });
  });

  it("reports a pass the database failed and processes its callbacks on the next one", async () => {
    const s = stack as Stack;
    const db = s.service.ctx.db;
    const query = db.query.bind(db);
    let failed = 0;
    // The next claim fails once, as a dropped connection would make it.
    db.query = ((text: string, params?: readonly unknown[]) => {
      if (failed === 0 && text.includes("set attempts = attempts + 1")) {
        failed++;
        return Promise.reject(new Error("connection terminated unexpectedly"));
      }
      return query(text, params);
    }) as typeof db.query;
    try {
      const reported = once(s.service.ctx.events, "callback.drain_failed");
      const created = await s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "INBOX-DB-FAILURE" });
      await s.act("xpress-pay", String(created.body.gateway_ref), "approve");
      const [error] = (await reported) as [Error];
      expect(error.message).toBe("connection terminated unexpectedly");
      const paid = await eventually(() => s.api("GET", `/v1/payments/${created.body.id}`), (r) => r.body.status === "succeeded");
      expect(paid.body.status).toBe("succeeded");
      expect(failed).toBe(1);
    } finally {
      db.query = query;
    }
  });
});
