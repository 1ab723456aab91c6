/**
 * Strict input on the /v1 API, over real HTTP against the sandbox on PGlite and on real PostgreSQL:
 * a refund `amount` is omitted or a decimal string (`null` is a 400, never "refund everything");
 * amounts take no surrounding whitespace; NUL characters, lone surrogates and `%00` in a body, a
 * query, a path or a header are a 400 naming the field, never a 500; metadata keys, values and
 * counts have limits; `limit` takes integers only. Nothing refused changes a payment.
 */
import { connect } from "node:net";
import { eventually, useStack, type Stack } from "./harness";

type Json = Record<string, unknown>;
type Answer = { status: number; text: string; body: { error?: { code?: string; message?: string; field?: string } } };

const PAY_IN = { gateway: "xpress-pay", method: "easypaisa", order_ref: "STRICT-1", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" }, return_url: "https://shop.example/return", description: "hi", metadata: { cart: "1" } };
const PAYOUT = { gateway: "xpress-pay", method: "easypaisa", order_ref: "STRICT-PO", amount: "250.00", currency: "PKR", recipient: { name: "Ali Khan", mobile: "03112233445" }, remark: "r", metadata: { a: "b" } };
const EG_CARD = { gateway: "xpay-eg", method: "card", amount: "50.00", currency: "EGP", order_ref: "STRICT-RF", customer: { name: "Islam Rostom", email: "irostom@xpay.app", phone: "+201119045759" } };

/** `body` with `value` set at the dotted `field`. */
function set(body: Json, field: string, value: unknown): Json {
  const out = structuredClone(body);
  const keys = field.split(".");
  let node = out;
  for (const key of keys.slice(0, -1)) node = node[key] as Json;
  node[keys[keys.length - 1] as string] = value;
  return out;
}

const NUL = "a\u0000b";
const HIGH = "a\ud800b";
const LOW = "\udc00";

describe.each([["pglite"], ["postgres"]])("strict input on %s", (kind) => {
  let stack: Stack | undefined;
  let paid: Json = {};
  let before: unknown;
  useStack(kind, (s) => (stack = s));

  const snapshot = async (s: Stack) => ({
    payments: await s.service.ctx.db.query("select id, status, amount_minor, refunded_minor, order_ref, metadata, party from payments order by id"),
    refunds: await s.service.ctx.db.query("select id from refunds order by id"),
    endpoints: await s.service.ctx.db.query("select id from endpoints order by id"),
    accounts: await s.service.ctx.db.query("select gateway, updated_at from gateway_accounts order by gateway"),
  });

  const send = async (s: Stack, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(s.service.url + path, {
      method,
      headers: { authorization: `Bearer ${s.apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    let parsed: Answer["body"] = {};
    try {
      parsed = JSON.parse(text) as Answer["body"];
    } catch {
      // checked by expectField
    }
    return { status: res.status, text, body: parsed };
  };
  const expectField = (answer: Answer, status: number, field: string) => {
    expect({ status: answer.status, field: answer.body.error?.field, text: answer.status === status ? "" : answer.text }).toEqual({ status, field, text: "" });
    expect(answer.body.error?.message).toContain(field);
  };

  beforeAll(async () => {
    if (!stack) return;
    const s = stack;
    const created = await s.api("POST", "/v1/payments", EG_CARD);
    expect(created.status).toBe(201);
    await s.act("xpay-eg", String(created.body.gateway_ref), "approve");
    paid = (await eventually(() => s.api("GET", `/v1/payments/${created.body.id}`), (r) => r.body.status === "succeeded")).body;
    before = await snapshot(s);
  });

  it("refund amount: null, a number, or with surrounding whitespace -> 400 naming amount; nothing is refunded", async () => {
    if (!stack) return;
    const s = stack;
    const path = `/v1/payments/${paid.id}/refunds`;
    for (const amount of [null, 10, " 10.00", "10.00 ", "10.00\n", "\t10.00", "", "1e1", "+10.00"]) {
      expectField(await send(s, "POST", path, JSON.stringify({ amount }), { "idempotency-key": `rf-${JSON.stringify(amount)}` }), 400, "amount");
    }
    // Null without a key, and as a form body, too.
    expectField(await send(s, "POST", path, '{"amount":null,"reason":"x"}'), 400, "amount");
    const after = await s.api("GET", `/v1/payments/${paid.id}`);
    expect(after.body).toMatchObject({ status: "succeeded", refunded_amount: "0.00" });
  });

  it("pay-in and payout amounts with surrounding whitespace -> 400 naming amount", async () => {
    if (!stack) return;
    const s = stack;
    for (const [i, amount] of [" 1500.00", "1500.00 ", "1500.00\n", "\n1500.00", "1500 .00", "\u00a01500.00"].entries()) {
      expectField(await send(s, "POST", "/v1/payments", JSON.stringify({ ...PAY_IN, amount })), 400, "amount");
      expectField(await send(s, "POST", "/v1/payouts", JSON.stringify({ ...PAYOUT, amount }), { "idempotency-key": `po-ws-${i}` }), 400, "amount");
    }
  });

  it.each<[string, string, string, Json, string]>([
    ["POST", "/v1/payments", "order_ref", PAY_IN, NUL],
    ["POST", "/v1/payments", "method", PAY_IN, NUL],
    ["POST", "/v1/payments", "customer.name", PAY_IN, HIGH],
    ["POST", "/v1/payments", "customer.phone", PAY_IN, LOW],
    ["POST", "/v1/payments", "customer.email", PAY_IN, NUL],
    ["POST", "/v1/payments", "description", PAY_IN, LOW],
    ["POST", "/v1/payments", "return_url", PAY_IN, `https://shop.example/${NUL}`],
    ["POST", "/v1/payments", "return_url", PAY_IN, `https://shop.example/${HIGH}`],
    ["POST", "/v1/payments", "metadata.cart", PAY_IN, NUL],
    ["POST", "/v1/payments", "currency", PAY_IN, "PK\u0000"],
    ["POST", "/v1/payments", "gateway", PAY_IN, "xpress-pay\u0000"],
    ["POST", "/v1/payouts", "recipient.name", PAYOUT, NUL],
    ["POST", "/v1/payouts", "recipient.mobile", PAYOUT, HIGH],
    ["POST", "/v1/payouts", "remark", PAYOUT, LOW],
    ["POST", "/v1/payouts", "order_ref", PAYOUT, "%00\u0000"],
    ["POST", "/v1/endpoints", "url", { url: "https://shop.example/hooks", description: "d" }, `https://shop.example/${NUL}`],
    ["POST", "/v1/endpoints", "description", { url: "https://shop.example/hooks", description: "d" }, HIGH],
    ["PUT", "/v1/gateways/xpress-pay", "appId", { baseUrl: "http://127.0.0.1:9/xpress-pay", appId: "an-app-id" }, NUL],
    ["PUT", "/v1/gateways/xpress-pay", "appId", { baseUrl: "http://127.0.0.1:9/xpress-pay", appId: "an-app-id" }, HIGH],
    ["PUT", "/v1/gateways/xpress-pay", "baseUrl", { baseUrl: "http://127.0.0.1:9/xpress-pay", appId: "an-app-id" }, `http://127.0.0.1:9/${NUL}`],
  ])("%s %s: %s with NUL or a lone surrogate -> 400 naming it", async (method, path, field, valid, value) => {
    if (!stack) return;
    expectField(await send(stack, method, path, JSON.stringify(set(valid, field, value)), { "idempotency-key": `nul-${field}-${value.length}` }), 400, field);
  });

  it("NUL and lone surrogates elsewhere in a body: a metadata key, a refund reason, a raw NUL byte, invalid UTF-8 -> 400 naming the field", async () => {
    if (!stack) return;
    const s = stack;
    expectField(await send(s, "POST", "/v1/payments", JSON.stringify({ ...PAY_IN, metadata: { [NUL]: "v" } })), 400, "metadata");
    expectField(await send(s, "POST", "/v1/payments", JSON.stringify({ ...PAY_IN, metadata: { [HIGH]: "v" } })), 400, "metadata");
    expectField(await send(s, "POST", `/v1/payments/${paid.id}/refunds`, JSON.stringify({ reason: NUL })), 400, "reason");
    // A raw NUL byte inside a JSON string is not JSON.
    expectField(await send(s, "POST", "/v1/payments", JSON.stringify(PAY_IN).replace("STRICT-1", "STRICT\u0000")), 400, "body");
    // Invalid UTF-8 bytes decode to U+FFFD (storable): the request is then judged on its fields.
    const bytes = Buffer.concat([Buffer.from('{"gateway":"xpress-pay","method":"easypaisa","order_ref":"'), Buffer.from([0xed, 0xa0, 0x80, 0xff]), Buffer.from('","amount":" 1"}')]);
    const res = await fetch(`${s.service.url}/v1/payments`, { method: "POST", headers: { authorization: `Bearer ${s.apiKey}`, "content-type": "application/json" }, body: bytes });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error).toMatchObject({ field: expect.any(String) });
    // A form body's %00 decodes to NUL: named too.
    const form = await send(s, "POST", "/v1/payments", "gateway=xpress-pay&method=easypaisa&currency=PKR&amount=1.00&order_ref=a%00b&customer[name]=x", { "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(400);
    expect(form.body.error?.field).toBeTruthy();
  });

  it.each(["/v1/payments", "/v1/payouts"])("GET %s: %00, NUL and undecodable text in every filter and the cursor -> 400 naming it", async (path) => {
    if (!stack) return;
    const s = stack;
    for (const param of ["order_ref", "status", "gateway", "starting_after", "limit"]) {
      for (const value of ["%00", "a%00b", "%00%00", "%F0%9F%98%80%00"]) {
        expectField(await send(s, "GET", `${path}?${param}=${value}`), 400, param);
      }
    }
    // An undecodable escape is taken as the literal text it is (storable): a filter matching nothing, not an error.
    for (const value of ["%ED%A0%80", "%C0%80"]) {
      const page = await send(s, "GET", `${path}?order_ref=${value}`);
      expect({ status: page.status, text: page.text }).toEqual({ status: 200, text: JSON.stringify({ object: "list", data: [], has_more: false, next_cursor: null }) });
      expectField(await send(s, "GET", `${path}?status=${value}`), 400, "status");
      expectField(await send(s, "GET", `${path}?starting_after=${value}`), 400, "starting_after");
    }
    const cursor = Buffer.from("2026-01-01T00:00:00.000Z|pay_\u0000x").toString("base64url");
    expectField(await send(s, "GET", `${path}?starting_after=${cursor}`), 400, "starting_after");
    const surrogateCursor = Buffer.from("2026-01-01T00:00:00.000Z|\ud800", "utf16le").toString("base64url");
    expectField(await send(s, "GET", `${path}?starting_after=${surrogateCursor}`), 400, "starting_after");
  });

  it("limit takes integers only", async () => {
    if (!stack) return;
    const s = stack;
    for (const limit of ["10.5", "1e1", "%2010", "10%20", "%2B10", "0x10", "10.0", "1_0", "-0", "0010000", "Infinity", "NaN"]) {
      expectField(await send(s, "GET", `/v1/payments?limit=${limit}`), 400, "limit");
      expectField(await send(s, "GET", `/v1/payouts?limit=${limit}`), 400, "limit");
    }
    const page = await s.api("GET", "/v1/payments?limit=1");
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(1);
    expect((await s.api("GET", "/v1/payments?limit=100")).status).toBe(200);
    expect((await s.api("GET", "/v1/payments")).status).toBe(200);
  });

  it.each([
    ["GET", "/v1/payments/%s"],
    ["GET", "/v1/payments/%s/refunds"],
    ["POST", "/v1/payments/%s/refunds"],
    ["GET", "/v1/payouts/%s"],
    ["DELETE", "/v1/endpoints/%s"],
    ["POST", "/v1/endpoints/%s/rotate-secret"],
    ["GET", "/v1/balances/%s"],
    ["PUT", "/v1/gateways/%s"],
    ["DELETE", "/v1/gateways/%s"],
  ])("%s %s: %00, NUL and undecodable ids -> 400 naming the parameter or the path", async (method, pattern) => {
    if (!stack) return;
    const s = stack;
    const param = pattern.includes("balances") || pattern.includes("gateways") ? "gateway" : "id";
    for (const id of ["%00", "pay_%00", `${String(paid.id)}%00`, "%ED%A0%80", "%C0%80", "pay_%F0%9F"]) {
      const answer = await send(s, method, pattern.replace("%s", id), method === "POST" || method === "PUT" ? "{}" : undefined);
      expect(answer.status).toBe(400);
      expect([param, "path"]).toContain(answer.body.error?.field);
      expect(answer.body.error?.message).toContain(answer.body.error?.field);
    }
  });

  it("Idempotency-Key: a NUL or control byte in the header -> 400 naming the header, not a dropped connection", async () => {
    if (!stack) return;
    const s = stack;
    const { port } = new URL(s.service.url);
    const body = JSON.stringify({ ...PAY_IN, order_ref: "STRICT-HEADER" });
    for (const value of ["a\u0000b", "a\u0001b", "a\u007fb"]) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), "127.0.0.1", () => {
          socket.write(
            `POST /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${s.apiKey}\r\nContent-Type: application/json\r\nIdempotency-Key: ${value}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
          );
        });
        let data = "";
        socket.on("data", (chunk) => (data += chunk.toString("latin1")));
        socket.on("end", () => resolve(data));
        socket.on("error", reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      const json = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as { error: { field: string; message: string } };
      expect(json.error).toMatchObject({ code: "invalid_request", field: "headers" });
      expect(json.error.message).toMatch(/^headers: /);
    }
    // Latin-1 text is storable and taken; an over-long key is named.
    expectField(await send(s, "POST", "/v1/payments", body, { "idempotency-key": "k".repeat(256) }), 400, "Idempotency-Key");
  });

  it("metadata: keys of 1 to 100 characters, at most 20 keys, values of at most 500 characters", async () => {
    if (!stack) return;
    const s = stack;
    const create = (metadata: unknown) => send(s, "POST", "/v1/payments", JSON.stringify({ ...PAY_IN, metadata }));
    expectField(await create({ ["k".repeat(101)]: "v" }), 400, "metadata");
    expectField(await create({ "": "v" }), 400, "metadata");
    expectField(await create(Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"]))), 400, "metadata");
    expectField(await create({ cart: "v".repeat(501) }), 400, "metadata.cart");
    expectField(await create({ cart: 5 }), 400, "metadata.cart");
    expectField(await send(s, "POST", "/v1/payouts", JSON.stringify({ ...PAYOUT, metadata: { ["k".repeat(101)]: "v" } }), { "idempotency-key": "po-meta" }), 400, "metadata");
    // The limits themselves are taken.
    const full = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${String(i).padStart(2, "0")}${"k".repeat(98)}`, "v".repeat(500)]));
    const ok = await s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "STRICT-META", metadata: full });
    expect(ok.status).toBe(201);
    expect(ok.body.metadata).toEqual(full);
  });

  it("nothing refused changed a payment, a refund, an endpoint or a gateway account", async () => {
    if (!stack) return;
    const s = stack;
    const after = (await snapshot(s)) as { payments: Json[] };
    after.payments = after.payments.filter((p) => p.order_ref !== "STRICT-META");
    expect(after).toEqual(before);
  });
});
