/**
 * Gateway accounts over the API (GET /v1/gateways, GET /v1/gateways/schema, PUT and DELETE
 * /v1/gateways/:gateway), over real HTTP against the real sandbox, on PGlite and on real
 * PostgreSQL: validation errors name the field, credentials the sandbox refuses are reported and
 * not stored, and no secret value appears in any answer or in any log line (captured at debug).
 */
import { Writable } from "node:stream";
import {
  PAYPRO_APP_SECRET,
  XPAY_EG_API_KEY,
  XPAY_KG_CLIENT_SECRET,
  XPAY_PK_API_KEY,
  XPAY_PK_HMAC_SECRET,
  XPAY_PK_WEBHOOK_SECRET,
  XPRESS_PAY_APP_ID,
} from "@xpay-connect/sandbox";
import { GATEWAY_IDS, secretFields, gatewayDefinition } from "@xpay-connect/core";
import { createLogger } from "../src";
import { sandboxAccounts } from "../src/demo/sandbox-merchant";
import { useStack, type Stack } from "./harness";

type Json = Record<string, unknown>;

/** Every credential of the sandbox's test merchants, and the wrong ones this test sends. */
const SECRETS = [PAYPRO_APP_SECRET, XPAY_EG_API_KEY, XPAY_KG_CLIENT_SECRET, XPAY_PK_API_KEY, XPAY_PK_HMAC_SECRET, XPAY_PK_WEBHOOK_SECRET, XPRESS_PAY_APP_ID, "wrong-app-id-0f3c9e", "xpay_eg_wrong_key_5b1d", "kg-wrong-secret-77aa"];

describe.each([["pglite"], ["postgres"]])("gateway accounts on %s", (kind) => {
  const lines: string[] = [];
  const log = createLogger(
    "debug",
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
        done();
      },
    }),
  );
  let stack: Stack | undefined;
  const answers: string[] = [];
  useStack(kind, (s) => (stack = s), { log });

  /** Calls the API and keeps the answer's text for the no-secret check at the end. */
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
    const answer = await (stack as Stack).api(method, path, body);
    answers.push(JSON.stringify(answer.body));
    return answer;
  };
  const sandbox = () => sandboxAccounts((stack as Stack).sandbox.url);

  it("GET /v1/gateways: each account's capabilities, methods, currencies, callback URL mode and non-secret fields", async () => {
    if (!stack) return;
    const list = await call("GET", "/v1/gateways");
    expect(list.status).toBe(200);
    const data = list.body.data as Json[];
    expect(data.map((a) => a.gateway)).toEqual([...GATEWAY_IDS].sort());
    const eg = data.find((a) => a.gateway === "xpay-eg") as Json;
    expect(eg).toMatchObject({
      object: "gateway_account",
      title: expect.any(String),
      country: "EG",
      capabilities: expect.objectContaining({ pay_in: true, payout: false, refund: true, pay_in_methods: expect.arrayContaining(["card", "kiosk"]), currencies: expect.arrayContaining(["EGP"]) }),
      callback_url: { mode: "dashboard", url: `${stack.service.ctx.config.publicUrl}/callbacks/xpay-eg` },
      config: { baseUrl: sandbox()["xpay-eg"].baseUrl, communityId: sandbox()["xpay-eg"].communityId, variableAmountId: sandbox()["xpay-eg"].variableAmountId },
      secrets_set: ["apiKey"],
    });
    const xp = data.find((a) => a.gateway === "xpress-pay") as Json;
    expect(xp).toMatchObject({ callback_url: { mode: "per_payment", url: null }, config: { baseUrl: sandbox()["xpress-pay"].baseUrl }, secrets_set: ["appId"] });
    // Only non-secret fields, for every gateway.
    for (const account of data) {
      const secret = secretFields(gatewayDefinition(account.gateway));
      expect(Object.keys(account.config as Json).filter((k) => secret.includes(k))).toEqual([]);
    }
  });

  it("GET /v1/gateways/schema: each gateway's fields as JSON Schema with titles, descriptions and secret flags", async () => {
    if (!stack) return;
    const answer = await call("GET", "/v1/gateways/schema");
    expect(answer.status).toBe(200);
    const data = answer.body.data as { gateway: string; callback_url: string; schema: { properties: Record<string, { title?: string; description?: string; secret?: boolean }>; required: string[] } }[];
    expect(data.map((d) => d.gateway)).toEqual([...GATEWAY_IDS]);
    for (const { gateway, schema } of data) {
      const flagged = Object.entries(schema.properties).filter(([, f]) => f.secret === true).map(([name]) => name);
      expect(flagged.sort()).toEqual(secretFields(gatewayDefinition(gateway)).sort());
      for (const field of Object.values(schema.properties)) expect({ title: typeof field.title, description: typeof field.description }).toEqual({ title: "string", description: "string" });
      expect(schema.required).toContain("baseUrl");
    }
    expect(data.find((d) => d.gateway === "paypro")?.schema.properties.appSecret?.secret).toBe(true);
  });

  it.each([
    ["a missing credential", "xpress-pay", (c: Json) => ({ baseUrl: c.baseUrl }), "appId"],
    ["an unknown key (a typo)", "xpress-pay", (c: Json) => ({ ...c, appID: "x" }), "appID"],
    ["a base URL that is not http(s)", "xpay-kg", (c: Json) => ({ ...c, baseUrl: "ftp://xpay.kg" }), "baseUrl"],
    ["a number where text is expected", "paypro", (c: Json) => ({ ...c, merchantNo: 12345 }), "merchantNo"],
    ["a secret of the wrong type", "xpay-eg", (c: Json) => ({ ...c, apiKey: ["xpay_eg_wrong_key_5b1d"] }), "apiKey"],
    ["a NUL in a secret", "xpay-kg", (c: Json) => ({ ...c, clientSecret: "kg-wrong-secret-77aa\u0000" }), "clientSecret"],
    ["text where a whole number is expected", "xpay-eg", (c: Json) => ({ ...c, variableAmountId: "12" }), "variableAmountId"],
  ])("PUT: %s -> 400 naming the field, nothing stored", async (_name, gateway, change, field) => {
    if (!stack) return;
    const before = (await call("GET", "/v1/gateways")).body.data as Json[];
    const answer = await call("PUT", `/v1/gateways/${gateway}`, change(sandbox()[gateway as keyof ReturnType<typeof sandbox>]));
    expect({ status: answer.status, code: (answer.body.error as Json).code, field: (answer.body.error as Json).field }).toEqual({ status: 400, code: "invalid_input", field });
    expect(String((answer.body.error as Json).message)).toContain(field);
    expect((await call("GET", "/v1/gateways")).body.data).toEqual(before);
  });

  it("PUT: a body that is not an object, or an unknown gateway -> 400 naming body or gateway", async () => {
    if (!stack) return;
    expect((await call("PUT", "/v1/gateways/xpress-pay", ["x"])).body.error).toMatchObject({ code: "invalid_input", field: "body" });
    expect((await call("PUT", "/v1/gateways/stripe", { baseUrl: "https://x.example" })).body.error).toMatchObject({ code: "invalid_input", field: "gateway" });
  });

  it.each([
    ["xpress-pay", "appId", { appId: "wrong-app-id-0f3c9e" }],
    ["xpay-eg", "apiKey", { apiKey: "xpay_eg_wrong_key_5b1d" }],
    ["xpay-kg", "clientSecret", { clientSecret: "kg-wrong-secret-77aa" }],
    ["paypro", "merchantNo", { merchantNo: "M-NOT-REAL" }],
  ])("PUT %s with credentials the sandbox refuses -> 422 credentials_refused naming %s; the stored account is unchanged", async (gateway, field, wrong) => {
    if (!stack) return;
    const before = ((await call("GET", "/v1/gateways")).body.data as Json[]).find((a) => a.gateway === gateway);
    const answer = await call("PUT", `/v1/gateways/${gateway}`, { ...sandbox()[gateway as keyof ReturnType<typeof sandbox>], ...wrong });
    expect({ status: answer.status, error: answer.body.error }).toEqual({ status: 422, error: { code: "credentials_refused", field, message: expect.stringContaining(field) } });
    expect(((await call("GET", "/v1/gateways")).body.data as Json[]).find((a) => a.gateway === gateway)).toEqual(before);
    // Payments still go through with the stored (right) credentials.
    if (gateway === "xpress-pay") {
      const paid = await call("POST", "/v1/payments", { gateway, method: "easypaisa", order_ref: `GW-${kind}`, amount: "10.00", currency: "PKR", customer: { name: "John Doe" } });
      expect(paid.status).toBe(201);
    }
  });

  it("PUT the right credentials -> 200 (replaced) with the GET shape; DELETE -> 200, then 404 naming gateway; PUT again -> 201", async () => {
    if (!stack) return;
    const replaced = await call("PUT", "/v1/gateways/xpay-kg", { ...sandbox()["xpay-kg"], timeoutMs: 5000 });
    expect(replaced.status).toBe(200);
    const listed = ((await call("GET", "/v1/gateways")).body.data as Json[]).find((a) => a.gateway === "xpay-kg");
    expect(replaced.body).toEqual(listed);
    expect(replaced.body.config).toEqual({ baseUrl: sandbox()["xpay-kg"].baseUrl, clientId: sandbox()["xpay-kg"].clientId, timeoutMs: 5000 });

    const removed = await call("DELETE", "/v1/gateways/xpay-kg");
    expect(removed).toEqual({ status: 200, body: listed });
    expect(((await call("GET", "/v1/gateways")).body.data as Json[]).map((a) => a.gateway)).not.toContain("xpay-kg");
    expect((await call("DELETE", "/v1/gateways/xpay-kg")).body.error).toMatchObject({ code: "not_found", field: "gateway" });
    expect((await call("POST", "/v1/payments", { gateway: "xpay-kg", method: "qr", order_ref: "GW-KG", amount: "100.00", currency: "KGS", customer: { name: "Aibek" } })).body.error).toMatchObject({ field: "gateway" });

    const added = await call("PUT", "/v1/gateways/xpay-kg", sandbox()["xpay-kg"]);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ gateway: "xpay-kg", secrets_set: ["clientSecret"], config: { clientId: sandbox()["xpay-kg"].clientId } });
    expect((await call("POST", "/v1/payments", { gateway: "xpay-kg", method: "qr", order_ref: "GW-KG-2", amount: "100.00", currency: "KGS", customer: { name: "Aibek" } })).status).toBe(201);
  });

  it("DELETE while a payment still waits on the account -> 409 naming gateway", async () => {
    if (!stack) return;
    const pending = await call("POST", "/v1/payments", { gateway: "xpay-eg", method: "kiosk", order_ref: `GW-EG-${kind}`, amount: "50.00", currency: "EGP", customer: { name: "Islam Rostom", email: "irostom@xpay.app", phone: "+201119045759" } });
    expect(pending.status).toBe(201);
    expect((await call("DELETE", "/v1/gateways/xpay-eg")).body.error).toMatchObject({ code: "account_in_use", field: "gateway" });
  });

  it("no secret value appears in any answer or any log line", () => {
    if (!stack) return;
    expect(answers.length).toBeGreaterThan(20);
    expect(lines.length).toBeGreaterThan(0);
    for (const value of SECRETS) {
      expect(answers.filter((a) => a.includes(value))).toEqual([]);
      expect(lines.filter((l) => l.includes(value))).toEqual([]);
    }
  });
});
