/**
 * Error logs carry no SQL parameters, customer data, raw bodies or tokens, on PGlite and on real
 * PostgreSQL. The 500 paths are driven for real over HTTP with the service's own logger writing to
 * a buffer: the database refusing a row mid-request (a check constraint: PostgreSQL's detail quotes
 * the whole failing row, PGlite's error carries the query and its parameters), a connector throwing
 * an HTTP client error that holds the gateway request's headers and body and the answer's body, the
 * outbox worker and the reconciler failing on a database error that quotes values. Then every line is searched for the customer's name and phone, the API key, the gateway
 * secrets, a callback token, the raw bodies and the parameter values; and the failures must be
 * there (by type and code), so the test cannot pass by logging nothing.
 */
import type { Db } from "../src/db/db";
import { reconcileNow, startReconciler } from "../src/reconcile";
import { sandboxAccounts } from "../src/demo/sandbox-merchant";
import { capturedLog, eventually, useStack, type Stack } from "./harness";

type Json = Record<string, unknown>;

const CUSTOMER = { name: "Zainab Qureshi-Leak", phone: "03451239876", email: "zainab.leak@example.pk" };
const RAW_BODY_MARKER = "RAW-BODY-MARKER-5d1c";
const PARAMETER_VALUE = "param-value-9a7e";

/** A database error as pg and PGlite raise them: values in the message, detail, query and parameters. */
function databaseError(): Error {
  return Object.assign(new Error(`invalid input syntax for type integer: "${CUSTOMER.name}"`), {
    name: "DatabaseError",
    severity: "ERROR",
    code: "22P02",
    detail: `Failing row contains (${CUSTOMER.name}, ${CUSTOMER.phone}).`,
    where: `SQL function "f" statement 1 with ${PARAMETER_VALUE}`,
    query: `insert into payments values ('${PARAMETER_VALUE}')`,
    params: [PARAMETER_VALUE, CUSTOMER.phone],
    parameters: [PARAMETER_VALUE, CUSTOMER.email],
  });
}

/** Makes `db.query` throw databaseError() for statements matching `pattern` until the returned function is called. */
function failQueries(db: Db, pattern: RegExp): () => void {
  const original = db.query;
  db.query = ((text: string, params?: unknown[]) => (pattern.test(text) ? Promise.reject(databaseError()) : original(text, params))) as Db["query"];
  return () => {
    db.query = original;
  };
}

describe.each([["pglite"], ["postgres"]])("error logs on %s", (kind) => {
  let stack: Stack | undefined;
  const { log, lines } = capturedLog("info");
  useStack(kind, (s) => (stack = s), { log });

  const parsed = () => lines.map((l) => JSON.parse(l) as Json);
  const PAY_IN = { gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", customer: CUSTOMER };

  it("a row the database refuses mid-request: a 500 whose log line has the error's code, not the row", async () => {
    const s = stack;
    if (!s) return;
    // PostgreSQL's check violation quotes the whole failing row in `detail`; PGlite's error also carries the query and its parameters.
    await s.service.ctx.db.exec("alter table payments add constraint leak_probe check (party = '{}'::jsonb) not valid");
    try {
      const res = await s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "ORDER-LEAK-DB" });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: "internal", message: "internal error" } });
    } finally {
      await s.service.ctx.db.exec("alter table payments drop constraint leak_probe");
    }
    const failed = parsed().filter((l) => l.msg === "request failed");
    expect(failed.at(-1)).toMatchObject({ route: "/v1/payments", err: { code: "23514", constraint: "leak_probe", message: expect.stringMatching(/violates check constraint "leak_probe"/) } });
  });

  it("a connector throwing an HTTP client error (request headers and body, answer body): a 500 logged without them", async () => {
    const s = stack;
    if (!s) return;
    const merchants = s.service.ctx.merchants;
    const real = await merchants.connector(s.merchantId, "xpress-pay");
    const broken = Object.create(real) as typeof real & { createPayIn: () => Promise<never> };
    const secrets = sandboxAccounts(s.sandbox.url)["xpress-pay"] as Json;
    broken.createPayIn = () =>
      Promise.reject(
        Object.assign(new Error("Request failed with status code 500"), {
          name: "AxiosError",
          isAxiosError: true,
          code: "ERR_BAD_RESPONSE",
          config: { method: "post", url: `${s.sandbox.url}/xpress-pay/api?appId=${String(secrets.appId)}`, headers: { "x-api-key": String(secrets.appId) }, data: JSON.stringify({ customer: CUSTOMER }) },
          request: { _header: `POST / HTTP/1.1\r\nx-api-key: ${String(secrets.appId)}` },
          response: { status: 500, data: `${RAW_BODY_MARKER} ${CUSTOMER.name}`, headers: {} },
          cause: databaseError(),
        }),
      );
    const original = merchants.connector.bind(merchants);
    merchants.connector = (async () => broken) as typeof merchants.connector;
    try {
      const res = await s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "ORDER-LEAK-CONNECTOR" });
      expect(res.status).toBe(500);
    } finally {
      merchants.connector = original;
    }
    const failed = parsed().filter((l) => l.msg === "request failed");
    expect(failed.at(-1)).toMatchObject({ err: { type: "Error", code: "ERR_BAD_RESPONSE", method: "POST", status: 500, cause: { code: "22P02", message: 'invalid input syntax for type integer: "[redacted]"' } } });
  });

  it("the outbox worker and the reconciler failing on a database error: logged without its values", async () => {
    const s = stack;
    if (!s) return;
    const { ctx } = s.service;
    const paid = await s.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "ORDER-LEAK-WORKERS" });
    expect(paid.status).toBe(201);
    const created = await s.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/hooks" });
    expect(created.status).toBe(201);
    const restore = failQueries(ctx.db, /with claimed as|select gateway, count\(\*\) as n from payments/i);
    // The reconciliation worker, passing every 20 ms for this test (the service's own one runs every 15 s).
    const interval = ctx.config.reconcileIntervalMs;
    ctx.config.reconcileIntervalMs = 20;
    const reconciler = await startReconciler(ctx);
    ctx.config.reconcileIntervalMs = interval;
    try {
      await expect(reconcileNow(ctx, { afterMs: 0 })).rejects.toMatchObject({ code: "22P02" });
      ctx.events.emit("outbox.recorded", "evt_probe");
      await eventually(
        async () => parsed().map((l) => String(l.msg)),
        (msgs) => msgs.some((m) => m.startsWith("outbox: claiming deliveries failed")) && msgs.includes("reconcile pass failed"),
      );
    } finally {
      restore();
      await reconciler.stop();
    }
    for (const msg of ["outbox: claiming deliveries failed; the next poll retries", "reconcile pass failed"]) {
      const line = parsed().find((l) => l.msg === msg);
      expect(line).toMatchObject({ err: { code: "22P02", severity: "ERROR", message: 'invalid input syntax for type integer: "[redacted]"' } });
    }
  });

  it("no log line carries customer data, secrets, tokens, raw bodies or SQL parameter values", () => {
    const s = stack;
    if (!s) return;
    expect(lines.length).toBeGreaterThan(0);
    const text = lines.join("\n");
    const accounts = sandboxAccounts(s.sandbox.url) as Record<string, Json>;
    const gatewaySecrets = Object.values(accounts).flatMap((config) =>
      Object.entries(config)
        .filter(([field]) => /secret|key|token|password|appId|clientSecret/i.test(field))
        .map(([, value]) => String(value))
        .filter((value) => value.length >= 6),
    );
    const forbidden = [CUSTOMER.name, CUSTOMER.phone, CUSTOMER.email, RAW_BODY_MARKER, PARAMETER_VALUE, s.apiKey, s.service.ctx.config.masterKey, ...gatewaySecrets];
    for (const value of forbidden) expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
    // Callback tokens: every per-payment URL token the service could have logged.
    const ids = text.match(/\bpay_[A-Za-z0-9]+/g) ?? [];
    for (const id of new Set(ids)) expect(text).not.toContain(s.service.ctx.secrets.callbackToken(id));
    // No SQL text, detail or parameters under any key.
    for (const line of parsed()) {
      const json = JSON.stringify(line);
      expect(json).not.toMatch(/"(params|parameters|query|detail|where|config|request|response|data)":/);
    }
  });
});
