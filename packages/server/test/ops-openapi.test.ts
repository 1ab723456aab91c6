/**
 * The OpenAPI document cannot drift: every route Fastify has registered (read from the router
 * itself) is documented, every reference resolves, and real answers have the documented shapes.
 */
import type { FastifyInstance } from "fastify";
import { UNDOCUMENTED_PREFIXES } from "../src/ops";
import { eventually, startStack, type Stack } from "./harness";

type Json = Record<string, unknown>;

/** Every "METHOD /path" the router holds, from its printed tree (a line per node, four columns a level). */
function registeredRoutes(app: FastifyInstance): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? "").length / 4;
    stack.length = depth;
    stack.push(m[2] ?? "");
    for (const method of (m[3] ?? "").split(",").map((x) => x.trim()).filter(Boolean)) routes.push(`${method} ${stack.join("")}`);
  }
  return routes;
}

/** "/v1/payments/:id" and "/v1/payments/{id}" both become "/v1/payments/{}": parameter names may differ, shapes may not. */
function shape(path: string): string {
  return path.replace(/:[^/]+/g, "{}").replace(/\{[^}]+\}/g, "{}");
}

describe("GET /openapi.json", () => {
  let stack: Stack;
  let doc: Json;

  beforeAll(async () => {
    stack = await startStack();
    const res = await fetch(`${stack.service.url}/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Json;
  }, 60_000);
  afterAll(async () => {
    await stack.stop();
  });

  it("is an OpenAPI 3.1 document served with the service's public URL, bearer auth and the error shape", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: stack.service.ctx.config.publicUrl }]);
    const components = doc.components as { securitySchemes: Json; schemas: Json };
    expect(components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ apiKey: [] }]);
    expect(components.schemas.Error).toMatchObject({ required: ["error"] });
  });

  it("documents every route Fastify has registered, and only those (nothing can drift silently)", () => {
    const registered = registeredRoutes(stack.service.app).filter((r) => !r.startsWith("HEAD ") && !r.startsWith("OPTIONS "));
    // The parser must see the routes we know exist, or this test would pass on an empty list.
    expect(registered).toEqual(expect.arrayContaining(["POST /v1/payments", "GET /v1/payments", "GET /v1/payments/:id", "POST /callbacks/:gateway/:paymentId/:token", "GET /healthz", "GET /metrics", "GET /readyz", "GET /openapi.json"]));
    const documented = new Set(
      Object.entries(doc.paths as Record<string, Json>).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${shape(path)}`)),
    );
    const missing = registered
      .filter((r) => !UNDOCUMENTED_PREFIXES.some((prefix) => r.split(" ")[1]?.startsWith(prefix)))
      .filter((r) => {
        const [method, path] = r.split(" ");
        return !documented.has(`${method} ${shape(path ?? "")}`);
      });
    expect(missing).toEqual([]);
    // And the other way: nothing is documented that the service does not serve.
    const served = new Set(registered.map((r) => `${r.split(" ")[0]} ${shape(r.split(" ")[1] ?? "")}`));
    expect([...documented].filter((d) => !served.has(d))).toEqual([]);
  });

  it("documents the whole API the issue names", () => {
    const paths = doc.paths as Record<string, Json>;
    const expected: Record<string, string[]> = {
      "/v1/payments": ["post", "get"],
      "/v1/payments/{id}": ["get"],
      "/v1/payments/{id}/refunds": ["post", "get"],
      "/v1/payouts": ["post", "get"],
      "/v1/payouts/{id}": ["get"],
      "/v1/balances/{gateway}": ["get"],
      "/v1/endpoints": ["post", "get"],
      "/v1/endpoints/{id}": ["delete"],
      "/v1/endpoints/{id}/rotate-secret": ["post"],
      "/callbacks/{gateway}/{paymentId}/{token}": ["post"],
      "/callbacks/{gateway}": ["post"],
      "/healthz": ["get"],
      "/readyz": ["get"],
      "/metrics": ["get"],
      "/openapi.json": ["get"],
    };
    for (const [path, methods] of Object.entries(expected)) expect(Object.keys(paths[path] ?? {}).sort()).toEqual([...methods].sort());
    const create = (paths["/v1/payments"] as { post: { parameters: Json[] } }).post;
    expect(create.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "Idempotency-Key", in: "header" })]));
    // /v1 operations need the API key; callbacks and operations routes do not.
    for (const [path, ops] of Object.entries(paths)) {
      for (const op of Object.values(ops) as { security?: unknown[] }[]) expect(op.security).toEqual(path.startsWith("/v1/") ? [{ apiKey: [] }] : []);
    }
  });

  it("every $ref resolves and every operation answers something", () => {
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          if (k === "$ref" && typeof x === "string") refs.push(x);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const r of refs) {
      expect(r).toMatch(/^#\//);
      const target = r.slice(2).split("/").reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc);
      if (target === undefined) throw new Error(`unresolved $ref ${r}`);
    }
    for (const ops of Object.values(doc.paths as Record<string, Json>)) {
      for (const op of Object.values(ops) as { responses?: Json; operationId?: string }[]) {
        expect(Object.keys(op.responses ?? {}).length).toBeGreaterThan(0);
        expect(op.operationId).toEqual(expect.any(String));
      }
    }
  });

  it("the Payment schema has exactly the fields the API answers; errors have the Error shape", async () => {
    const schemas = (doc.components as { schemas: Record<string, { required?: string[]; properties?: Json }> }).schemas;
    const created = await stack.api("POST", "/v1/payments", { gateway: "xpay-kg", method: "qr", order_ref: "OPENAPI-1", amount: "100.00", currency: "KGS", customer: { name: "Aibek Asanov" } });
    expect(created.status).toBe(201);
    const payment = schemas.Payment;
    expect(Object.keys(created.body).sort()).toEqual([...(payment?.required ?? [])].sort());
    const got = await stack.api("GET", `/v1/payments/${created.body.id}`);
    expect(Object.keys(got.body).sort()).toEqual(Object.keys(payment?.properties ?? {}).sort());
    const list = await stack.api("GET", "/v1/payments?limit=1");
    expect(Object.keys(list.body).sort()).toEqual([...(schemas.PaymentList?.required ?? [])].sort());

    const bad = await stack.api("POST", "/v1/payments", { gateway: "nope" });
    expect(bad.status).toBe(400);
    const errorProps = Object.keys(((schemas.Error?.properties?.error as { properties: Json }) ?? { properties: {} }).properties);
    expect(Object.keys(bad.body.error as Json).every((k) => errorProps.includes(k))).toBe(true);
    const requiredCreate = schemas.PaymentCreate?.required ?? [];
    expect(requiredCreate).toEqual(expect.arrayContaining(["gateway", "method", "order_ref", "amount", "currency", "customer"]));
  });

  it("payouts, refunds, balances and endpoints answer the documented shapes", async () => {
    interface Schema {
      required?: string[];
      properties?: Json;
      allOf?: Schema[];
      $ref?: string;
    }
    const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
    /** Every key a schema (or its allOf parts) declares. */
    const declared = (name: string): string[] => {
      const schema = schemas[name];
      const parts: Schema[] = schema?.allOf ?? [schema ?? {}];
      return parts.flatMap((part) => (part.$ref ? declared(part.$ref.split("/").pop() ?? "") : Object.keys(part.properties ?? {})));
    };
    const required = (name: string): string[] => {
      const schema = schemas[name];
      const parts: Schema[] = schema?.allOf ?? [schema ?? {}];
      return parts.flatMap((part) => (part.$ref ? required(part.$ref.split("/").pop() ?? "") : (part.required ?? [])));
    };
    const conforms = (body: Json, name: string) => {
      expect(Object.keys(body).filter((k) => !declared(name).includes(k))).toEqual([]);
      expect(required(name).filter((k) => !(k in body))).toEqual([]);
    };

    const endpoint = await stack.api("POST", "/v1/endpoints", { url: "https://shop.example/xpay-hooks", description: "main store" });
    expect(endpoint.status).toBe(201);
    conforms(endpoint.body, "Endpoint");
    const endpoints = await stack.api("GET", "/v1/endpoints");
    conforms(endpoints.body, "EndpointList");
    for (const e of endpoints.body.data as Json[]) conforms(e, "Endpoint");

    const payout = await stack.api("POST", "/v1/payouts", { gateway: "xpress-pay", method: "easypaisa", order_ref: "OPENAPI-PO", amount: "250.00", currency: "PKR", recipient: { name: "Ali Khan", mobile: "03112233445" } });
    expect(payout).toEqual({ status: 201, body: expect.objectContaining({ object: "payout" }) });
    conforms(payout.body, "Payout");
    conforms((await stack.api("GET", "/v1/payouts")).body, "PayoutList");

    const balance = await stack.api("GET", "/v1/balances/xpress-pay");
    expect(balance.status).toBe(200);
    conforms(balance.body, "Balance");
    conforms(balance.body.available as Json, "MoneyAmount");

    const paid = await stack.api("POST", "/v1/payments", { gateway: "xpay-eg", method: "card", order_ref: "OPENAPI-RF", amount: "50.00", currency: "EGP", customer: { name: "Islam Rostom", email: "irostom@xpay.app", phone: "+201119045759" } });
    expect(paid.status).toBe(201);
    await stack.act("xpay-eg", String(paid.body.gateway_ref), "approve");
    await eventually(() => stack.api("GET", `/v1/payments/${paid.body.id}`), (r) => r.body.status === "succeeded");
    const refunded = await stack.api("POST", `/v1/payments/${paid.body.id}/refunds`, { amount: "10.00", reason: "damaged" });
    expect(refunded.status).toBe(201);
    conforms(refunded.body, "PaymentWithRefund");
    conforms(refunded.body.refund as Json, "Refund");
    const refunds = await stack.api("GET", `/v1/payments/${paid.body.id}/refunds`);
    conforms(refunds.body, "RefundList");
  });
});
