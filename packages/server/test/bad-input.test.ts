/**
 * Bad input to every endpoint of src/api (payments create/get/list, callbacks), over real HTTP on
 * PGlite and on real PostgreSQL: a 4xx whose body names the field, never a 5xx, and nothing that
 * was stored before is changed or lost.
 */
import { eventually, freshDatabase, postgresAvailable, startStack, type Stack } from "./harness";

const VALID = { gateway: "xpress-pay", method: "easypaisa", order_ref: "ORDER-GOOD", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" }, return_url: "https://shop.example/return" };

/** A create body: the valid one with `patch` applied (undefined deletes a field). */
function body(patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...VALID };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** Bodies that must be refused, and the field the answer must name. */
const BAD_CREATES: [string, unknown, string][] = [
  ["a JSON array", [VALID], "body"],
  ["a JSON string", "\"hello\"", "body"],
  ["gateway missing", body({ gateway: undefined }), "gateway"],
  ["gateway not a string", body({ gateway: 7 }), "gateway"],
  ["unknown gateway", body({ gateway: "stripe" }), "gateway"],
  ["method missing", body({ method: undefined }), "method"],
  ["method the gateway lacks", body({ method: "card" }), "method"],
  ["amount with a thousands separator", body({ amount: "1,500" }), "amount"],
  ["negative amount", body({ amount: "-5" }), "amount"],
  ["zero amount", body({ amount: "0.00" }), "amount"],
  ["more decimals than the currency has", body({ amount: "10.005" }), "amount"],
  ["amount as a JSON number", body({ amount: 1500 }), "amount"],
  ["amount in exponent form", body({ amount: "1e3" }), "amount"],
  ["amount missing", body({ amount: undefined }), "amount"],
  ["unknown currency", body({ currency: "XYZ" }), "currency"],
  ["currency the gateway does not take", body({ currency: "EGP" }), "currency"],
  ["currency not a string", body({ currency: ["PKR"] }), "currency"],
  ["order_ref missing", body({ order_ref: undefined }), "order_ref"],
  ["order_ref too long", body({ order_ref: "x".repeat(129) }), "order_ref"],
  ["customer missing", body({ customer: undefined }), "customer.name"],
  ["customer not an object", body({ customer: "John" }), "customer"],
  ["customer.name missing", body({ customer: { phone: "03001234567" } }), "customer.name"],
  ["customer.name blank", body({ customer: { name: "  " } }), "customer.name"],
  ["customer.email not a string", body({ customer: { name: "John", email: 5 } }), "customer.email"],
  ["return_url not a URL", body({ return_url: "shop.example/return" }), "return_url"],
  ["return_url not http(s)", body({ return_url: "javascript:alert(1)" }), "return_url"],
  ["return_url not a string", body({ return_url: { href: "https://x" } }), "return_url"],
  ["metadata not an object", body({ metadata: ["a"] }), "metadata"],
  ["metadata value not a string", body({ metadata: { cart: 5 } }), "metadata.cart"],
  ["description too long", body({ description: "d".repeat(256) }), "description"],
];

describe.each([["pglite"], ["postgres"]])("bad input on %s", (kind) => {
  let stack: Stack | undefined;
  let drop: (() => Promise<void>) | undefined;
  let before: Record<string, unknown> = {};

  beforeAll(async () => {
    if (kind === "postgres") {
      if (!(await postgresAvailable())) return;
      const db = await freshDatabase();
      drop = db.drop;
      stack = await startStack({ databaseUrl: db.url });
    } else {
      stack = await startStack();
    }
    // A payment stored before any bad request: it must come through untouched.
    const created = await stack.api("POST", "/v1/payments", VALID, { "idempotency-key": "key-good" });
    expect(created.status).toBe(201);
    before = (await stack.api("GET", `/v1/payments/${created.body.id}`)).body;
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await drop?.();
  });

  /** Sends raw bytes to the service and answers status and parsed body. */
  const raw = async (s: Stack, method: string, path: string, payload: string | undefined, headers: Record<string, string>) => {
    const res = await fetch(s.service.url + path, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // a text answer (callbacks) is checked as text
    }
    return { status: res.status, body: parsed as { error?: { code?: string; message?: string; field?: string } } };
  };
  const auth = (s: Stack) => ({ authorization: `Bearer ${s.apiKey}` });

  const expectField = (answer: { status: number; body: { error?: { message?: string; field?: string } } }, status: number, field: string) => {
    expect({ status: answer.status, field: answer.body.error?.field }).toEqual({ status, field });
    expect(answer.body.error?.message).toContain(field);
  };

  it.each(BAD_CREATES)("POST /v1/payments: %s -> 400 naming the field", async (_name, payload, field) => {
    if (!stack) return;
    const answer = await raw(stack, "POST", "/v1/payments", typeof payload === "string" ? payload : JSON.stringify(payload), { ...auth(stack), "content-type": "application/json" });
    expectField(answer, 400, field);
  });

  it("POST /v1/payments: missing, empty, non-JSON and non-object bodies -> 400 naming body", async () => {
    if (!stack) return;
    const s = stack;
    expectField(await raw(s, "POST", "/v1/payments", undefined, auth(s)), 400, "body");
    expectField(await raw(s, "POST", "/v1/payments", "", { ...auth(s), "content-type": "application/json" }), 400, "body");
    expectField(await raw(s, "POST", "/v1/payments", '{"gateway": "xpress-pay",', { ...auth(s), "content-type": "application/json" }), 400, "body");
    expectField(await raw(s, "POST", "/v1/payments", "gateway=xpress-pay", { ...auth(s), "content-type": "text/plain" }), 400, "body");
    expectField(await raw(s, "POST", "/v1/payments", "null", { ...auth(s), "content-type": "application/json" }), 400, "body");
    // A form body is read, and its missing fields are named.
    expectField(await raw(s, "POST", "/v1/payments", "gateway=xpress-pay&method=easypaisa", { ...auth(s), "content-type": "application/x-www-form-urlencoded" }), 400, "currency");
  });

  it("POST /v1/payments: a body over 1 MB -> 413 naming body", async () => {
    if (!stack) return;
    const huge = JSON.stringify(body({ description: "x".repeat(1_100_000) }));
    expectField(await raw(stack, "POST", "/v1/payments", huge, { ...auth(stack), "content-type": "application/json" }), 413, "body");
  });

  it("no API key, a malformed header, a wrong key -> 401 naming Authorization, on every /v1 route", async () => {
    if (!stack) return;
    const s = stack;
    const attempts: Record<string, string>[] = [{}, { authorization: s.apiKey }, { authorization: "Basic dXNlcjpwYXNz" }, { authorization: "Bearer xc_live_not-a-real-key" }, { authorization: "Bearer " }];
    for (const headers of attempts) {
      for (const [method, path] of [["POST", "/v1/payments"], ["GET", "/v1/payments"], ["GET", `/v1/payments/${before.id}`]] as const) {
        const answer = await raw(s, method, path, method === "POST" ? JSON.stringify(VALID) : undefined, { ...headers, ...(method === "POST" ? { "content-type": "application/json" } : {}) });
        expectField(answer, 401, "Authorization");
      }
    }
  });

  it("Idempotency-Key: reused with another body -> 422; too long -> 400; the first answer is still replayed", async () => {
    if (!stack) return;
    const s = stack;
    expectField(await raw(s, "POST", "/v1/payments", JSON.stringify(body({ amount: "1600.00" })), { ...auth(s), "content-type": "application/json", "idempotency-key": "key-good" }), 422, "Idempotency-Key");
    expectField(await raw(s, "POST", "/v1/payments", JSON.stringify(VALID), { ...auth(s), "content-type": "application/json", "idempotency-key": "k".repeat(256) }), 400, "Idempotency-Key");
    const replay = await s.api("POST", "/v1/payments", VALID, { "idempotency-key": "key-good" });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(before.id);
    // A bad request under a fresh key is not stored: the same key then works with a fixed body.
    expectField(await raw(s, "POST", "/v1/payments", JSON.stringify(body({ amount: "1,500" })), { ...auth(s), "content-type": "application/json", "idempotency-key": "key-fixed-later" }), 400, "amount");
    const fixed = await s.api("POST", "/v1/payments", body({ order_ref: "ORDER-FIXED" }), { "idempotency-key": "key-fixed-later" });
    expect(fixed.status).toBe(201);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
    ["limit=2.5", "limit"],
    ["limit=1&limit=2", "limit"],
    ["status=paid", "status"],
    ["status=", "status"],
    ["gateway=stripe", "gateway"],
    ["starting_after=not-a-cursor", "starting_after"],
    ["starting_after=", "starting_after"],
  ])("GET /v1/payments?%s -> 400 naming %s", async (query, field) => {
    if (!stack) return;
    expectField(await raw(stack, "GET", `/v1/payments?${query}`, undefined, auth(stack)), 400, field);
  });

  it("GET /v1/payments/:id: unknown or another merchant's -> 404 naming id; an absurdly long or malformed id -> 4xx naming path", async () => {
    if (!stack) return;
    const s = stack;
    expectField(await raw(s, "GET", "/v1/payments/pay_doesnotexist", undefined, auth(s)), 404, "id");
    expectField(await raw(s, "GET", `/v1/payments/${"p".repeat(500)}`, undefined, auth(s)), 414, "path");
    expectField(await raw(s, "GET", "/v1/payments/%E0%A4%A", undefined, auth(s)), 400, "path");
    const other = await s.service.ctx.merchants.create("Another store");
    expectField(await raw(s, "GET", `/v1/payments/${before.id}`, undefined, { authorization: `Bearer ${other.apiKey}` }), 404, "id");
  });

  it("callbacks: unknown gateway, wrong token, wrong route, empty body -> 4xx naming the part; a garbage body at a real URL changes nothing", async () => {
    if (!stack) return;
    const s = stack;
    const id = String(before.id);
    const token = s.service.ctx.secrets.callbackToken(id);
    const text = { "content-type": "application/json" };
    const named = async (path: string, payload: string, status: number, part: string) => {
      const answer = await raw(s, "POST", path, payload, text);
      expect(answer.status).toBe(status);
      expect(JSON.stringify(answer.body)).toContain(part);
    };
    await named(`/callbacks/stripe/${id}/${token}`, "{}", 404, "gateway");
    await named(`/callbacks/xpress-pay/${id}/wrong-token`, "{}", 404, "token");
    await named(`/callbacks/xpress-pay/pay_other/${token}`, "{}", 404, "token");
    await named("/callbacks/xpress-pay", "{}", 404, "gateway");
    await named("/callbacks/stripe", "{}", 404, "gateway");
    await named("/callbacks/xpay-eg", "", 400, "body");
    await named(`/callbacks/xpress-pay/${id}/${token}`, "", 400, "body");

    // A body at the right URL is stored and acknowledged first, then verified: garbage is rejected and applies nothing.
    const before_ = await s.service.ctx.db.query<{ n: number }>("select count(*)::int as n from callbacks where payment_id = $1", [id]);
    const garbage = await raw(s, "POST", `/callbacks/xpress-pay/${id}/${token}`, "<xml>not json</xml>", { "content-type": "text/xml" });
    expect(garbage.status).toBe(200);
    const rows = await eventually(
      () => s.service.ctx.db.query<{ state: string; outcome: string }>("select state, outcome from callbacks where payment_id = $1 order by id", [id]),
      (r) => r.length === Number(before_[0]?.n) + 1 && r.every((x) => x.state !== "received" && x.state !== "retry"),
    );
    expect(rows[rows.length - 1]?.state).toBe("rejected");
  });

  it("nothing stored is lost or changed by all of the above", async () => {
    if (!stack) return;
    const s = stack;
    const after = await s.api("GET", `/v1/payments/${before.id}`);
    expect(after.status).toBe(200);
    const { events: eventsBefore, ...restBefore } = before;
    const { events: eventsAfter, ...restAfter } = after.body;
    expect(restAfter).toEqual(restBefore);
    expect(eventsAfter).toEqual(eventsBefore);
    const list = await s.api("GET", "/v1/payments?limit=100");
    expect((list.body.data as { order_ref: string }[]).map((p) => p.order_ref).sort()).toEqual(["ORDER-FIXED", "ORDER-GOOD"]);
  });
});
