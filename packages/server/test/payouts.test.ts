/**
 * Payouts and balances over real HTTP through the sandbox, on PGlite and on real PostgreSQL:
 * a payout is created at the gateway, settled there, and its signed or queried-back callback
 * reaches the service and is applied; idempotency, capability errors and bad input.
 */
import { eventually, useStack, type Stack } from "./harness";

const XPRESS_PAYOUT = {
  gateway: "xpress-pay",
  method: "easypaisa",
  amount: "250.00",
  currency: "PKR",
  recipient: { name: "Ali Khan", mobile: "03112233445", email: "ali@example.com" },
  metadata: { batch: "7" },
};

const PAYPRO_BANK_PAYOUT = {
  gateway: "paypro",
  method: "bank",
  amount: "1200",
  currency: "PKR",
  recipient: { name: "Sara Ahmed", mobile: "03001234567", email: "sara@example.com", national_id: "17301-2345678-9", bank_code: "ALLIED_BANK_LIMITED", account_number: "PK36SCBL0000001123456702" },
};

const PAYPRO_WALLET_PAYOUT = {
  gateway: "paypro",
  method: "jazzcash",
  amount: "300",
  currency: "PKR",
  recipient: { name: "Bilal Raza", mobile: "03214567890", email: "bilal@example.com", national_id: "3520212345671" },
};

type Json = Record<string, unknown>;

describe.each([["pglite"], ["postgres"]])("payouts and balances on %s", (kind) => {
  let stack: Stack | undefined;
  useStack(kind, (s) => (stack = s));

  it.each([
    ["xpress-pay easypaisa", XPRESS_PAYOUT],
    ["paypro bank", PAYPRO_BANK_PAYOUT],
    ["paypro jazzcash wallet", PAYPRO_WALLET_PAYOUT],
  ] as const)("%s: create -> settled at the gateway -> callback verified -> succeeded", async (_name, body) => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/payouts", { ...body, order_ref: `PAYOUT-${_name}` }, { "idempotency-key": `payout-${_name}` });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: "payout", gateway: body.gateway, method: body.method, currency: "PKR", status: "pending", order_ref: `PAYOUT-${_name}` });
    expect(created.body.gateway_ref).toEqual(expect.any(String));
    expect(created.body.recipient).toMatchObject({ name: body.recipient.name });
    // The national id goes to the gateway only; the account number is kept masked.
    expect(JSON.stringify(created.body)).not.toMatch(/national_id|1730123456789|17301-2345678-9|3520212345671|SCBL0000001123456702|appSecret|sign/);
    const approved = await s.act(body.gateway, String(created.body.gateway_ref), "approve");
    expect(approved.status).toBe(200);
    const paid = await eventually(() => s.api("GET", `/v1/payouts/${created.body.id}`), (r) => r.body.status === "succeeded");
    const events = paid.body.events as { type: string; to: string; source: string }[];
    expect(events.filter((e) => e.type === "status_changed").map((e) => [e.source, e.to])).toEqual([["callback", "succeeded"]]);
    const outbox = await s.service.ctx.db.query<{ type: string }>("select type from outbox_events where payment_id = $1", [created.body.id]);
    expect(outbox.map((e) => e.type)).toEqual(["payout.succeeded"]);
  });

  it("a payout the bank rejects ends failed", async () => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/payouts", { ...PAYPRO_BANK_PAYOUT, order_ref: "PAYOUT-REJECT" }, { "idempotency-key": "payout-reject" });
    expect(created.status).toBe(201);
    await s.act("paypro", String(created.body.gateway_ref), "decline");
    const failed = await eventually(() => s.api("GET", `/v1/payouts/${created.body.id}`), (r) => r.body.status !== "pending");
    expect(failed.body.status).toBe("failed");
  });

  it("lists payouts (not pay-ins) newest first, and a payout is not found as a payout of another kind", async () => {
    if (!stack) return;
    const s = stack;
    const list = await s.api("GET", "/v1/payouts?limit=100");
    expect(list.status).toBe(200);
    const data = list.body.data as Json[];
    expect(data.length).toBeGreaterThanOrEqual(4);
    expect(data.every((p) => p.object === "payout")).toBe(true);
    expect(data[0]?.recipient).toEqual(expect.objectContaining({ name: expect.any(String) }));
    const filtered = await s.api("GET", "/v1/payouts?gateway=paypro&status=failed");
    expect((filtered.body.data as Json[]).map((p) => p.order_ref)).toEqual(["PAYOUT-REJECT"]);
    const payments = await s.api("GET", "/v1/payments?limit=100");
    expect((payments.body.data as Json[]).some((p) => p.object === "payout")).toBe(false);
    const payIn = await s.api("POST", "/v1/payments", { gateway: "xpress-pay", method: "easypaisa", amount: "10.00", currency: "PKR", order_ref: "NOT-A-PAYOUT", customer: { name: "John Doe" } });
    const asPayout = await s.api("GET", `/v1/payouts/${payIn.body.id}`);
    expect(asPayout.status).toBe(404);
    expect(asPayout.body.error).toMatchObject({ field: "id" });
  });

  it("is idempotent: the same key and body answer the same payout, sent once; another body is refused", async () => {
    if (!stack) return;
    const s = stack;
    const body = { ...XPRESS_PAYOUT, order_ref: "PAYOUT-IDEM" };
    const headers = { "idempotency-key": "payout-idem-1" };
    const [a, b] = await Promise.all([s.api("POST", "/v1/payouts", body, headers), s.api("POST", "/v1/payouts", body, headers)]);
    const first = a.status === 201 ? a : b;
    const other = a.status === 201 ? b : a;
    expect(first.status).toBe(201);
    // A concurrent twin either waits its turn (409 in progress) or replays the stored answer.
    expect([201, 409]).toContain(other.status);
    const again = await s.api("POST", "/v1/payouts", body, headers);
    expect(again).toEqual(first);
    const orders = (await (await fetch(`${s.sandbox.url}/_sandbox/orders?gateway=xpress-pay`)).json()) as Record<string, { merchantRef: string }[]>;
    expect(orders["xpress-pay"]?.filter((o) => o.merchantRef === first.body.id)).toHaveLength(1);
    const stored = await s.service.ctx.db.query("select id from payments where order_ref = 'PAYOUT-IDEM'");
    expect(stored).toHaveLength(1);
    const reused = await s.api("POST", "/v1/payouts", { ...body, amount: "251.00" }, headers);
    expect(reused.status).toBe(422);
    expect(reused.body.error).toMatchObject({ code: "idempotency_key_reused", field: "Idempotency-Key" });
  });

  it("a payout on a gateway without payouts is a 422 capability error naming the gateway", async () => {
    if (!stack) return;
    for (const gateway of ["xpay-eg", "xpay-pk", "xpay-kg"]) {
      const r = await stack.api("POST", "/v1/payouts", { ...XPRESS_PAYOUT, gateway, order_ref: "NOPE" }, { "idempotency-key": `nope-${gateway}` });
      expect(r.status).toBe(422);
      expect(r.body.error).toMatchObject({ code: "capability_missing", field: "gateway" });
      expect(String((r.body.error as Json).message)).toContain(gateway);
    }
    expect(await stack.service.ctx.db.query("select id from payments where order_ref = 'NOPE'")).toHaveLength(0);
  });

  it("balances: xpress-pay and paypro as decimal strings; xpay-kg has none (422)", async () => {
    if (!stack) return;
    const xp = await stack.api("GET", "/v1/balances/xpress-pay");
    expect(xp.status).toBe(200);
    expect(xp.body).toMatchObject({
      object: "balance",
      gateway: "xpress-pay",
      currency: "PKR",
      available: { amount: expect.stringMatching(/^\d+\.\d{2}$/), currency: "PKR" },
      collected: { amount: expect.stringMatching(/^\d+\.\d{2}$/), currency: "PKR" },
      frozen: { amount: "10000.00", currency: "PKR" },
    });
    const pp = await stack.api("GET", "/v1/balances/paypro");
    expect(pp.status).toBe(200);
    expect(pp.body).toMatchObject({ gateway: "paypro", available: { amount: expect.stringMatching(/^\d+\.\d{2}$/), currency: "PKR" }, collected: { amount: "25000.00", currency: "PKR" } });
    // The PayPro sandbox draws payouts from `available`: 1,000,000 less the two payouts that went through (1200 + 300).
    expect((pp.body.available as Json).amount).toBe("998500.00");
    for (const gateway of ["xpay-kg", "xpay-eg"]) {
      const none = await stack.api("GET", `/v1/balances/${gateway}`);
      expect(none.status).toBe(422);
      expect(none.body.error).toMatchObject({ code: "capability_missing", field: "gateway" });
      expect(String((none.body.error as Json).message)).toContain(gateway);
    }
    const unknown = await stack.api("GET", "/v1/balances/nowhere-pay");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ field: "gateway" });
  });

  const BAD: [string, unknown, string][] = [
    ["no body", undefined, "body"],
    ["an array body", [], "body"],
    ["no gateway", { ...XPRESS_PAYOUT, gateway: undefined, order_ref: "B" }, "gateway"],
    ["an unknown gateway", { ...XPRESS_PAYOUT, gateway: "nowhere", order_ref: "B" }, "gateway"],
    ["a pay-in method", { ...XPRESS_PAYOUT, method: "card", order_ref: "B" }, "method"],
    ["no currency", { ...XPRESS_PAYOUT, currency: undefined, order_ref: "B" }, "currency"],
    ["a foreign currency", { ...XPRESS_PAYOUT, currency: "EGP", order_ref: "B" }, "currency"],
    ["a float amount", { ...XPRESS_PAYOUT, amount: 250, order_ref: "B" }, "amount"],
    ["a zero amount", { ...XPRESS_PAYOUT, amount: "0.00", order_ref: "B" }, "amount"],
    ["a negative amount", { ...XPRESS_PAYOUT, amount: "-5.00", order_ref: "B" }, "amount"],
    ["sub-paisa digits", { ...XPRESS_PAYOUT, amount: "1.005", order_ref: "B" }, "amount"],
    ["no order_ref", { ...XPRESS_PAYOUT }, "order_ref"],
    ["no recipient", { ...XPRESS_PAYOUT, recipient: undefined, order_ref: "B" }, "recipient"],
    ["a string recipient", { ...XPRESS_PAYOUT, recipient: "Ali", order_ref: "B" }, "recipient"],
    ["no recipient name", { ...XPRESS_PAYOUT, recipient: { mobile: "03112233445" }, order_ref: "B" }, "recipient.name"],
    ["a numeric mobile", { ...XPRESS_PAYOUT, recipient: { name: "Ali", mobile: 3112233445 }, order_ref: "B" }, "recipient.mobile"],
    ["a wallet payout without a mobile", { ...XPRESS_PAYOUT, recipient: { name: "Ali" }, order_ref: "B" }, "recipient.mobile"],
    ["a bad mobile", { ...XPRESS_PAYOUT, recipient: { name: "Ali", mobile: "12345" }, order_ref: "B" }, "recipient.mobile"],
    ["a bad email", { ...XPRESS_PAYOUT, recipient: { ...XPRESS_PAYOUT.recipient, email: "not-an-email" }, order_ref: "B" }, "recipient.email"],
    ["PayPro decimals", { ...PAYPRO_BANK_PAYOUT, amount: "10.50", order_ref: "B" }, "amount"],
    ["PayPro without a CNIC", { ...PAYPRO_BANK_PAYOUT, recipient: { ...PAYPRO_BANK_PAYOUT.recipient, national_id: undefined }, order_ref: "B" }, "recipient.national_id"],
    ["PayPro with an unknown bank", { ...PAYPRO_BANK_PAYOUT, recipient: { ...PAYPRO_BANK_PAYOUT.recipient, bank_code: "NOT_A_BANK" }, order_ref: "B" }, "recipient.bank_code"],
    ["PayPro with a bad account", { ...PAYPRO_BANK_PAYOUT, recipient: { ...PAYPRO_BANK_PAYOUT.recipient, account_number: "12" }, order_ref: "B" }, "recipient.account_number"],
    ["metadata that is not strings", { ...XPRESS_PAYOUT, metadata: { n: 1 }, order_ref: "B" }, "metadata.n"],
    ["a numeric remark", { ...PAYPRO_BANK_PAYOUT, remark: 5, order_ref: "B" }, "remark"],
  ];

  it.each(BAD)("bad input (%s) is a 4xx naming the field, and nothing is stored", async (_name, body, field) => {
    if (!stack) return;
    const before = await stack.service.ctx.db.query("select id from payments where kind = 'payout'");
    const r = await stack.api("POST", "/v1/payouts", body, { "idempotency-key": `bad-${_name}` });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.error).toMatchObject({ field });
    const after = await stack.service.ctx.db.query("select id from payments where kind = 'payout'");
    expect(after).toHaveLength(before.length);
  });

  it("bad input to the payout queries is a 4xx naming the field", async () => {
    if (!stack) return;
    const cases: [string, string][] = [
      ["/v1/payouts/po_doesnotexist", "id"],
      ["/v1/payouts?limit=0", "limit"],
      ["/v1/payouts?limit=abc", "limit"],
      ["/v1/payouts?status=paid", "status"],
      ["/v1/payouts?gateway=nowhere", "gateway"],
      ["/v1/payouts?starting_after=garbage", "starting_after"],
    ];
    for (const [path, field] of cases) {
      const r = await stack.api("GET", path);
      expect([r.status, r.body.error]).toEqual([expect.any(Number), expect.objectContaining({ field })]);
      expect(r.status >= 400 && r.status < 500).toBe(true);
    }
    const r = await stack.api("POST", "/v1/payouts", { ...XPRESS_PAYOUT, order_ref: "B" }, { "idempotency-key": "x".repeat(300) });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ field: "Idempotency-Key" });
  });
});
