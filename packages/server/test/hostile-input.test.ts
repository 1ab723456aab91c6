/**
 * Hostile input, generated (fast-check, fixed seed): thousands of invalid bodies, query strings,
 * path parameters and headers (wrong types, NUL characters, lone surrogates, huge strings, nested
 * junk, amounts with whitespace or null, non-integer limits, bad metadata keys, %00 in ids and
 * filters, bad cursors, invalid UTF-8 and UTF-16 bodies sent as JSON, control bytes in headers, bad
 * Idempotency-Keys and API keys) sent over real HTTP to every /v1 route of a real service with the
 * real sandbox, on PGlite and on real PostgreSQL. Each answer is a 4xx whose error names the field;
 * none is a 5xx; nothing stored changes; and the service's log (pino at level info, captured) holds
 * no customer name or phone, no API key and no gateway secret.
 */
import { connect } from "node:net";
import fc from "fast-check";
import { sandboxAccounts } from "../src/demo/sandbox-merchant";
import { capturedLog, useStack, type Stack } from "./harness";

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

/** Customer data the bodies carry: none of it may reach the log. */
const CUSTOMER = { name: "Hostile Shopper-Qa7", phone: "03007654321", recipient: "Hostile Payee-Zx3", mobile: "03119876543", account: "PK77HOST0000009876543210" };
const PAY_IN = { gateway: "xpress-pay", method: "easypaisa", order_ref: "HOSTILE-1", amount: "1500.00", currency: "PKR", customer: { name: CUSTOMER.name, phone: CUSTOMER.phone }, return_url: "https://shop.example/return", description: "hi", metadata: { cart: "1" } };
const PAYOUT = { gateway: "xpress-pay", method: "easypaisa", order_ref: "HOSTILE-PO", amount: "250.00", currency: "PKR", recipient: { name: CUSTOMER.recipient, mobile: CUSTOMER.mobile, bank_code: "X", account_number: CUSTOMER.account }, remark: "r", metadata: { a: "b" } };

const BODY_ROUTES: BodyRoute[] = [
  { method: "POST", path: () => "/v1/payments", valid: PAY_IN, fields: ["gateway", "method", "order_ref", "amount", "currency", "customer", "customer.name", "customer.email", "customer.phone", "return_url", "description", "metadata", "metadata.cart"] },
  { method: "POST", path: (ids) => `/v1/payments/${ids.payment}/refunds`, valid: { amount: "1.00", reason: "damaged" }, fields: ["amount", "reason"] },
  { method: "POST", path: (ids) => `/v1/payments/${ids.payment}/cancel`, valid: { reason: "the shopper chose another method" }, fields: ["reason"] },
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
  "POST /v1/payments/:id/cancel",
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

/** Amounts no amount field takes: whitespace around them, signs, exponents, null (a refund's too), numbers. */
const hostileAmount: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(" 1.00", "1.00 ", "1.00\n", "\t1.00", "\u00a01.00", "1 .00", "+1.00", "-1.00", "1e1", "0x10", "1,00", "", ".5", "1.", null, 10, 1.5),
  fc.tuple(fc.constantFrom(" ", "\n", "\r", "\t", "\u2003", "\u0000"), fc.integer({ min: 1, max: 999 })).map(([ws, n]) => (n % 2 ? `${ws}${n}.00` : `${n}.00${ws}`)),
);

/** Metadata no route takes: bad keys (empty, too long, NUL, lone surrogate), too many keys, a value too long. */
const hostileMetadata: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom("", "\u0000", "k\ud800", "\udc00k", "x".repeat(101)).map((key) => ({ [key]: "v" })),
  fc.integer({ min: 21, max: 60 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]))),
  fc.integer({ min: 501, max: 3000 }).map((n) => ({ cart: "v".repeat(n) })),
);

/** An invalid body for a route: one to three of its fields set to hostile values, hostile amounts or metadata, or a body that is not an object. */
function invalidBody(route: BodyRoute): fc.Arbitrary<string> {
  const fields = fc.array(fc.tuple(fc.constantFrom(...route.fields), hostile), { minLength: 1, maxLength: 3 }).map((changes) => changes.reduce((b, [f, v]) => corrupt(b, f, v), route.valid));
  const special: fc.Arbitrary<Json>[] = [];
  if (route.fields.includes("metadata")) special.push(hostileMetadata.map((m) => corrupt(route.valid, "metadata", m)));
  if (route.fields.includes("amount")) special.push(hostileAmount.map((a) => corrupt(route.valid, "amount", a)));
  const notObject = fc.constantFrom<unknown>([], [route.valid], "text", 42, true);
  const shapes = fc.oneof(fields, notObject, ...special);
  return fc.oneof({ weight: 9, arbitrary: shapes.map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: fc.constantFrom('{"gateway": "xpress-pay",', "{'a': 1}", "[1, 2", "\u0000") });
}

/** The fields of a route whose value is checked against a closed set or a pattern, so text decoded with U+FFFD in it is still refused. */
const STRICT_FIELDS: Record<string, string[]> = {
  "POST /v1/payments": ["gateway", "method", "currency", "amount"],
  "POST /v1/payments/:id/refunds": ["amount"],
  "POST /v1/payouts": ["gateway", "method", "currency", "amount"],
  "POST /v1/endpoints": ["url"],
  "POST /v1/endpoints/end_nothere/rotate-secret": ["grace_seconds"],
  "PUT /v1/gateways/xpress-pay": ["baseUrl"],
};

/** Byte sequences that are not UTF-8: a lone continuation byte, overlong NUL, an encoded surrogate, a truncated 4-byte sequence, 0xFF. */
const badUtf8: fc.Arbitrary<Buffer> = fc
  .array(fc.constantFrom([0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf0, 0x9f], [0xff], [0xfe, 0xff], [0xc3]), { minLength: 1, maxLength: 4 })
  .map((parts) => Buffer.from(parts.flat()));

/**
 * A body of raw bytes sent as `application/json` that is not valid UTF-8 JSON: invalid UTF-8 inside
 * a strict field's value (decoded to U+FFFD, then refused by the field's check), invalid bytes
 * outside any string, the body in UTF-16 (with or without a BOM), or a body cut off mid-character.
 */
function invalidBytes(route: BodyRoute, key: string): fc.Arbitrary<Buffer> {
  const marker = "\u0001HOSTILE\u0001";
  const strict = STRICT_FIELDS[key] ?? [];
  const inField = fc.tuple(fc.constantFrom(...strict), badUtf8, fc.boolean()).map(([field, bytes, replace]) => {
    const current = field.split(".").reduce<unknown>((node, k) => (node as Json)[k], route.valid);
    const whole = replace || typeof current !== "string" || field === "url" || field === "baseUrl";
    const text = JSON.stringify(corrupt(route.valid, field, whole ? marker : `${current}${marker}`));
    const [head, tail] = text.split(JSON.stringify(marker).slice(1, -1)) as [string, string];
    return Buffer.concat([Buffer.from(head), bytes, Buffer.from(tail)]);
  });
  const outside = fc.tuple(badUtf8, fc.constantFrom("start", "afterBrace", "beforeColon")).map(([bytes, where]) => {
    const text = JSON.stringify(route.valid);
    if (where === "start") return Buffer.concat([bytes, Buffer.from(text)]);
    const at = where === "afterBrace" ? 1 : text.indexOf(":");
    return Buffer.concat([Buffer.from(text.slice(0, at)), bytes, Buffer.from(text.slice(at))]);
  });
  const utf16 = fc.constantFrom("utf16le", "utf16be").chain((encoding) =>
    fc.boolean().map((bom) => {
      const le = Buffer.from(JSON.stringify(route.valid), "utf16le");
      const body = encoding === "utf16le" ? le : Buffer.from(le).swap16();
      return Buffer.concat([bom ? Buffer.from(encoding === "utf16le" ? [0xff, 0xfe] : [0xfe, 0xff]) : Buffer.alloc(0), body]);
    }),
  );
  const cut = fc.integer({ min: 1, max: 3 }).map((n) => Buffer.from(JSON.stringify({ ...route.valid, zz: "\u{1F600}" })).subarray(0, -(n + 2)));
  return strict.length ? fc.oneof(inField, inField, outside, utf16, cut) : fc.oneof(outside, utf16, cut);
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
      fc.constantFrom("0", "101", "-1", "1.5", "ten", "", "1e2x", "%00", "10.5", "1e1", "%2010", "10%20", "%2B10", "0x10", "10.0", "1_0", "Infinity", "0010000").map((v) => `limit=${v}`),
      fc.constant("limit=1&limit=2"),
      fc.oneof(fc.constantFrom("paid", "", "PENDING"), hostileText).map((v) => `status=${v}`),
      fc.oneof(fc.constantFrom("stripe", "", "XPRESS-PAY"), hostileText).map((v) => `gateway=${v}`),
      fc.oneof(fc.constantFrom("", "%00", "a%00b", "x%00%20"), hostileText).map((v) => `order_ref=${v}`),
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

/** Header lines Node's HTTP parser refuses: a control byte in an Idempotency-Key or another header's value, or in a header name. */
const hostileHeaderLine: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom("Idempotency-Key", "X-Request-Id", "Content-Type", "Authorization-Extra"),
    fc.string({ maxLength: 10 }).map((t) => t.replace(/[^\x20-\x7e]/g, "")),
    fc.constantFrom("\u0000", "\u0001", "\u0008", "\u000b", "\u000c", "\u001f", "\u007f"),
    fc.boolean(),
  )
  .map(([name, text, control, inName]) => (inName ? `${name}${control}: ${text}x` : `${name}: ${text}${control}${text}`));

const RUNS = 220;
const PARAMETERS = { seed: 20_260_421, numRuns: RUNS, endOnFailure: true };

describe.each([["pglite"], ["postgres"]])("hostile input to every /v1 route on %s", (kind) => {
  let stack: Stack;
  let ids: Ids;
  let snapshot: () => Promise<unknown>;
  let before: unknown;
  const answers = new Map<string, number>();
  let keys = 0;
  const { log, lines: logLines } = capturedLog("info");
  useStack(kind, (s) => (stack = s), { log });

  beforeAll(async () => {
    if (!stack) return;
    const created = await stack.api("POST", "/v1/payments", PAY_IN, { "idempotency-key": "hostile-good" });
    expect(created.status).toBe(201);
    ids = { payment: String(created.body.id) };
    // A payout and an endpoint stored before (the endpoint's creation is logged at info: the log is not empty).
    expect((await stack.api("POST", "/v1/payouts", PAYOUT, { "idempotency-key": "hostile-good-po" })).status).toBe(201);
    expect((await stack.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/hooks", description: "hostile" })).status).toBe(201);
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

  /** Checks one answer: a 4xx naming a field, never a 5xx. */
  const check = (status: number, text: string, request: string) => {
    let parsed: { error?: { field?: unknown; message?: unknown } } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // checked below: every answer here must be our JSON error
    }
    const field = parsed.error?.field;
    const named = status >= 400 && status < 500 && typeof field === "string" && field.length > 0 && typeof parsed.error?.message === "string" && parsed.error.message.includes(field);
    if (!named) throw new Error(`${request} -> ${status} ${text.slice(0, 300)}`);
    const tally = `${status} ${String(field).split(".")[0]}`;
    answers.set(tally, (answers.get(tally) ?? 0) + 1);
  };

  /** Sends one request over HTTP and checks the answer. */
  const send = async (method: string, path: string, body: string | Buffer | undefined, headers: Record<string, string> = {}) => {
    const res = await fetch(stack.service.url + path, {
      method,
      headers: { authorization: `Bearer ${stack.apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body }),
    });
    check(res.status, await res.text(), `${method} ${path.slice(0, 200)} ${body === undefined ? "" : typeof body === "string" ? body.slice(0, 200) : body.subarray(0, 200).toString("hex")}`);
  };

  /** Sends a request with a header line no HTTP client library would write, over a raw socket, and checks the answer. */
  const sendRaw = async (method: string, path: string, headerLine: string, body: string) => {
    const { port } = new URL(stack.service.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.end(
          Buffer.concat([
            Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${stack.apiKey}\r\nContent-Type: application/json\r\n`),
            Buffer.from(`${headerLine}\r\n`, "latin1"),
            Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`),
          ]),
        );
      });
      let data = "";
      socket.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
    check(status, answer.slice(answer.indexOf("\r\n\r\n") + 4), `${method} ${path} ${JSON.stringify(headerLine)}`);
  };

  it("covers every /v1 route the service serves (the document lists them all: ops-openapi.test.ts)", async () => {
    if (!stack) return;
    const doc = (await (await fetch(`${stack.service.url}/openapi.json`)).json()) as { paths: Record<string, Json> };
    const served = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/v1/"))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ":$1")}`));
    expect(served.sort()).toEqual([...COVERED].sort());
  });

  it.each(BODY_ROUTES.map((r) => [`${r.method} ${r.path({ payment: ":id" })}`, r] as const))("%s: invalid bodies -> 400 naming the field", async (_name, route) => {
    if (!stack) return;
    await fc.assert(
      fc.asyncProperty(invalidBody(route), async (body) => send(route.method, route.path(ids), body, { "idempotency-key": `hostile-${(keys += 1)}` })),
      PARAMETERS,
    );
  });

  it.each(["/v1/payments", "/v1/payments/{id}/refunds", "/v1/payouts"])("POST %s: bad Idempotency-Key -> 400 naming it", async (pattern) => {
    if (!stack) return;
    const route = BODY_ROUTES.find((r) => r.path({ payment: "{id}" }) === pattern) as BodyRoute;
    await fc.assert(fc.asyncProperty(hostileKey, async (key) => send("POST", route.path(ids), JSON.stringify(route.valid), { "idempotency-key": key })), { ...PARAMETERS, numRuns: 40 });
  });

  it.each(["/v1/payments", "/v1/payouts"])("GET %s: hostile query strings -> 400 naming the parameter", async (path) => {
    if (!stack) return;
    await fc.assert(fc.asyncProperty(hostileListQuery, async (query) => send("GET", `${path}?${query}`, undefined)), PARAMETERS);
  });

  it.each([
    ["GET", "/v1/payments/:id"],
    ["GET", "/v1/payments/:id/refunds"],
    ["POST", "/v1/payments/:id/refunds"],
    ["POST", "/v1/payments/:id/cancel"],
    ["GET", "/v1/payouts/:id"],
    ["DELETE", "/v1/endpoints/:id"],
    ["POST", "/v1/endpoints/:id/rotate-secret"],
    ["GET", "/v1/balances/:id"],
    ["PUT", "/v1/gateways/:id"],
    ["DELETE", "/v1/gateways/:id"],
  ])("%s %s: hostile ids -> 4xx naming the parameter", async (method, pattern) => {
    if (!stack) return;
    await fc.assert(
      fc.asyncProperty(hostileId, async (id) => send(method, pattern.replace(":id", id), method === "POST" || method === "PUT" ? "{}" : undefined)),
      PARAMETERS,
    );
  });

  it.each(COVERED)("%s: no or a wrong API key -> 401 naming Authorization", async (route) => {
    if (!stack) return;
    const [method, pattern] = route.split(" ") as [string, string];
    const path = pattern.replace(":id", ids.payment).replace(":gateway", "xpress-pay");
    await fc.assert(
      fc.asyncProperty(hostileAuth, async (auth) => send(method, path, method === "POST" || method === "PUT" ? "{}" : undefined, { authorization: auth })),
      { ...PARAMETERS, numRuns: 25 },
    );
  });

  // Routes whose only text is free text (a cancel's reason) take what decodes, U+FFFD included, as the refund's reason does.
  const strictRoutes = BODY_ROUTES.map((r) => [`${r.method} ${r.path({ payment: ":id" })}`, r] as const).filter(([name]) => STRICT_FIELDS[name]);
  it.each(strictRoutes)("%s: bodies of invalid UTF-8 or UTF-16 sent as JSON -> 400 naming the field", async (name, route) => {
    if (!stack) return;
    await fc.assert(
      fc.asyncProperty(invalidBytes(route, name), async (bytes) =>
        send(route.method, route.path(ids), bytes, { "idempotency-key": `hostile-${(keys += 1)}` }),
      ),
      { ...PARAMETERS, numRuns: 100 },
    );
  });

  it.each([
    ["POST", "/v1/payments"],
    ["POST", "/v1/payouts"],
    ["GET", "/v1/payments"],
  ])("%s %s: control bytes in a header (raw socket) -> 400 naming headers", async (method, path) => {
    if (!stack) return;
    const body = method === "POST" ? JSON.stringify(path === "/v1/payouts" ? PAYOUT : PAY_IN) : "";
    await fc.assert(fc.asyncProperty(hostileHeaderLine, async (line) => sendRaw(method, path, line, body)), { ...PARAMETERS, numRuns: 30 });
  });

  it("changed nothing stored, and the answers were the expected kinds", async () => {
    if (!stack) return;
    expect(await snapshot()).toEqual(before);
    const total = [...answers.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(4000);
    // Each kind of refusal happened: field errors, unknown ids, bad paths, bad keys, bad bytes, bad headers.
    const kinds = [...answers.keys()];
    for (const kind of ["400 body", "400 amount", "400 customer", "400 metadata", "400 gateway", "400 currency", "400 method", "400 limit", "400 order_ref", "400 starting_after", "400 id", "400 path", "404 id", "414 path", "401 Authorization", "400 Idempotency-Key", "400 headers"]) {
      expect(kinds).toContain(kind);
    }
  });

  it("logged no customer data, API key or gateway secret", () => {
    if (!stack) return;
    expect(logLines.length).toBeGreaterThan(0);
    const text = logLines.join("\n");
    const accounts = sandboxAccounts(stack.sandbox.url) as Record<string, Json>;
    const gatewaySecrets = Object.values(accounts).flatMap((config) =>
      Object.entries(config)
        .filter(([field]) => /secret|key|token|password|appId/i.test(field))
        .map(([, value]) => String(value))
        .filter((value) => value.length >= 6),
    );
    expect(gatewaySecrets.length).toBeGreaterThan(0);
    const forbidden = [...Object.values(CUSTOMER), CUSTOMER.phone.slice(1), CUSTOMER.mobile.slice(1), stack.apiKey, stack.service.ctx.config.masterKey, ...gatewaySecrets];
    for (const value of forbidden) expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
    for (const id of new Set(text.match(/\bpay_[A-Za-z0-9]+/g) ?? [])) expect(text).not.toContain(stack.service.ctx.secrets.callbackToken(id));
  });
});
