/**
 * Signing secrets never reach a log line, on PGlite and on real PostgreSQL: a service logging
 * everything (trace, no redaction but its own) goes through create, list, rotate, failed and good
 * deliveries and disable, and none of its lines holds a secret.
 */
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { startService, type Service } from "../src";
import { pointSandboxAt, sandboxAccounts } from "../src/demo/sandbox-merchant";
import { configureOutbox } from "../src/outbox";
import { eventually, freshDatabase, postgresAvailable } from "./harness";
import { Receiver } from "./outbox-receiver";

configureOutbox({ baseDelayMs: 20, maxDelayMs: 100, pollMs: 50, timeoutMs: 5_000 });

describe.each([["pglite"], ["postgres"]])("outbox logs on %s", (kind) => {
  const lines: string[] = [];
  let sandbox: SandboxHandle | undefined;
  let service: Service | undefined;
  let apiKey = "";
  let drop: (() => Promise<void>) | undefined;
  const receiver = new Receiver();

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (kind === "postgres") {
      if (!(await postgresAvailable())) return;
      const db = await freshDatabase();
      drop = db.drop;
      databaseUrl = db.url;
    }
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    sandbox = await startSandbox({ port: 0, seed: 1, retryScale: 0.001 });
    service = await startService({ port: 0, dataDir: ":memory:", masterKey: randomBytes(32).toString("hex"), databaseUrl, allowPrivateEndpoints: true }, { log: pino({ level: "trace" }, sink) });
    const created = await service.ctx.merchants.create("Logged store");
    apiKey = created.apiKey;
    for (const [gateway, config] of Object.entries(sandboxAccounts(sandbox.url))) await service.ctx.merchants.setGatewayAccount(created.merchant.id, gateway, config);
    await pointSandboxAt(sandbox.url, service.url);
    await receiver.listen();
  });
  afterAll(async () => {
    await service?.stop();
    await sandbox?.close();
    await receiver.close();
    await drop?.();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${(service as Service).url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("no log line, at any level, holds a signing secret", async () => {
    if (!service || !sandbox) return;
    const s = service;
    const secrets: string[] = [];
    const created = await api("POST", "/v1/endpoints", { url: receiver.url });
    secrets.push(String(created.body.secret));
    const rotated = await api("POST", `/v1/endpoints/${created.body.id}/rotate-secret`, { grace_seconds: 600 });
    secrets.push(String(rotated.body.secret));
    expect(JSON.stringify((await api("GET", "/v1/endpoints")).body)).not.toMatch(/whsec_/);
    // Failed deliveries (logged as warnings) and then good ones (logged at debug).
    receiver.setMode("fail");
    const payment = await api("POST", "/v1/payments", { gateway: "xpress-pay", method: "easypaisa", amount: "99.00", currency: "PKR", order_ref: "ORDER-LOGS", customer: { name: "John Doe", phone: "03001234567" } });
    expect(payment.status).toBe(201);
    await fetch(`${sandbox.url}/_sandbox/xpress-pay/orders/${payment.body.gateway_ref}/approve`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    await eventually(async () => receiver.receipts.filter((r) => r.answered === 500).length, (n) => n >= 3);
    receiver.setMode("ok");
    await eventually(
      () => s.ctx.db.query<{ open: number }>("select count(*)::int as open from deliveries where endpoint_id = $1 and delivered_at is null", [created.body.id]),
      ([r]) => Number(r?.open) === 0,
    );
    const again = await api("POST", `/v1/endpoints/${created.body.id}/rotate-secret`, { grace_seconds: 0 });
    secrets.push(String(again.body.secret));
    await api("DELETE", `/v1/endpoints/${created.body.id}`);
    // The log did record the work, so its silence about secrets means something.
    const text = lines.join("");
    expect(text).toMatch(/outbox: delivery failed/);
    expect(text).toMatch(/outbox: delivered/);
    expect(text).toMatch(/secret rotated/);
    expect(secrets.every((x) => x.startsWith("whsec_"))).toBe(true);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/whsec_/);
  });
});
