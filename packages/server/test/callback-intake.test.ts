/**
 * Callback intake nobody can jam, over real HTTP with the real sandbox, on PGlite and PostgreSQL:
 * a NUL body batched with honest callbacks fails none of them; a batch INSERT that fails on one row
 * is retried row by row and only that row is refused, logged without bodies, headers or tokens;
 * dashboard URLs cap bodies per gateway and store nothing unreadable; an unreadable amount is
 * rejected at once; a lookup lagging its callback is retried, then rejected; PayPro and XPay PK
 * callbacks are confirmed by a lookup; XPay EG in USD end to end.
 */
import { createLogger } from "../src/ops/log";
import { reconcileNow } from "../src/reconcile";
import { eventually, useStack, type Stack } from "./harness";
import { createPayment, honestCallbacks, post, type HonestCallback } from "./honest-callbacks";

const LAG_RETRIES = [0.2, 0.2, 0.2, 0.2];

describe.each([["pglite"], ["postgres"]])("callback intake on %s", (kind) => {
  let stack: Stack | undefined;
  const lines: string[] = [];
  useStack(kind, (s) => (stack = s), { log: createLogger("info", { write: (line: string) => void lines.push(line) }), config: { callbackLagRetrySeconds: LAG_RETRIES } });

  const rowsOf = (s: Stack, paymentId: string) =>
    s.service.ctx.db.query<{ state: string; outcome: string | null; attempts: number; lag_retries: number }>(
      "select state, outcome, attempts, lag_retries from callbacks where payment_id = $1 order by id",
      [paymentId],
    );
  const callbackCount = async (s: Stack) => Number((await s.service.ctx.db.query<{ n: number | string }>("select count(*) as n from callbacks"))[0]?.n);
  const statusOf = async (s: Stack, id: string) => (await s.api("GET", `/v1/payments/${id}`)).body.status ?? (await s.api("GET", `/v1/payouts/${id}`)).body.status;
  const callbackEvents = (s: Stack, id: string) =>
    s.service.ctx.db.query<{ to_status: string; detail: { verified_by?: string } }>(
      "select to_status, detail from payment_events where payment_id = $1 and type = 'status_changed' and source = 'callback' order by id",
      [id],
    );
  const postAll = (callbacks: HonestCallback[]) => callbacks.map((c) => post(c.url, c.body, c.headers));
  const expectAllApplied = async (s: Stack, callbacks: HonestCallback[]) => {
    for (const c of callbacks) {
      const rows = await eventually(() => rowsOf(s, c.paymentId), (r) => r.length >= 1 && r.every((x) => x.state === "applied" || x.state === "rejected"));
      expect({ id: c.paymentId, rows: rows.map((r) => r.outcome) }).toEqual({ id: c.paymentId, rows: ["applied"] });
      expect(await callbackEvents(s, c.paymentId)).toHaveLength(1);
    }
  };

  it("one NUL callback batched with many honest ones: every honest one is stored and applied", async () => {
    if (!stack) return;
    const s = stack;
    const honest = [...(await honestCallbacks(s, "xpress-pay", 12, `NUL-${kind}`)), ...(await honestCallbacks(s, "xpay-eg", 6, `NUL-${kind}`))];
    const victim = await createPayment(s, "xpress-pay", `NUL-${kind}-victim`);
    const nul = Buffer.concat([Buffer.from('{"merOrderNo":"'), Buffer.from([0x00]), Buffer.from(`","orderStatus":"2","amount":"1500.00","currency":"PKR"}`)]);
    const victimUrl = `${s.service.url}/callbacks/xpress-pay/${victim.id}/${s.service.ctx.secrets.callbackToken(victim.id)}`;
    const answers = await Promise.all([
      ...postAll(honest.slice(0, 9)),
      post(victimUrl, nul, { "content-type": "application/json" }),
      post(`${s.service.url}/callbacks/xpay-eg`, nul, { "content-type": "application/json" }),
      ...postAll(honest.slice(9)),
    ]);
    const honestAnswers = [...answers.slice(0, 9), ...answers.slice(11)];
    expect(honestAnswers.map((a) => a.status)).toEqual(honest.map(() => 200));
    // The per-payment URL stores it (its token is right) and acknowledges; the dashboard URL refuses what it cannot read.
    expect(answers[9]?.status).toBe(200);
    expect({ status: answers[10]?.status, error: JSON.parse(answers[10]?.text ?? "{}").error }).toMatchObject({ status: 400, error: { code: "invalid_callback", field: "body" } });
    await expectAllApplied(s, honest);
    for (const c of honest) expect(await statusOf(s, c.paymentId)).toBe("succeeded");
    const [nulRow] = await eventually(() => rowsOf(s, victim.id), (r) => r.length === 1 && r[0]?.state === "rejected");
    expect(nulRow).toMatchObject({ state: "rejected", outcome: "malformed", attempts: 1 });
    expect(await statusOf(s, victim.id)).not.toBe("succeeded");
  });

  it("a batch INSERT failing on one row is retried row by row: only that row is refused (400 or 503), and the log holds no body or token", async () => {
    if (!stack) return;
    const s = stack;
    const db = s.service.ctx.db;
    const honest = await honestCallbacks(s, "xpress-pay", 8, `ROWS-${kind}`);
    const poisoned = await createPayment(s, "xpress-pay", `ROWS-${kind}-poison`);
    const broken = await createPayment(s, "xpress-pay", `ROWS-${kind}-broken`);
    const token = s.service.ctx.secrets.callbackToken(poisoned.id);
    const query = db.query.bind(db);
    // The database refuses the row holding POISON (as PostgreSQL refuses bytes it cannot hold), and loses its connection on BROKEN;
    // its errors carry the statement's parameters and detail, as pg's do.
    db.query = ((text: string, params?: readonly unknown[]) => {
      const bodies = (params ?? []).filter((p): p is Buffer => Buffer.isBuffer(p)).map((b) => b.toString("latin1"));
      if (text.startsWith("insert into callbacks") && bodies.some((b) => b.includes("POISON") || b.includes("BROKEN"))) {
        const lost = bodies.some((b) => b.includes("BROKEN")) && !bodies.some((b) => b.includes("POISON"));
        const error = Object.assign(new Error(lost ? "terminating connection due to administrator command" : `invalid byte sequence for encoding "UTF8": 0x00 near "${bodies.join("|")}"`), {
          code: lost ? "57P01" : "22021",
          detail: `parameters: ${JSON.stringify(params)} token ${token}`,
          parameters: params,
        });
        return Promise.reject(error);
      }
      return query(text, params);
    }) as typeof db.query;
    try {
      const base = (p: { id: string }) => `${s.service.url}/callbacks/xpress-pay/${p.id}/${s.service.ctx.secrets.callbackToken(p.id)}`;
      const answers = await Promise.all([
        ...postAll(honest.slice(0, 4)),
        post(base(poisoned), '{"note":"POISON"}', { "content-type": "application/json" }),
        post(base(broken), '{"note":"BROKEN"}', { "content-type": "application/json" }),
        ...postAll(honest.slice(4)),
      ]);
      expect([...answers.slice(0, 4), ...answers.slice(6)].map((a) => a.status)).toEqual(honest.map(() => 200));
      expect({ status: answers[4]?.status, error: JSON.parse(answers[4]?.text ?? "{}").error }).toMatchObject({ status: 400, error: { code: "invalid_input", field: "body" } });
      expect(answers[5]?.status).toBe(503);
      expect(answers[4]?.text).not.toContain("POISON");
    } finally {
      db.query = query;
    }
    await expectAllApplied(s, honest);
    expect(await rowsOf(s, poisoned.id)).toEqual([]);
    expect(await rowsOf(s, broken.id)).toEqual([]);
    const failures = lines.filter((l) => l.includes("an intake INSERT failed"));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures.map((l) => (JSON.parse(l) as { store: { code: string; message: string } }).store)).toEqual(
      expect.arrayContaining([{ code: "22021", message: "invalid byte sequence for encoding", rows: 1 }, expect.objectContaining({ code: "57P01" })]),
    );
    for (const line of lines) {
      expect(line).not.toContain("POISON");
      expect(line).not.toContain("BROKEN");
      expect(line).not.toContain(token);
      for (const c of honest) expect(line).not.toContain(s.service.ctx.secrets.callbackToken(c.paymentId));
    }
  });

  it("dashboard URLs: a body over the gateway's cap is 413, an unreadable one 400, and neither is stored; per-payment URLs cap at 64 KB", async () => {
    if (!stack) return;
    const s = stack;
    const before = await callbackCount(s);
    const big = (n: number) => JSON.stringify({ merchant_ref: "x", pad: "p".repeat(n) });
    const eg = await post(`${s.service.url}/callbacks/xpay-eg`, big(16 * 1024), { "content-type": "application/json" });
    expect({ status: eg.status, error: JSON.parse(eg.text).error }).toMatchObject({ status: 413, error: { field: "body" } });
    const pk = await post(`${s.service.url}/callbacks/xpay-pk`, big(9 * 1024), { "content-type": "application/json" });
    expect({ status: pk.status, error: JSON.parse(pk.text).error }).toMatchObject({ status: 413, error: { field: "body" } });
    expect(JSON.parse(pk.text).error.message).toContain("at most 8192 bytes");
    const huge = await post(`${s.service.url}/callbacks/xpay-eg`, big(2_000_000), { "content-type": "application/json" });
    expect(huge.status).toBe(413);
    for (const body of ["not json", "[]", '{"transaction_status":"SUCCESSFUL"}', Buffer.from([0xff, 0xfe, 0x7b, 0x00])]) {
      const r = await post(`${s.service.url}/callbacks/xpay-eg`, body, { "content-type": "application/json" });
      expect({ status: r.status, error: JSON.parse(r.text).error }).toMatchObject({ status: 400, error: { code: "invalid_callback", field: "body" } });
    }
    const victim = await createPayment(s, "xpress-pay", `CAP-${kind}`);
    const url = `${s.service.url}/callbacks/xpress-pay/${victim.id}/${s.service.ctx.secrets.callbackToken(victim.id)}`;
    const over = await post(url, big(65 * 1024), { "content-type": "application/json" });
    expect({ status: over.status, error: JSON.parse(over.text).error }).toMatchObject({ status: 413, error: { field: "body" } });
    expect(await callbackCount(s)).toBe(before);
  });

  it("a callback whose amount cannot be read is rejected at once, never retried", async () => {
    if (!stack) return;
    const s = stack;
    const p = await createPayment(s, "xpress-pay", `AMOUNT-${kind}`);
    const url = `${s.service.url}/callbacks/xpress-pay/${p.id}/${s.service.ctx.secrets.callbackToken(p.id)}`;
    const body = JSON.stringify({ appId: "c551c980b045d827f3d910fbdf8c1ddb", merOrderNo: p.id, orderNo: p.gatewayRef, amount: "fifteen hundred", currency: "PKR", orderStatus: "2" });
    expect((await post(url, body, { "content-type": "application/json" })).status).toBe(200);
    const [row] = await eventually(() => rowsOf(s, p.id), (r) => r.length === 1 && r[0]?.state !== "received");
    expect(row).toMatchObject({ state: "rejected", outcome: "malformed", attempts: 1 });
    expect(await statusOf(s, p.id)).not.toBe("succeeded");
  });

  it("a lookup lagging its callback is asked again with backoff and the callback applied; one that never catches up is rejected", async () => {
    if (!stack) return;
    const s = stack;
    const caughtUp = await createPayment(s, "xpay-eg", `LAG-${kind}-1`);
    expect((await s.act("xpay-eg", caughtUp.gatewayRef, "lag", { queries: 2 })).status).toBe(200);
    expect((await s.act("xpay-eg", caughtUp.gatewayRef, "approve")).status).toBe(200);
    const applied = await eventually(() => rowsOf(s, caughtUp.id), (r) => r.length === 1 && r[0]?.state === "applied", 20_000);
    expect(applied).toEqual([expect.objectContaining({ state: "applied", outcome: "applied", lag_retries: 2, attempts: 3 })]);
    expect(await statusOf(s, caughtUp.id)).toBe("succeeded");

    const never = await createPayment(s, "xpay-eg", `LAG-${kind}-2`);
    expect((await s.act("xpay-eg", never.gatewayRef, "lag", { queries: 50 })).status).toBe(200);
    expect((await s.act("xpay-eg", never.gatewayRef, "approve")).status).toBe(200);
    const rows = await eventually(() => rowsOf(s, never.id), (r) => r.length >= 1 && r.every((x) => x.state === "rejected"), 20_000);
    expect(rows[0]).toMatchObject({ outcome: "status_mismatch", lag_retries: LAG_RETRIES.length, attempts: LAG_RETRIES.length + 1 });
    expect(await statusOf(s, never.id)).not.toBe("succeeded");
  });

  it("PayPro and XPay PK callbacks are applied only once the gateway's lookup confirms them (verified_by signature+query)", async () => {
    if (!stack) return;
    const s = stack;
    for (const gateway of ["paypro", "xpay-pk"]) {
      const p = await createPayment(s, gateway, `CONFIRM-${kind}-${gateway}`);
      expect((await s.act(gateway, p.gatewayRef, "approve")).status).toBe(200);
      await eventually(() => statusOf(s, p.id), (st) => st === "succeeded");
      expect((await callbackEvents(s, p.id)).map((e) => e.detail.verified_by)).toEqual(["signature+query"]);
    }
    // A lookup that keeps disagreeing (it still says processing): the signed callback is rejected, the payout not applied.
    const lagging = await createPayment(s, "paypro", `CONFIRM-${kind}-lagging`);
    expect((await s.act("paypro", lagging.gatewayRef, "lag", { queries: 50 })).status).toBe(200);
    expect((await s.act("paypro", lagging.gatewayRef, "approve")).status).toBe(200);
    const rows = await eventually(() => rowsOf(s, lagging.id), (r) => r.length >= 1 && r.every((x) => x.state === "rejected"), 20_000);
    expect(rows[0]?.outcome).toBe("status_mismatch");
    expect(await statusOf(s, lagging.id)).toBe("pending");
  });

  it("XPay EG in USD end to end: the lookup names no currency and the payment's USD is used, by callback and by reconciliation", async () => {
    if (!stack) return;
    const s = stack;
    const usd = { amount: "10.00", currency: "USD" };
    const paid = await createPayment(s, "xpay-eg", `USD-${kind}-1`, usd);
    expect((await s.act("xpay-eg", paid.gatewayRef, "approve")).status).toBe(200);
    await eventually(() => statusOf(s, paid.id), (st) => st === "succeeded");
    expect((await s.api("GET", `/v1/payments/${paid.id}`)).body).toMatchObject({ amount: "10.00", currency: "USD", status: "succeeded", flagged: null });

    // Its callback lost: reconciliation asks XPay, whose answer names no currency, and settles it in USD (no mismatch).
    const lost = await createPayment(s, "xpay-eg", `USD-${kind}-2`, usd);
    await s.sandbox.callbacks.idle();
    await fetch(`${s.sandbox.url}/_sandbox/callbacks/mode`, { method: "POST", body: JSON.stringify({ gateway: "xpay-eg", mode: "drop", count: 1 }), headers: { "content-type": "application/json" } });
    expect((await s.act("xpay-eg", lost.gatewayRef, "approve")).status).toBe(200);
    const report = await reconcileNow(s.service.ctx, { afterMs: 0, ratePerSecond: 1000, burst: 1000, now: () => Date.now() + 1000 });
    expect(report.results.filter((r) => r.paymentId === lost.id).map((r) => r.outcome)).toEqual(["applied"]);
    expect((await s.api("GET", `/v1/payments/${lost.id}`)).body).toMatchObject({ amount: "10.00", currency: "USD", status: "succeeded", flagged: null });
  });
});

describe("dashboard callback rate limit", () => {
  let stack: Stack | undefined;
  useStack("pglite", (s) => (stack = s), { config: { callbackRateLimitPerMinute: 5 } });

  it("limits each source address on the dashboard URLs (429 with Retry-After), never the per-payment URLs", async () => {
    const s = stack as Stack;
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await post(`${s.service.url}/callbacks/xpay-eg`, "not a callback", { "content-type": "application/json" }));
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400, 429, 429]);
    const limited = answers[5] as Awaited<ReturnType<typeof post>>;
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(JSON.parse(limited.text).error).toMatchObject({ code: "rate_limited", field: "source address" });
    const p = await createPayment(s, "xpress-pay", "RATE-1");
    const perPayment = [];
    for (let i = 0; i < 8; i++) perPayment.push((await post(`${s.service.url}/callbacks/xpress-pay/${p.id}/wrong-token`, "{}", { "content-type": "application/json" })).status);
    expect(perPayment).toEqual(perPayment.map(() => 404));
  });
});
