/**
 * Secrets never reach a log line: the service's own logger (createLogger, at debug level) writes
 * into a captured stream while a whole run goes through it over real HTTP (gateway accounts set up,
 * a pay-in through each sandbox gateway with its callback, forged and unknown callbacks, bad keys,
 * a storage failure during callback intake, a storefront endpoint receiving every event, a PayPro
 * payout), on PGlite and on real PostgreSQL. Not one line may hold an API key, a gateway
 * credential, a callback token or the master key.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { Writable } from "node:stream";
import {
  PAYPRO_APP_SECRET,
  PAYPRO_MERCHANT_NO,
  XPAY_EG_API_KEY,
  XPAY_KG_CLIENT_SECRET,
  XPAY_PK_ACCOUNT_ID,
  XPAY_PK_API_KEY,
  XPAY_PK_HMAC_SECRET,
  XPAY_PK_WEBHOOK_SECRET,
  XPRESS_PAY_APP_ID,
  startSandbox,
  type SandboxHandle,
} from "@xpay-connect/sandbox";
import { createLogger, startService, type Service } from "../src";
import { scrubLine } from "../src/ops/log";
import { pointSandboxAt, sandboxAccounts } from "../src/demo/sandbox-merchant";
import { eventually, freshDatabase, postgresAvailable } from "./harness";

const GATEWAY_SECRETS = { XPRESS_PAY_APP_ID, PAYPRO_MERCHANT_NO, PAYPRO_APP_SECRET, XPAY_PK_API_KEY, XPAY_PK_ACCOUNT_ID, XPAY_PK_HMAC_SECRET, XPAY_PK_WEBHOOK_SECRET, XPAY_EG_API_KEY, XPAY_KG_CLIENT_SECRET };

const PAY_INS = [
  { gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" } },
  { gateway: "xpay-pk", method: "card", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" } },
  { gateway: "xpay-eg", method: "card", amount: "50.00", currency: "EGP", customer: { name: "Islam Rostom", email: "irostom@xpay.app", phone: "+201119045759" } },
  { gateway: "xpay-kg", method: "qr", amount: "1000.00", currency: "KGS", customer: { name: "Aibek Asanov" } },
] as const;

describe.each([["pglite"], ["postgres"]])("logs on %s", (kind) => {
  const lines: string[] = [];
  const secrets = new Map<string, string>();
  let sandbox: SandboxHandle | undefined;
  let service: Service | undefined;
  let receiver: Server | undefined;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (kind === "postgres") {
      if (!(await postgresAvailable())) return;
      const db = await freshDatabase();
      drop = db.drop;
      databaseUrl = db.url;
    }
    const masterKey = randomBytes(32).toString("hex");
    secrets.set("master key", masterKey);
    for (const [name, value] of Object.entries(GATEWAY_SECRETS)) secrets.set(name, value);
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
        done();
      },
    });
    sandbox = await startSandbox({ port: 0, seed: 7, retryScale: 0.001 });
    service = await startService({ port: 0, dataDir: ":memory:", masterKey, databaseUrl, allowPrivateEndpoints: true }, { log: createLogger("debug", stream) });
    receiver = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200).end("ok"));
    });
    await new Promise<void>((resolve) => receiver?.listen(0, "127.0.0.1", resolve));
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await sandbox?.close();
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
    await drop?.();
  });

  it("a whole run at debug level writes log lines, and none holds a secret", async () => {
    if (!service || !sandbox || !receiver) return;
    const s = service;
    const sb = sandbox;
    const { merchant, apiKey } = await s.ctx.merchants.create("Redaction store");
    secrets.set("API key", apiKey);
    for (const [gateway, config] of Object.entries(sandboxAccounts(sb.url))) await s.ctx.merchants.setGatewayAccount(merchant.id, gateway, config);
    await pointSandboxAt(sb.url, s.url);
    const api = async (method: string, path: string, body?: unknown, key = apiKey, headers: Record<string, string> = {}) => {
      const res = await fetch(s.url + path, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    // A storefront endpoint (its signing secret must not be logged either; every status change is delivered to it) and a signed PayPro payout.
    const address = receiver.address();
    const endpoint = await api("POST", "/v1/endpoints", { url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/hooks` });
    expect(endpoint.status).toBe(201);
    secrets.set("endpoint secret", String(endpoint.body.secret));
    const payout = await api("POST", "/v1/payouts", { gateway: "paypro", method: "jazzcash", order_ref: "PAYOUT-REDACT", amount: "300", currency: "PKR", recipient: { name: "Bilal Raza", mobile: "03214567890", email: "bilal@example.com", national_id: "3520212345671" } }, apiKey, { "idempotency-key": "payout-redact" });
    expect(payout).toEqual({ status: 201, body: expect.objectContaining({ object: "payout" }) });

    for (const p of PAY_INS) {
      const created = await api("POST", "/v1/payments", { ...p, order_ref: `REDACT-${p.gateway}`, return_url: "https://shop.example/return" });
      expect(created.status).toBe(201);
      const id = String(created.body.id);
      secrets.set(`callback token of ${p.gateway}`, s.ctx.secrets.callbackToken(id));
      const approved = await fetch(`${sb.url}/_sandbox/${p.gateway}/orders/${encodeURIComponent(String(created.body.gateway_ref))}/approve`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
      expect(approved.status).toBe(200);
      await eventually(() => api("GET", `/v1/payments/${id}`), (r) => r.body.status === "succeeded");
    }

    // Forged and misdirected callbacks, wrong keys, bad input.
    const [first] = await s.ctx.db.query<{ id: string }>("select id from payments where merchant_id = $1 and kind = 'pay_in' order by created_at limit 1", [merchant.id]);
    const firstToken = s.ctx.secrets.callbackToken(String(first?.id));
    await fetch(`${s.url}/callbacks/xpress-pay/${first?.id}/${firstToken.slice(0, -2)}xx`, { method: "POST", body: "{}" });
    await fetch(`${s.url}/callbacks/xpay-pk`, { method: "POST", body: JSON.stringify({ id: "pi_forged", status: "succeeded" }), headers: { "content-type": "application/json", "x-signature": "forged" } });
    expect((await api("GET", "/v1/payments", undefined, `${apiKey}x`)).status).toBe(401);
    expect((await api("POST", "/v1/payments", { gateway: "xpress-pay", amount: "1,500" })).status).toBe(400);

    // A storage failure during intake: answered 500 (the gateway retries) and logged, without the token in the URL.
    const created = await api("POST", "/v1/payments", { ...PAY_INS[0], order_ref: "REDACT-FAIL" });
    const failId = String(created.body.id);
    const failToken = s.ctx.secrets.callbackToken(failId);
    secrets.set("callback token of the failed intake", failToken);
    const store = s.ctx.inbox.store;
    s.ctx.inbox.store = () => Promise.reject(new Error(`disk full while storing a callback for ${failId}`));
    try {
      const failed = await fetch(`${s.url}/callbacks/xpress-pay/${failId}/${failToken}`, { method: "POST", body: JSON.stringify({ merOrderNo: failId }), headers: { "content-type": "application/json" } });
      expect(failed.status).toBe(500);
    } finally {
      s.ctx.inbox.store = store;
    }

    await fetch(`${sb.url}/_sandbox/callbacks/idle`, { method: "POST" });
    // The run was logged: gateway calls at debug level and the intake failure at error level.
    expect(lines.length).toBeGreaterThan(PAY_INS.length);
    expect(lines.some((l) => l.includes('"level":20') && /xpress-pay|xpay-pk|xpay-eg|xpay-kg/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('"level":50') && l.includes("request failed") && l.includes("/callbacks/:gateway/:paymentId/:token"))).toBe(true);

    const leaks = [...secrets].flatMap(([name, value]) => lines.filter((l) => l.includes(value)).map((l) => `${name} in: ${l.slice(0, 300)}`));
    expect(leaks).toEqual([]);
  });
});

describe("scrubLine", () => {
  it.each([
    ['{"notifyUrl":"https://pay.example/callbacks/xpress-pay/pay_abc/Zm9vYmFyYmF6LXF1eF9xdXV4"}', '{"notifyUrl":"https://pay.example/callbacks/xpress-pay/pay_abc/[redacted]"}'],
    ['{"msg":"key xc_live_AbC-d_e1 revoked"}', '{"msg":"key xc_live_[redacted] revoked"}'],
    ['{"authorization":"Bearer eyJhbGciOi.x.y"}', '{"authorization":"Bearer [redacted]"}'],
    ['{"route":"/callbacks/:gateway/:paymentId/:token"}', '{"route":"/callbacks/:gateway/:paymentId/:token"}'],
    ['{"callback":"/callbacks/xpay-eg"}', '{"callback":"/callbacks/xpay-eg"}'],
  ])("%s", (line, scrubbed) => {
    expect(scrubLine(line)).toBe(scrubbed);
  });
});
