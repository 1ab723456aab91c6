/**
 * Hostile input, generated (fast-check, fixed seed): thousands of invalid bodies, query strings,
 * path parameters and headers (wrong types, NUL characters, lone surrogates, huge strings, nested
 * junk, %00 in ids, bad cursors, bad Idempotency-Keys and API keys) sent over real HTTP to every
 * /v1 route of a real service on PGlite with the real sandbox. Each answer is a 4xx whose error
 * names the field; none is a 5xx; and nothing stored changes.
 */
import fc from "fast-check";
import { startStack, type Stack } from "./harness";

type Json = Record<string, unknown>;

/** Values no field of the API accepts (null and "" are left out: optional fields take them). */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-1, 1.5, 1e300, true, false, [], ["a", 1], "\ud800", "a\udc00b", "\u0000", "\ud83d"),
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`),
  fc.integer({ min: 2049, max: 40_000 }).map((n) => "x".repeat(n)),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { minLength: 1, maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.array(fc.integer()), fc.constant({ deeper: [{}] })), { minKeys: 1, maxKeys: 4 }),
);

/** Text no text field accepts (for query strings). */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("%00", "a%00b", "%ED%A0%80", "%F0%9F", "%", "%zz", "\u0000"),
  fc.integer({ min: 2049, max: 9000 }).map((n) => "q".repeat(n)),
);

/** A body route: its valid body, the fields it knows (dotted), and whether a null/absent body is valid. */
interface BodyRoute {
  method: "POST" | "PUT";
  path: (ids: Ids) => string;
  valid: Json;
  fields: string[];
}

interface Ids {
  payment: string;
}

const PAY_IN = { gateway: "xpress-pay", method: "easypaisa", order_ref: "HOSTILE-1", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" }, return_url: "https://shop.example/return", description: "hi", metadata: { cart: "1" } };
const PAYOUT = { gateway: "xpress-pay", method: "easypaisa", order_ref: "HOSTILE-PO", amount: "250.00", currency: "PKR", recipient: { name: "Ali Khan", mobile: "03112233445", bank_code: "X", account_number: "1234" }, remark: "r", metadata: { a: "b" } };

const BODY_ROUTES: BodyRoute[] = [
  { method: "POST", path: () => "/v1/payments", valid: PAY_IN, fields: ["gateway", "method", "order_ref", "amount", "currency", "customer", "customer.name", "customer.email", "customer.phone", "return_url", "description", "metadata", "metadata.cart"] },
  { method: "POST", path: (ids) => `/v1/payments/${ids.payment}/refunds`, valid: { amount: "1.00", reason: "damaged" }, fields: ["amount", "reason"] },
  { method: "POST", path: () => "/v1/payouts", valid: PAYOUT, fields: ["gateway", "method", "order_ref", "amount", "currency", "recipient", "recipient.name", "recipient.mobile", "recipient.bank_code", "recipient.account_number", "remark", "metadata", "metadata.a"] },
  { method: "POST", path: () => "/v1/endpoints", valid: { url: "https://shop.example/hooks", description: "main" }, fields: ["url", "description"] },
  { method: "POST", path: () => "/v1/endpoints/end_nothere/rotate-secret", valid: { grace_seconds: 60 }, fields: ["grace_seconds"] },
  { method: "PUT", path: () => "/v1/gateways/xpress-pay", valid: { baseUrl: "http://127.0.0.1:9/xpress-pay", appId: "an-app-id" }, fields: ["baseUrl", "appId", "timeoutMs"] },
];

/** Every /v1 route, as "METHOD /pattern" (the test fails if the service adds one it does not cover). */
const COVERED = [
  "POST /v1/payments",
  "GET /v1/payments",
  "GET /v1/payments/:id",
  "POST /v1/payments/:id/refunds",
  "GET /v1/payments/:id/refunds",
  "POST /v1/payouts",
  "GET /v1/payouts",
  "GET /v1/payouts/:id",
  "GET /v1/balances/:gateway",
  "POST /v1/endpoints",
  "GET /v1/endpoints",
  "DELETE /v1/endpoints/:id",
  "POST /v1/endpoints/:id/rotate-secret",
  "GET /v1/gateways",
  "GET /v1/gateways/schema",
  "PUT /v1/gateways/:gateway",
  "DELETE /v1/gateways/:gateway",
];

/** `body` with `value` set at the dotted `field`. */
function corrupt(body: Json, field: string, value: unknown): Json {
  const out = structuredClone(body);
  const keys = field.split(".");
  let node: Json = out;
  for (const key of keys.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== "object" || Array.isArray(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[keys[keys.length - 1] as string] = value;
  return out;
}

/** An invalid body for a route: one to three of its fields set to hostile values, a hostile metadata key, or a body that is not an object. */
function invalidBody(route: BodyRoute): fc.Arbitrary<string> {
  const fields = fc.array(fc.tuple(fc.constantFrom(...route.fields), hostile), { minLength: 1, maxLength: 3 }).map((changes) => changes.reduce((b, [f, v]) => corrupt(b, f, v), route.valid));
  const badKey = fc.constantFrom("\u0000", "k\ud800", "x".repeat(101)).map((key) => corrupt(route.valid, "metadata", { [key]: "v" }));
  const notObject = fc.constantFrom<unknown>([], [route.valid], "text", 42, true);
  const shapes = route.fields.includes("metadata") ? fc.oneof(fields, badKey, notObject) : fc.oneof(fields, notObject);
  return fc.oneof({ weight: 9, arbitrary: shapes.map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: fc.constantFrom('{"gateway": "xpress-pay",', "{'a': 1}", "[1, 2", "\u0000") });
}

/** An id no path accepts as an existing object: unknown, with %00, undecodable, too long. */
const hostileId: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[a-z]{2,4}_[A-Za-z0-9]{4,20}$/),
  fc.constantFrom("%00", "pay_%00x", "%ED%A0%80", "pay_%F0%9F", "%2F..%2F", "x".repeat(65), "x".repeat(101), "%E0%A4%A"),
  fc.string({ minLength: 1, maxLength: 12 }).map((s) => encodeURIComponent(`${s}\u0000`)),
);

/** A query string only invalid values make: each list route's parameters with values they refuse. */
const hostileListQuery: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom("0", "101", "-1", "1.5", "ten", "", "1e2x", "%00").map((v) => `limit=${v}`),
      fc.constant("limit=1&limit=2"),
      fc.oneof(fc.constantFrom("paid", "", "PENDING"), hostileText).map((v) => `status=${v}`),
      fc.oneof(fc.constantFrom("stripe", "", "XPRESS-PAY"), hostileText).map((v) => `gateway=${v}`),
      fc.oneof(fc.constant(""), hostileText).map((v) => `order_ref=${v}`),
      fc
        .oneof(
          fc.constantFrom("", "not-a-cursor", "%00"),
          fc.constantFrom("junk|x", "2020-01-01T00:00:00.000Z|\u0000", "2020-13-45|id", "|").map((c) => Buffer.from(c).toString("base64url")),
        )
        .map((v) => `starting_after=${v}`),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => parts.join("&"));

/** Idempotency-Key values the API refuses (fetch itself refuses non-Latin-1 header values, so these are what can arrive). */
const hostileKey: fc.Arbitrary<string> = fc.oneof(fc.constant(""), fc.integer({ min: 256, max: 2000 }).map((n) => "k".repeat(n)));

/** Authorization headers that are not a valid API key. */
const hostileAuth: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer xc_live_x"),
  fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/).map((s) => `Bearer xc_live_${s}`),
);

const RUNS = 220;
const PARAMETERS = { seed: 20_260_421, numRuns: RUNS, endOnFailure: true };

describe("hostile input to every /v1 route", () => {
  let stack: Stack;
  let ids: Ids;
  let snapshot: () => Promise<unknown>;
  let before: unknown;
  const answers = new Map<string, number>();
  let keys = 0;

  beforeAll(async () => {
    stack = await startStack();
    const created = await stack.api("POST", "/v1/payments", PAY_IN, { "idempotency-key": "hostile-good" });
    expect(created.status).toBe(201);
    ids = { payment: String(created.body.id) };
    const db = stack.service.ctx.db;
    snapshot = async () => ({
      payments: await db.query("select * from payments order by id"),
      events: await db.query("select payment_id, type, from_status, to_status, source from payment_events order by id"),
      refunds: await db.query("select * from refunds order by id"),
      endpoints: await db.query("select id, url, enabled from endpoints order by id"),
      keys: await db.query("select key, request_hash, status_code from idempotency_keys order by key"),
      accounts: await db.query("select gateway, config_ciphertext, updated_at from gateway_accounts order by merchant_id, gateway"),
    });
    before = await snapshot();
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  /** Sends one request and checks the answer: a 4xx naming a field, never a 5xx. */
  const send = async (method: string, path: string, body: string | undefined, headers: Record<string, string> = {}) => {
    const res = await fetch(stack.service.url + path, {
      method,
      headers: { authorization: `Bearer ${stack.apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    let parsed: { error?: { field?: unknown; message?: unknown } } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // checked below: every answer here must be our JSON error
    }
    const field = parsed.error?.field;
    const named = res.status >= 400 && res.status < 500 && typeof field === "string" && field.length > 0 && typeof parsed.error?.message === "string" && parsed.error.message.includes(field);
    if (!named) throw new Error(`${method} ${path.slice(0, 200)} ${body?.slice(0, 200) ?? ""} -> ${res.status} ${text.slice(0, 300)}`);
    const tally = `${res.status} ${String(field).split(".")[0]}`;
    answers.set(tally, (answers.get(tally) ?? 0) + 1);
  };

  it("covers every /v1 route the service serves (the document lists them all: ops-openapi.test.ts)", async () => {
    const doc = (await (await fetch(`${stack.service.url}/openapi.json`)).json()) as { paths: Record<string, Json> };
    const served = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/v1/"))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ":$1")}`));
    expect(served.sort()).toEqual([...COVERED].sort());
  });

  it.each(BODY_ROUTES.map((r) => [`${r.method} ${r.path({ payment: ":id" })}`, r] as const))("%s: invalid bodies -> 400 naming the field", async (_name, route) => {
    await fc.assert(
      fc.asyncProperty(invalidBody(route), async (body) => send(route.method, route.path(ids), body, { "idempotency-key": `hostile-${(keys += 1)}` })),
      PARAMETERS,
    );
  });

  it.each(["/v1/payments", "/v1/payments/{id}/refunds", "/v1/payouts"])("POST %s: bad Idempotency-Key -> 400 naming it", async (pattern) => {
    const route = BODY_ROUTES.find((r) => r.path({ payment: "{id}" }) === pattern) as BodyRoute;
    await fc.assert(fc.asyncProperty(hostileKey, async (key) => send("POST", route.path(ids), JSON.stringify(route.valid), { "idempotency-key": key })), { ...PARAMETERS, numRuns: 40 });
  });

  it.each(["/v1/payments", "/v1/payouts"])("GET %s: hostile query strings -> 400 naming the parameter", async (path) => {
    await fc.assert(fc.asyncProperty(hostileListQuery, async (query) => send("GET", `${path}?${query}`, undefined)), PARAMETERS);
  });

  it.each([
    ["GET", "/v1/payments/:id"],
    ["GET", "/v1/payments/:id/refunds"],
    ["POST", "/v1/payments/:id/refunds"],
    ["GET", "/v1/payouts/:id"],
    ["DELETE", "/v1/endpoints/:id"],
    ["POST", "/v1/endpoints/:id/rotate-secret"],
    ["GET", "/v1/balances/:id"],
    ["PUT", "/v1/gateways/:id"],
    ["DELETE", "/v1/gateways/:id"],
  ])("%s %s: hostile ids -> 4xx naming the parameter", async (method, pattern) => {
    await fc.assert(
      fc.asyncProperty(hostileId, async (id) => send(method, pattern.replace(":id", id), method === "POST" || method === "PUT" ? "{}" : undefined)),
      PARAMETERS,
    );
  });

  it.each(COVERED)("%s: no or a wrong API key -> 401 naming Authorization", async (route) => {
    const [method, pattern] = route.split(" ") as [string, string];
    const path = pattern.replace(":id", ids.payment).replace(":gateway", "xpress-pay");
    await fc.assert(
      fc.asyncProperty(hostileAuth, async (auth) => send(method, path, method === "POST" || method === "PUT" ? "{}" : undefined, { authorization: auth })),
      { ...PARAMETERS, numRuns: 25 },
    );
  });

  it("changed nothing stored, and the answers were the expected kinds", async () => {
    expect(await snapshot()).toEqual(before);
    const total = [...answers.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(3000);
    // Each kind of refusal happened: field errors, unknown ids, bad paths, bad keys.
    const kinds = [...answers.keys()];
    for (const kind of ["400 body", "400 amount", "400 customer", "400 limit", "400 starting_after", "400 path", "404 id", "414 path", "401 Authorization", "400 Idempotency-Key"]) expect(kinds).toContain(kind);
  });
});
