/**
 * No late payment lost in silence, and recalls as they are, over real HTTP against the sandbox, on
 * PGlite and on real PostgreSQL: a pay-in's expiry follows its method (page, kiosk bill, QR); a kiosk
 * bill paid after the service expired it reaches a storefront endpoint as one `payment.needs_attention`
 * event, shows in the API's `attention` field, the metric and a warn log line; an Xpress Pay recall
 * of part of a payment records its amount (`reversed_amount`), its event carries it, and a recall only
 * the URL token vouches for says `verified_by: "token"` and raises needs-attention.
 */
import { Writable } from "node:stream";
import pino from "pino";
import { configureOutbox } from "../src/outbox";
import { reconcileNow } from "../src/reconcile";
import { eventually, useStack, type Stack } from "./harness";
import { Receiver } from "./outbox-receiver";

configureOutbox({ baseDelayMs: 20, maxDelayMs: 200, pollMs: 50, timeoutMs: 5_000 });

type Json = Record<string, unknown>;

const SHOPPER = { name: "Islam Rostom", email: "irostom@example.com", phone: "+201119045759" };
const KIOSK = { gateway: "xpay-eg", method: "kiosk", amount: "50.00", currency: "EGP", customer: SHOPPER };
const EASYPAISA = { gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", customer: { name: "Ayesha Khan", phone: "03001234567" } };

describe.each([["pglite"], ["postgres"]])("late payments and recalls on %s", (kind) => {
  let stack: Stack | undefined;
  let receiver: Receiver;
  const logLines: Json[] = [];
  const log = pino(
    { level: "warn" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) logLines.push(JSON.parse(line) as Json);
        done();
      },
    }),
  );

  useStack(kind, (s) => (stack = s), { log });
  beforeAll(async () => {
    if (!stack) return;
    receiver = await new Receiver().listen();
    const created = await stack.api("POST", "/v1/endpoints", { url: receiver.url });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await receiver?.close();
  });

  /** The events the storefront received for a payment, parsed, in arrival order (each event id once). */
  function received(paymentId: string): Json[] {
    const seen = new Set<string>();
    return receiver.receipts
      .map((r) => JSON.parse(r.body) as Json)
      .filter((e) => (e.data as Json).id === paymentId && !seen.has(String(e.id)) && Boolean(seen.add(String(e.id))));
  }

  /** The value of a counter series in /metrics, 0 when absent. */
  async function metric(s: Stack, series: string): Promise<number> {
    const text = await (await fetch(`${s.service.url}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(series + " "));
    return line ? Number(line.slice(series.length + 1)) : 0;
  }

  /** Posts a stored callback's exact bytes again, as a gateway retrying it would, and waits until it is processed. */
  async function replay(s: Stack, paymentId: string, url: string, matching: string): Promise<void> {
    const rows = await s.service.ctx.db.query<{ id: string; raw_body_bytes: Uint8Array }>(
      "select id, raw_body_bytes from callbacks where payment_id = $1 and raw_body_bytes is not null order by id",
      [paymentId],
    );
    const row = rows.find((r) => Buffer.from(r.raw_body_bytes).toString("utf8").includes(matching));
    expect(row).toBeDefined();
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.from(row!.raw_body_bytes) });
    expect(res.status).toBe(200);
    // A dashboard callback is tied to its payment once processed; a per-payment one at intake, so wait for both.
    await eventually(
      () => s.service.ctx.db.query<{ n: number }>("select count(*)::int as n from callbacks where payment_id = $1", [paymentId]),
      (r) => (r[0]?.n ?? 0) > rows.length,
    );
    await eventually(
      () => s.service.ctx.db.query<{ n: number }>("select count(*)::int as n from callbacks where payment_id = $1 and state in ('received', 'retry')", [paymentId]),
      (r) => r[0]?.n === 0,
    );
  }

  it("expires each pay-in by what the shopper is handed: a page after EXPIRE_AFTER_MS, a kiosk or Fawry bill and a QR after their gateway's validity, each overridable", async () => {
    if (!stack) return;
    const s = stack;
    const lifetime = async (body: Json) => {
      const created = await s.api("POST", "/v1/payments", { ...body, order_ref: `LIFE-${Math.random()}` });
      expect(created.status).toBe(201);
      return Date.parse(String(created.body.expires_at)) - Date.parse(String(created.body.created_at));
    };
    const near = (ms: number, expected: number) => expect(Math.abs(ms - expected)).toBeLessThan(5_000);
    near(await lifetime(KIOSK), 72 * 3600_000);
    near(await lifetime({ ...KIOSK, method: "fawry" }), 72 * 3600_000);
    near(await lifetime({ ...KIOSK, method: "card" }), 24 * 3600_000);
    near(await lifetime({ gateway: "xpay-kg", method: "qr", amount: "100.00", currency: "KGS", customer: { name: "Aibek" } }), 30 * 60_000);
    near(await lifetime(EASYPAISA), 24 * 3600_000);
    const config = s.service.ctx.config;
    Object.assign(config, { expireBillAfterMs: 7 * 24 * 3600_000, expireQrAfterMs: 10 * 60_000, expireAfterMs: 3600_000 });
    try {
      near(await lifetime(KIOSK), 7 * 24 * 3600_000);
      near(await lifetime({ gateway: "xpay-kg", method: "qr", amount: "100.00", currency: "KGS", customer: { name: "Aibek" } }), 10 * 60_000);
      near(await lifetime({ ...KIOSK, method: "wallet" }), 3600_000);
    } finally {
      Object.assign(config, { expireBillAfterMs: undefined, expireQrAfterMs: undefined, expireAfterMs: 24 * 3600_000 });
    }
  });

  it("a kiosk bill paid after the service expired it reaches the storefront once as payment.needs_attention, with the API field, the metric and a log line", async () => {
    if (!stack) return;
    const s = stack;
    const series = `xpay_connect_payments_needs_attention_total{gateway="xpay-eg",reason="paid_after_expired"}`;
    const before = await metric(s, series);
    s.service.ctx.config.expireBillAfterMs = 1;
    let created: { status: number; body: Json };
    try {
      created = await s.api("POST", "/v1/payments", { ...KIOSK, order_ref: "KIOSK-LATE" });
    } finally {
      s.service.ctx.config.expireBillAfterMs = undefined;
    }
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    expect((created.body.next_action as Json).type).toBe("kiosk");
    // Reconciliation finds the bill unpaid at the gateway past its (short) validity: the service expires it.
    const expired = await eventually(
      async () => {
        await reconcileNow(s.service.ctx);
        return s.api("GET", `/v1/payments/${id}`);
      },
      (r) => r.body.status === "expired",
    );
    expect(expired.body).toMatchObject({ attention: null, reversed_amount: "0.00" });
    expect((expired.body.events as Json[]).some((e) => e.source === "expiry" && e.to === "expired")).toBe(true);

    // The shopper pays the bill at the kiosk anyway: the gateway takes the money and calls back.
    expect((await s.act("xpay-eg", String(created.body.gateway_ref), "approve")).status).toBe(200);
    const late = await eventually(() => s.api("GET", `/v1/payments/${id}`), (r) => r.body.attention !== null);
    expect(late.body).toMatchObject({
      status: "expired",
      attention: { reason: "paid_after_expired", amount: created.body.amount, currency: "EGP" },
    });
    expect(late.body.flagged).toMatch(/succeeded after expired/);
    expect(Date.parse(String((late.body.attention as Json).at))).not.toBeNaN();

    const events = await eventually(() => Promise.resolve(received(id)), (e) => e.some((x) => x.type === "payment.needs_attention"));
    const attention = events.find((e) => e.type === "payment.needs_attention")!;
    expect(attention.attention).toMatchObject({ reason: "paid_after_expired", amount: created.body.amount, currency: "EGP", reported_status: "succeeded" });
    expect(attention.data).toMatchObject({ id, status: "expired", order_ref: "KIOSK-LATE", attention: { reason: "paid_after_expired", amount: created.body.amount } });
    expect(await metric(s, series)).toBe(before + 1);
    const line = logLines.find((l) => l.payment === id && l.msg === "payment needs attention");
    expect(line).toMatchObject({ level: 40, gateway: "xpay-eg", reason: "paid_after_expired", amount: created.body.amount, currency: "EGP" });
    const logged = JSON.stringify(logLines);
    for (const customer of [SHOPPER.name, SHOPPER.phone, SHOPPER.email]) expect(logged).not.toContain(customer);

    // The gateway reports the same late success again: still one event, one count, one log line.
    await replay(s, id, `${s.service.url}/callbacks/xpay-eg`, "SUCCESSFUL");
    const stored = await s.service.ctx.db.query("select id from outbox_events where payment_id = $1 and type = 'payment.needs_attention'", [id]);
    expect(stored).toHaveLength(1);
    expect(received(id).filter((e) => e.type === "payment.needs_attention")).toHaveLength(1);
    expect(await metric(s, series)).toBe(before + 1);
    expect(logLines.filter((l) => l.payment === id && l.msg === "payment needs attention")).toHaveLength(1);
    expect((await s.api("GET", `/v1/payments/${id}`)).body.status).toBe("expired");
  });

  it("a partial recall records its amount beside the status and its event carries it; the rest makes it reversed; a token-only recall says so and needs attention", async () => {
    if (!stack) return;
    const s = stack;
    const series = `xpay_connect_payments_needs_attention_total{gateway="xpress-pay",reason="recall_unconfirmed"}`;
    const before = await metric(s, series);
    const created = await s.api("POST", "/v1/payments", { ...EASYPAISA, order_ref: "RECALL-1" });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    expect((await s.act("xpress-pay", String(created.body.gateway_ref), "approve")).status).toBe(200);
    await eventually(() => s.api("GET", `/v1/payments/${id}`), (r) => r.body.status === "succeeded");
    expect((await s.api("GET", `/v1/payments/${id}`)).body.reversed_amount).toBe("0.00");

    // The bank claws back 500 of 1,500.
    expect((await s.act("xpress-pay", id, "recall", { amount: "500.00" })).status).toBe(200);
    const partial = await eventually(() => s.api("GET", `/v1/payments/${id}`), (r) => r.body.reversed_amount !== "0.00");
    expect(partial.body).toMatchObject({ status: "succeeded", amount: "1500.00", reversed_amount: "500.00", attention: { reason: "recall_unconfirmed", amount: "500.00", currency: "PKR" } });
    const recorded = (partial.body.events as Json[]).find((e) => e.type === "recall_recorded");
    expect(recorded).toMatchObject({ source: "callback", from: "succeeded", to: "succeeded", detail: { kind: "recall", amount: "500.00", currency: "PKR", verified_by: "token" } });
    expect((partial.body.events as Json[]).some((e) => (e.detail as Json | null)?.verified_by === "query" && (e.detail as Json).kind === "recall")).toBe(false);

    const events = await eventually(
      () => Promise.resolve(received(id)),
      (e) => e.some((x) => x.type === "payment.partially_reversed") && e.some((x) => x.type === "payment.needs_attention"),
    );
    expect(events.find((e) => e.type === "payment.partially_reversed")).toMatchObject({
      recall: { amount: "500.00", currency: "PKR", verified_by: "token" },
      data: { id, status: "succeeded", reversed_amount: "500.00" },
    });
    expect(events.find((e) => e.type === "payment.needs_attention")).toMatchObject({
      attention: { reason: "recall_unconfirmed", amount: "500.00", currency: "PKR", recall: { amount: "500.00", verified_by: "token" } },
    });
    expect(await metric(s, series)).toBe(before + 1);

    // Xpress Pay retries the same notice: counted once.
    await replay(s, id, s.service.ctx.callbackUrl("xpress-pay", id), "recallAmount");
    const again = await s.api("GET", `/v1/payments/${id}`);
    expect(again.body.reversed_amount).toBe("500.00");
    expect((again.body.events as Json[]).some((e) => e.type === "recall_duplicate")).toBe(true);
    expect(await metric(s, series)).toBe(before + 1);

    // The rest (1,000) is clawed back too: the whole payment is reversed.
    expect((await s.act("xpress-pay", id, "recall", { amount: "1000.00" })).status).toBe(200);
    const full = await eventually(() => s.api("GET", `/v1/payments/${id}`), (r) => r.body.status === "reversed");
    expect(full.body).toMatchObject({ reversed_amount: "1500.00", attention: { reason: "recall_unconfirmed", amount: "1000.00" } });
    const reversed = await eventually(
      () => Promise.resolve(received(id)),
      (e) => e.some((x) => x.type === "payment.reversed") && e.filter((x) => x.type === "payment.needs_attention").length === 2,
    );
    expect(reversed.find((e) => e.type === "payment.reversed")).toMatchObject({
      recall: { amount: "1000.00", currency: "PKR", verified_by: "token" },
      data: { status: "reversed", reversed_amount: "1500.00", attention: { reason: "recall_unconfirmed", amount: "1000.00" } },
    });
    expect(await metric(s, series)).toBe(before + 2);
    const rows = await s.service.ctx.db.query<{ amount_minor: string | number; verified_by: string }>("select amount_minor, verified_by from recalls where payment_id = $1 order by created_at", [id]);
    expect(rows.map((r) => [Number(r.amount_minor), r.verified_by])).toEqual([
      [50_000, "token"],
      [100_000, "token"],
    ]);
  });
});
