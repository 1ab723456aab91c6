/**
 * /openapi.json is generated from the routes' own zod schemas, so it cannot drift: the document
 * passes a real OpenAPI 3.1 validator; every route Fastify registers (seen by its onRoute hook)
 * is in it with its request and answer schemas; and real answers of the service, over real HTTP,
 * match the schemas the document gives for them.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { RouteOptions } from "fastify";
import { buildApp } from "../src/app";
import { PLUGINS } from "../src/features";
import { eventually, startStack, type Stack } from "./harness";

type Json = Record<string, unknown>;

/** The package's own command-line validator (the library ships only ES modules; the CLI runs it as Node does). */
const VALIDATOR_CLI = path.join(path.dirname(require.resolve("@seriousme/openapi-schema-validator/package.json")), "bin", "validate-api-cli.js");

/** "/v1/payments/:id" as OpenAPI writes it: "/v1/payments/{id}". */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

describe("GET /openapi.json", () => {
  let stack: Stack;
  let doc: Json;
  let ajv: Ajv2020;

  beforeAll(async () => {
    stack = await startStack();
    const res = await fetch(`${stack.service.url}/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Json;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, "openapi.json");
  }, 60_000);
  afterAll(async () => {
    await stack.stop();
  });

  /** Checks `body` against the document's schema for this answer; answers the validator's errors. */
  const mismatches = (route: string, method: string, status: number, body: unknown) => {
    const pointer = ["paths", route, method, "responses", String(status), "content", "application/json", "schema"].map((s) => encodeURIComponent(s.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/");
    const validate = ajv.compile({ $ref: `openapi.json#/${pointer}` });
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${route} ${status}: ${e.instancePath} ${e.message}`);
  };

  it("passes an OpenAPI 3.1 validator", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "openapi-"));
    try {
      const file = path.join(dir, "openapi.json");
      writeFileSync(file, JSON.stringify(doc));
      const out = execFileSync(process.execPath, [VALIDATOR_CLI, file], { encoding: "utf8" });
      expect(JSON.parse(out)).toEqual({ valid: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(doc.openapi).toBe("3.1.0");
  });

  it("keeps the service's public URL, bearer auth, tags and the error shape", () => {
    expect(doc.servers).toEqual([{ url: stack.service.ctx.config.publicUrl }]);
    const components = doc.components as { securitySchemes: Json; schemas: Json };
    expect(components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ apiKey: [] }]);
    expect((doc.tags as { name: string }[]).map((t) => t.name)).toEqual(expect.arrayContaining(["payments", "payouts", "endpoints", "callbacks", "operations"]));
    expect(components.schemas.Error).toMatchObject({ required: ["error"] });
    // /v1 operations need the API key; callbacks and operations routes do not.
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const op of Object.values(ops) as { security?: unknown[] }[]) expect(op.security).toEqual(p.startsWith("/v1/") ? [{ apiKey: [] }] : []);
    }
  });

  it("lists every route Fastify registers (its onRoute hook), with its request and answer schemas, and nothing else", async () => {
    // The service's own app, built as startService builds it, with a hook that sees each route as it is added.
    const routes: RouteOptions[] = [];
    const app = buildApp(stack.service.ctx, PLUGINS);
    app.addHook("onRoute", (route) => void routes.push(route));
    let own: Json;
    try {
      await app.listen({ port: 0, host: "127.0.0.1" });
      const address = app.server.address();
      own = (await (await fetch(`http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/openapi.json`)).json()) as Json;
    } finally {
      await app.close();
    }
    expect(own.paths).toEqual(doc.paths);

    const paths = doc.paths as Record<string, Record<string, Json & { parameters?: { in: string; name: string }[]; requestBody?: Json; responses?: Record<string, { content?: Json }> }>>;
    const api = routes.filter((r) => r.method !== "HEAD");
    // The demo store's pages are for people: its routes (under /demo, and `/` leading there), and only those, are hidden.
    const hidden = api.filter((r) => (r.schema as { hide?: boolean } | undefined)?.hide);
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.filter((r) => !r.url.startsWith("/demo") && r.url !== "/")).toEqual([]);
    const documented = api.filter((r) => !hidden.includes(r));
    expect(documented.filter((r) => r.url.startsWith("/demo"))).toEqual([]);
    expect(documented.map((r) => `${String(r.method)} ${r.url}`)).toEqual(
      expect.arrayContaining(["POST /v1/payments", "GET /v1/payments", "GET /v1/payments/:id", "POST /callbacks/:gateway/:paymentId/:token", "GET /healthz", "GET /metrics", "GET /readyz", "GET /openapi.json"]),
    );

    const missing: string[] = [];
    for (const route of documented) {
      const method = String(route.method).toLowerCase();
      const op = paths[openApiPath(route.url)]?.[method];
      const name = `${String(route.method)} ${route.url}`;
      if (!op) {
        missing.push(`${name}: not documented`);
        continue;
      }
      const schema = (route.schema ?? {}) as { body?: unknown; params?: { shape?: Json }; querystring?: { shape?: Json }; headers?: unknown; response?: Json };
      if (!schema.response) missing.push(`${name}: no answer schema`);
      const answered = Object.entries(op.responses ?? {}).filter(([status, r]) => /^2/.test(status) && r.content && Object.keys(r.content).length > 0);
      if (!answered.length) missing.push(`${name}: no documented 2xx answer`);
      if (schema.body && !op.requestBody) missing.push(`${name}: body not documented`);
      const parameters = op.parameters ?? [];
      for (const param of Object.keys(schema.params?.shape ?? {})) if (!parameters.some((p) => p.in === "path" && p.name === param)) missing.push(`${name}: path parameter ${param}`);
      for (const param of Object.keys(schema.querystring?.shape ?? {})) if (!parameters.some((p) => p.in === "query" && p.name === param)) missing.push(`${name}: query parameter ${param}`);
      if (schema.headers && !parameters.some((p) => p.in === "header")) missing.push(`${name}: headers`);
    }
    expect(missing).toEqual([]);
    expect(paths["/v1/payments"]?.post?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "Idempotency-Key", in: "header", required: false })]));
    // Payouts require the key (a retry without it would send the money again).
    expect(paths["/v1/payouts"]?.post?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "Idempotency-Key", in: "header", required: true })]));

    // And the other way: nothing is documented that the service does not serve.
    const served = new Set(documented.map((r) => `${String(r.method).toLowerCase()} ${openApiPath(r.url)}`));
    const extra = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)).filter((op) => !served.has(op));
    expect(extra).toEqual([]);
  });

  it("real answers match their documented schemas", async () => {
    const problems: string[] = [];
    const check = (route: string, method: string, answer: { status: number; body: unknown }) => problems.push(...mismatches(route, method, answer.status, answer.body));

    const created = await stack.api("POST", "/v1/payments", { gateway: "xpay-kg", method: "qr", order_ref: "OPENAPI-1", amount: "100.00", currency: "KGS", customer: { name: "Aibek Asanov" }, metadata: { cart: "42" } });
    expect(created.status).toBe(201);
    check("/v1/payments", "post", created);
    check("/v1/payments/{id}", "get", await stack.api("GET", `/v1/payments/${created.body.id}`));
    check("/v1/payments", "get", await stack.api("GET", "/v1/payments?limit=1"));

    const bad = await stack.api("POST", "/v1/payments", { gateway: "nope" });
    expect(bad.status).toBe(400);
    check("/v1/payments", "post", bad);
    check("/v1/payments/{id}", "get", await stack.api("GET", "/v1/payments/pay_nothere"));

    const endpoint = await stack.api("POST", "/v1/endpoints", { url: "https://shop.example/xpay-hooks", description: "main store" });
    expect(endpoint.status).toBe(201);
    check("/v1/endpoints", "post", endpoint);
    check("/v1/endpoints", "get", await stack.api("GET", "/v1/endpoints"));
    check("/v1/endpoints/{id}/rotate-secret", "post", await stack.api("POST", `/v1/endpoints/${endpoint.body.id}/rotate-secret`, { grace_seconds: 60 }));
    check("/v1/endpoints/{id}", "delete", await stack.api("DELETE", `/v1/endpoints/${endpoint.body.id}`));

    const payout = await stack.api("POST", "/v1/payouts", { gateway: "xpress-pay", method: "easypaisa", order_ref: "OPENAPI-PO", amount: "250.00", currency: "PKR", recipient: { name: "Ali Khan", mobile: "03112233445" } }, { "idempotency-key": "openapi-po" });
    expect(payout).toEqual({ status: 201, body: expect.objectContaining({ object: "payout" }) });
    check("/v1/payouts", "post", payout);
    check("/v1/payouts/{id}", "get", await stack.api("GET", `/v1/payouts/${payout.body.id}`));
    check("/v1/payouts", "get", await stack.api("GET", "/v1/payouts"));
    check("/v1/balances/{gateway}", "get", await stack.api("GET", "/v1/balances/xpress-pay"));
    check("/v1/balances/{gateway}", "get", await stack.api("GET", "/v1/balances/xpay-kg"));

    const paid = await stack.api("POST", "/v1/payments", { gateway: "xpay-eg", method: "card", order_ref: "OPENAPI-RF", amount: "50.00", currency: "EGP", customer: { name: "Islam Rostom", email: "irostom@xpay.app", phone: "+201119045759" } });
    expect(paid.status).toBe(201);
    await stack.act("xpay-eg", String(paid.body.gateway_ref), "approve");
    await eventually(() => stack.api("GET", `/v1/payments/${paid.body.id}`), (r) => r.body.status === "succeeded");
    const refunded = await stack.api("POST", `/v1/payments/${paid.body.id}/refunds`, { amount: "10.00", reason: "damaged" });
    expect(refunded.status).toBe(201);
    check("/v1/payments/{id}/refunds", "post", refunded);
    check("/v1/payments/{id}/refunds", "get", await stack.api("GET", `/v1/payments/${paid.body.id}/refunds`));
    // The timeline of a refunded payment has events of every kind so far.
    check("/v1/payments/{id}", "get", await stack.api("GET", `/v1/payments/${paid.body.id}`));

    const ops = async (p: string) => {
      const res = await fetch(stack.service.url + p);
      return { status: res.status, body: (await res.json()) as unknown };
    };
    check("/healthz", "get", await ops("/healthz"));
    check("/readyz", "get", await ops("/readyz"));
    expect(problems).toEqual([]);
    // The checks checked something: a wrong answer is caught.
    expect(mismatches("/v1/payments/{id}", "get", 200, { ...created.body, status: "paid" }).length).toBeGreaterThan(0);
  });
});
