/**
 * Payouts the gateway never heard of, over real HTTP against the sandbox on PGlite and on real
 * PostgreSQL: a payout whose create never reached the gateway (a 503 before any effect) is asked
 * about while younger than PAYOUT_UNKNOWN_AFTER_MS; after that it is flagged (a timeline event, the
 * `flagged` text, a log line), keeps its status (nobody knows whether money moved) and is never
 * re-queried. A payout the gateway does know, still pending, is never flagged. Time is the
 * reconciler's injected clock, never a sleep.
 */
import { reconcileNow, type ReconcileResult } from "../src/reconcile";
import { capturedLog, useStack, type Stack } from "./harness";

type Json = Record<string, unknown>;

const HOUR = 3_600_000;
const PAYOUTS = {
  "xpress-pay": { body: { gateway: "xpress-pay", method: "easypaisa", amount: "100.00", currency: "PKR", recipient: { name: "Ali Khan", mobile: "03112233445" } }, createOperation: "payoutCreate" },
  paypro: { body: { gateway: "paypro", method: "easypaisa", amount: "100", currency: "PKR", recipient: { name: "Sara Ahmed", mobile: "03001234567", email: "sara@example.com", national_id: "1730123456789" } }, createOperation: "payout" },
} as const;

async function control(s: Stack, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${s.sandbox.url}/_sandbox/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
}

const mine = (results: ReconcileResult[], id: unknown) => results.filter((r) => r.paymentId === id).map((r) => r.outcome);

describe.each([["pglite"], ["postgres"]])("payouts unknown to their gateway on %s", (kind) => {
  let stack: Stack | undefined;
  const { log, lines } = capturedLog("warn");
  useStack(kind, (s) => (stack = s), { log });

  it.each(Object.entries(PAYOUTS))("%s: re-queried while young, then flagged once, its status kept, and never asked again", async (gateway, { body, createOperation }) => {
    const s = stack;
    if (!s) return;
    const unknownAfterMs = s.service.ctx.config.payoutUnknownAfterMs ?? 0;
    expect(unknownAfterMs).toBe(48 * HOUR);
    // The gateway never receives this one: its create answers 503 before any effect.
    await control(s, "faults", { gateway, operation: createOperation, kind: "error", status: 503 });
    const lost = await s.api("POST", "/v1/payouts", { ...body, order_ref: `UNKNOWN-${gateway}` }, { "Idempotency-Key": `unknown-${gateway}-${kind}` });
    expect(lost.status).toBe(202);
    // One the gateway knows, still pending there: never flagged however old.
    const known = await s.api("POST", "/v1/payouts", { ...body, order_ref: `KNOWN-${gateway}` }, { "Idempotency-Key": `known-${gateway}-${kind}` });
    expect(known.status).toBe(201);
    const created = Date.parse(String(lost.body.created_at));

    // Young: asked, "not found" is an error, asked again later.
    const young = await reconcileNow(s.service.ctx, { afterMs: 0, now: () => created + HOUR });
    expect(mine(young.results, lost.body.id)).toEqual(["error"]);
    let now = await s.api("GET", `/v1/payouts/${lost.body.id}`);
    expect(now.body).toMatchObject({ status: "pending", flagged: null });

    // Past PAYOUT_UNKNOWN_AFTER_MS: flagged once, status kept.
    const old = await reconcileNow(s.service.ctx, { afterMs: 0, now: () => created + unknownAfterMs + HOUR });
    expect(mine(old.results, lost.body.id)).toEqual(["unknown"]);
    expect(mine(old.results, known.body.id)).toEqual(["unchanged"]);
    now = await s.api("GET", `/v1/payouts/${lost.body.id}`);
    expect(now.body.status).toBe("pending");
    expect(String(now.body.flagged)).toMatch(new RegExp(`^reconcile: ${gateway} still does not know this payout 48 h after it was created; no longer re-queried`));
    const events = (now.body.events as { type: string; source: string; detail: Json | null }[]).filter((e) => e.type === "payout_unknown");
    expect(events).toEqual([expect.objectContaining({ source: "reconcile", detail: expect.objectContaining({ unknown_after_ms: unknownAfterMs, created_at: lost.body.created_at }) })]);
    expect(String(events[0]?.detail?.gateway_answer)).toMatch(/refused|not ?found|no such/i);
    const logged = lines.map((l) => JSON.parse(l) as Json).filter((l) => l.payment === lost.body.id && String(l.msg).startsWith("reconcile: payout unknown to its gateway"));
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged)).not.toMatch(/Ali Khan|Sara Ahmed|0311|0300/);

    // Never asked again, however much later; the known one still is.
    const later = await reconcileNow(s.service.ctx, { afterMs: 0, now: () => created + 10 * unknownAfterMs });
    expect(mine(later.results, lost.body.id)).toEqual([]);
    expect(mine(later.results, known.body.id)).toEqual(["unchanged"]);
    expect((await s.api("GET", `/v1/payouts/${known.body.id}`)).body).toMatchObject({ status: "pending", flagged: null });
  });
});
