/**
 * The demo store over real HTTP, on PGlite and on real PostgreSQL: its pages render, an order placed
 * through its routes is a payment of the demo merchant, its event stream and order route report the
 * status as the sandbox settles it, payouts settle through the sandbox action, bad input gets a 4xx
 * naming the field, and no response carries the merchant's API key or any gateway secret.
 * `pnpm start`'s merchant setup (create once, reuse after, key file 0600) is checked on disk.
 */
import { mkdtempSync, rmSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pino from "pino";
import {
  PAYPRO_APP_SECRET,
  XPAY_EG_API_KEY,
  XPAY_KG_CLIENT_SECRET,
  XPAY_PK_API_KEY,
  XPAY_PK_HMAC_SECRET,
  XPAY_PK_WEBHOOK_SECRET,
  XPRESS_PAY_APP_ID,
  startSandbox,
  type SandboxHandle,
} from "@xpay-connect/sandbox";
import { GATEWAY_IDS } from "@xpay-connect/core";
import { startService, type Service } from "../src";
import { setupDemo, type DemoSetup } from "../src/demo";
import { launch } from "../src/demo/launch";
import { eventually, freshDatabase, postgresAvailable } from "./harness";

jest.setTimeout(60_000);

const silent = pino({ level: process.env.LOG_LEVEL ?? "silent" });

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

/** A running service with the demo set up, and a client that keeps every body it reads (for the secret check). */
interface DemoStack {
  sandbox: SandboxHandle;
  service: Service;
  demo: DemoSetup;
  masterKey: string;
  bodies: string[];
  get(path: string): Promise<Answer>;
  post(path: string, body?: unknown): Promise<Answer>;
  /** The /v1 API as the demo merchant (what a real client of the service would see). */
  v1(path: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

async function startDemoStack(databaseUrl?: string): Promise<DemoStack> {
  const sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
  const masterKey = randomBytes(32).toString("hex");
  const service = await startService({ port: 0, dataDir: ":memory:", masterKey, databaseUrl }, { log: silent });
  const demo = await setupDemo(service.ctx, { sandboxUrl: sandbox.url });
  const bodies: string[] = [];
  const request = async (method: string, p: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(service.url + p, {
      method,
      redirect: "manual",
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const text = await res.text();
    bodies.push(text, JSON.stringify([...res.headers]));
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // pages and scripts are not JSON
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  return {
    sandbox,
    service,
    demo,
    masterKey,
    bodies,
    get: (p) => request("GET", p),
    post: (p, body) => request("POST", p, body ?? {}),
    v1: async (p) => (await (await fetch(service.url + p, { headers: { authorization: `Bearer ${demo.apiKey}` } })).json()) as Record<string, unknown>,
    stop: async () => {
      await service.stop();
      await sandbox.close();
    },
  };
}

/** Reads Server-Sent Events from `url` until `done` accepts one; the stream is closed either way. */
async function readEvents(url: string, done: (event: Record<string, unknown>) => boolean, ready: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal, headers: { accept: "text/event-stream" } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const seen: Record<string, unknown>[] = [];
  let buffer = "";
  let started = false;
  try {
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) throw new Error(`event stream ended; saw ${JSON.stringify(seen)}`);
      buffer += decoder.decode(value, { stream: true });
      // The first chunk (": connected") means the stream is subscribed: act only then.
      if (!started) {
        started = true;
        await ready();
      }
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block.split("\n").find((l) => l.startsWith("data: "));
        if (!block.includes("event: payment") || !data) continue;
        const event = JSON.parse(data.slice(6)) as Record<string, unknown>;
        seen.push(event);
        if (done(event)) return seen;
      }
    }
  } finally {
    abort.abort();
    await reader.cancel().catch(() => undefined);
  }
}

const ORDER = { product: "scarf", gateway: "xpress-pay", method: "easypaisa", customer: { name: "Ayesha Khan", email: "ayesha@example.com", phone: "03001234567" } };

describe.each([["pglite"], ["postgres"]])("demo store on %s", (kind) => {
  let s: DemoStack | undefined;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (kind === "postgres") {
      if (!(await postgresAvailable())) return;
      const db = await freshDatabase();
      drop = db.drop;
      s = await startDemoStack(db.url);
    } else {
      s = await startDemoStack();
    }
  });
  afterAll(async () => {
    await s?.stop();
    await drop?.();
  });

  it("renders the store, an order page, its script, stylesheet and pictures", async () => {
    if (!s) return;
    const store = await s.get("/demo");
    expect(store.status).toBe(200);
    expect(store.headers.get("content-type")).toMatch(/text\/html/);
    expect(store.text).toContain('data-view="store"');
    expect(store.text).toContain('<script src="/demo/assets/app.js"');
    expect(store.text).toContain(`${s.sandbox.url}/`);
    expect((await s.get("/demo/")).status).toBe(200);
    const order = await s.get("/demo/order/DEMO-ABCDEFGH");
    expect(order.status).toBe(200);
    expect(order.text).toContain('data-ref="DEMO-ABCDEFGH"');
    // Anything else in the order slot goes back to the store rather than into the page.
    expect((await s.get("/demo/order/%3Cscript%3E")).status).toBe(302);
    // The browser code: ES modules compiled from demo-web/src, and the stylesheet, revalidated on each load.
    expect(store.text).toContain('<script src="/demo/assets/app.js" type="module">');
    const js = await s.get("/demo/assets/app.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    expect(js.headers.get("cache-control")).toBe("no-cache");
    expect(js.text).toContain('from "./store.js"');
    expect((await s.get("/demo/assets/live.js")).text).toContain("/demo/api/events");
    const css = await s.get("/demo/assets/app.css");
    expect([css.status, css.headers.get("content-type"), css.headers.get("cache-control")]).toEqual([200, expect.stringMatching(/text\/css/), "no-cache"]);
    expect(css.text).toContain(".product");
    // Only what the browser loads: no sources, no build info, nothing outside the asset folders.
    for (const p of ["/demo/assets/app.ts", "/demo/assets/.tsbuildinfo", "/demo/assets/../package.json", "/demo/assets/%2e%2e/package.json"]) expect([p, (await s.get(p)).status]).toEqual([p, 404]);
    const svg = await s.get("/demo/assets/products/scarf.svg");
    expect(svg.headers.get("content-type")).toMatch(/image\/svg\+xml/);
    expect((await s.get("/demo/assets/products/nope.svg")).status).toBe(404);
  });

  it("lists products priced in every currency, and the gateways with their methods", async () => {
    if (!s) return;
    const { json } = await s.get("/demo/api/catalog");
    const products = json.products as { id: string; prices: Record<string, string> }[];
    expect(products.map((p) => p.id)).toEqual(["scarf", "tea"]);
    expect(products[0]?.prices).toEqual({ PKR: "1500.00", EGP: "250.00", KGS: "1000.00" });
    const gateways = json.gateways as { id: string; methods: { id: string }[] }[];
    expect(Object.fromEntries(gateways.map((g) => [g.id, g.methods.map((m) => m.id)]))).toEqual({
      "xpress-pay": ["easypaisa", "jazzcash"],
      "xpay-pk": ["card"],
      "xpay-eg": ["card", "kiosk", "fawry", "wallet", "valu"],
      "xpay-kg": ["qr"],
    });
  });

  it("an order becomes a payment of the demo merchant; the event stream and the order route report it paid", async () => {
    if (!s) return;
    const st = s;
    const placed = await st.post("/demo/api/orders", ORDER);
    expect(placed.status).toBe(201);
    const order = placed.json.order as { ref: string; payment_id: string; status: string; amount: string; currency: string; next_action: { type: string; url: string } };
    expect(order).toMatchObject({ status: "requires_action", amount: "1500.00", currency: "PKR", next_action: { type: "redirect" } });
    expect(order.ref).toMatch(/^DEMO-[A-Z0-9]{8}$/);
    expect(order.next_action.url.startsWith(`${st.sandbox.url}/xpress-pay/checkout/`)).toBe(true);

    const payment = await st.v1(`/v1/payments/${order.payment_id}`);
    expect(payment).toMatchObject({ order_ref: order.ref, gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", metadata: { product: "scarf" } });
    expect(payment.return_url).toBe(`${st.service.ctx.config.publicUrl}/demo/order/${order.ref}`);

    const events = await readEvents(
      `${st.service.url}/demo/api/events`,
      (e) => e.order_ref === order.ref && e.status === "succeeded",
      () => fetch(`${st.sandbox.url}/_sandbox/xpress-pay/orders/${encodeURIComponent(String(payment.gateway_ref))}/approve`, { method: "POST", body: "{}" }),
    );
    expect(events.at(-1)).toMatchObject({ id: order.payment_id, kind: "pay_in", from: "requires_action", to: "succeeded" });

    const read = await st.get(`/demo/api/orders/${order.ref}`);
    const seen = read.json.order as { status: string; next_action: unknown; events: { type: string; to: string; source: string }[] };
    expect(seen.status).toBe("succeeded");
    expect(seen.events.filter((e) => e.type === "status_changed").map((e) => [e.to, e.source])).toEqual([
      ["requires_action", "api"],
      ["succeeded", "callback"],
    ]);
    const recent = await st.get("/demo/api/orders");
    expect((recent.json.data as { ref: string; status: string }[]).find((o) => o.ref === order.ref)?.status).toBe("succeeded");
  });

  it("a declined order is reported failed by the order route", async () => {
    if (!s) return;
    const st = s;
    const placed = await st.post("/demo/api/orders", { ...ORDER, method: "jazzcash", customer: { name: "Ayesha Khan" } });
    expect(placed.status).toBe(201);
    const order = placed.json.order as { ref: string; payment_id: string };
    const payment = await st.v1(`/v1/payments/${order.payment_id}`);
    await fetch(`${st.sandbox.url}/_sandbox/xpress-pay/orders/${encodeURIComponent(String(payment.gateway_ref))}/decline`, { method: "POST", body: "{}" });
    const read = await eventually(
      () => st.get(`/demo/api/orders/${order.ref}`),
      (r) => (r.json.order as { status: string }).status !== "requires_action",
    );
    expect((read.json.order as { status: string }).status).toBe("failed");
  });

  it("offers each gateway's next step: card redirect, kiosk bill reference, QR link", async () => {
    if (!s) return;
    const st = s;
    const card = await st.post("/demo/api/orders", { ...ORDER, gateway: "xpay-pk", method: "card" });
    expect(card.status).toBe(201);
    expect((card.json.order as { next_action: { type: string; url: string } }).next_action).toMatchObject({ type: "redirect", url: expect.stringContaining("/xpay-pk/checkout/") });

    const kiosk = await st.post("/demo/api/orders", { ...ORDER, product: "tea", gateway: "xpay-eg", method: "kiosk", customer: { name: "Islam Rostom", email: "irostom@example.com", phone: "+201119045759" } });
    expect(kiosk.status).toBe(201);
    const kioskOrder = kiosk.json.order as { ref: string; currency: string; payment_id: string; next_action: { type: string; bill_reference: string; url: string } };
    expect(kioskOrder.currency).toBe("EGP");
    expect(kioskOrder.next_action.type).toBe("kiosk");
    expect(kioskOrder.next_action.bill_reference).toMatch(/^\d+$/);

    // XPay EG sends the shopper back to one dashboard URL with its transaction id: the demo finds the order.
    const payment = await st.v1(`/v1/payments/${kioskOrder.payment_id}`);
    const back = await st.get(`/demo/return?transaction_uuid=${encodeURIComponent(String(payment.gateway_ref))}&transaction_status=SUCCESSFUL`);
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toBe(`/demo/order/${kioskOrder.ref}`);
    expect((await st.get("/demo/return?transaction_uuid=unknown")).headers.get("location")).toBe("/demo");

    const qr = await st.post("/demo/api/orders", { ...ORDER, gateway: "xpay-kg", method: "qr", customer: { name: "Aibek Asanov" } });
    expect(qr.status).toBe(201);
    const qrOrder = qr.json.order as { currency: string; amount: string; next_action: { type: string; url: string } };
    expect(qrOrder).toMatchObject({ currency: "KGS", amount: "1000.00" });
    expect(qrOrder.next_action).toMatchObject({ type: "qr", url: expect.stringContaining("/xpay-kg/pay/") });
  });

  it("shows the Xpress Pay balance, and a payout settles through the labelled sandbox action", async () => {
    if (!s) return;
    const st = s;
    const before = await st.get("/demo/api/balance");
    expect(before.status).toBe(200);
    const balance = before.json.balance as { currency: string; available: string };
    expect(balance.currency).toBe("PKR");
    expect(balance.available).toMatch(/^\d+\.\d{2}$/);

    const sent = await st.post("/demo/api/payouts", { amount: "250.00", method: "easypaisa", mobile: "03112233445", name: "Bilal Ahmed" });
    expect(sent.status).toBe(201);
    const payout = sent.json.payout as { id: string; status: string; amount: string; recipient: string };
    expect(payout).toMatchObject({ amount: "250.00", recipient: "0311****445" });
    expect(["pending", "requires_action"]).toContain(payout.status);
    const listed = await st.get("/demo/api/payouts");
    expect((listed.json.data as { id: string }[]).map((p) => p.id)).toContain(payout.id);

    const settled = await st.post(`/demo/api/payouts/${payout.id}/sandbox/approve`);
    expect(settled.status).toBe(200);
    const done = await eventually(
      () => st.get("/demo/api/payouts"),
      (r) => (r.json.data as { id: string; status: string }[]).find((p) => p.id === payout.id)?.status === "succeeded",
    );
    expect((done.json.data as { id: string; status: string }[]).find((p) => p.id === payout.id)?.status).toBe("succeeded");
    // Settled once: the sandbox refuses a second decision and says so.
    expect((await st.post(`/demo/api/payouts/${payout.id}/sandbox/decline`)).status).toBe(409);
  });

  it("answers bad input with a 4xx naming the field, and stores nothing for it", async () => {
    if (!s) return;
    const st = s;
    const before = ((await st.v1("/v1/payments?limit=100")).data as unknown[]).length;
    const cases: [unknown, string][] = [
      [{ ...ORDER, product: "yacht" }, "product"],
      [{ ...ORDER, gateway: "paypro" }, "gateway"],
      [{ ...ORDER, method: "card" }, "method"],
      [{ ...ORDER, customer: { name: "" } }, "customer.name"],
      [{ ...ORDER, gateway: "xpay-eg", method: "card", customer: { name: "Islam Rostom", email: "irostom@example.com", phone: "12" } }, "customer.phone"],
      ["not an object", "product"],
      [{ ...ORDER, customer: "Ayesha Khan" }, "customer"],
      [{ ...ORDER, customer: { ...ORDER.customer, email: 42 } }, "customer.email"],
    ];
    for (const [body, field] of cases) {
      const res = await st.post("/demo/api/orders", body);
      expect([res.status, (res.json.error as { field?: string } | undefined)?.field]).toEqual([400, field]);
      expect(String((res.json.error as { message: string }).message)).toContain(field);
    }
    expect(((await st.v1("/v1/payments?limit=100")).data as unknown[]).length).toBe(before);
    const badRef = await st.get("/demo/api/orders/nope");
    expect([badRef.status, (badRef.json.error as { field: string }).field]).toEqual([400, "ref"]);
    const unknown = await st.get("/demo/api/orders/DEMO-ZZZZZZZZ");
    expect([unknown.status, (unknown.json.error as { field: string }).field]).toEqual([404, "ref"]);
    for (const [body, field] of [
      [{ amount: "1.5.0", method: "easypaisa", mobile: "03112233445", name: "B A" }, "amount"],
      [{ amount: "0.00", method: "easypaisa", mobile: "03112233445", name: "B A" }, "amount"],
      [{ amount: "10.00", method: "bank", mobile: "03112233445", name: "B A" }, "method"],
      [{ amount: 250, method: "easypaisa", mobile: "03112233445", name: "B A" }, "amount"],
      [{ amount: "10.00", method: "easypaisa", mobile: "12", name: "B A" }, "recipient.mobile"],
    ] as const) {
      const res = await st.post("/demo/api/payouts", body);
      expect([res.status, (res.json.error as { field?: string } | undefined)?.field]).toEqual([400, field]);
    }
    const badAction = await st.post("/demo/api/payouts/pay_x/sandbox/explode");
    expect([badAction.status, (badAction.json.error as { field: string }).field]).toEqual([400, "action"]);
  });

  it("never sends the API key, the master key, a gateway credential or a callback token", async () => {
    if (!s) return;
    const st = s;
    await st.get("/demo");
    await st.get("/demo/api/catalog");
    const { data } = (await st.v1("/v1/payments?limit=100")) as { data: { id: string; order_ref: string }[] };
    for (const p of data) await st.get(`/demo/api/orders/${p.order_ref}`);
    const secrets = [
      st.demo.apiKey,
      st.masterKey,
      XPRESS_PAY_APP_ID,
      PAYPRO_APP_SECRET,
      XPAY_PK_API_KEY,
      XPAY_PK_HMAC_SECRET,
      XPAY_PK_WEBHOOK_SECRET,
      XPAY_EG_API_KEY,
      XPAY_KG_CLIENT_SECRET,
      ...data.map((p) => st.service.ctx.secrets.callbackToken(p.id)),
    ];
    expect(st.bodies.length).toBeGreaterThan(20);
    const all = st.bodies.join("\n");
    for (const secret of secrets) expect(all.includes(secret) ? `leaked ${secret.slice(0, 6)}…` : "clean").toBe("clean");
    expect(all).not.toMatch(/Bearer|xc_(live|test)_/);
  });
});

describe("demo store without a demo merchant", () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ port: 0, dataDir: ":memory:", masterKey: randomBytes(32).toString("hex"), databaseUrl: undefined }, { log: silent });
  });
  afterAll(() => service.stop());

  it("says how to start it, and its API answers 404", async () => {
    const page = await fetch(`${service.url}/demo`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("pnpm start");
    for (const p of ["/demo/api/catalog", "/demo/api/orders", "/demo/api/events", "/demo/api/balance"]) {
      const res = await fetch(service.url + p);
      expect([p, res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([p, 404, "demo_not_set_up"]);
    }
  });
});

describe("pnpm start's demo merchant", () => {
  let dir: string;
  // Given, as XPAY_CONNECT_KEY would be: otherwise the key is read from the environment's data directory.
  const masterKey = randomBytes(32).toString("hex");
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "xc-demo-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async () => {
    const running = await launch({ sandboxPort: 0, service: { port: 0, dataDir: dir, databaseUrl: undefined, masterKey }, log: silent });
    try {
      const res = await fetch(`${running.service.url}/v1/payments`, { headers: { authorization: `Bearer ${running.demo.apiKey}` } });
      return { demo: running.demo, status: res.status, gateways: await running.service.ctx.merchants.gateways(running.demo.merchantId) };
    } finally {
      await running.stop();
    }
  };

  it("is created once with every gateway, then reused with the same working key", async () => {
    const first = await run();
    expect(first.demo.created).toBe(true);
    expect(first.status).toBe(200);
    expect([...first.gateways].sort()).toEqual([...GATEWAY_IDS].sort());
    expect(first.gateways).toEqual(expect.arrayContaining(["paypro", "xpay-eg", "xpay-kg", "xpay-pk", "xpress-pay"]));
    const file = path.join(dir, "demo-merchant.json");
    expect(first.demo.keyFile).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = await run();
    expect(second.demo).toMatchObject({ created: false, merchantId: first.demo.merchantId, apiKey: first.demo.apiKey });
    expect(second.status).toBe(200);

    // Without its key file the same merchant is found by name and gets a new key; the lost one stops working.
    unlinkSync(file);
    const third = await run();
    expect(third.demo.merchantId).toBe(first.demo.merchantId);
    expect(third.demo.apiKey).not.toBe(first.demo.apiKey);
    expect(third.status).toBe(200);
    const running = await launch({ sandboxPort: 0, service: { port: 0, dataDir: dir, databaseUrl: undefined, masterKey }, log: silent });
    try {
      expect(await running.service.ctx.merchants.authenticate(first.demo.apiKey)).toBeUndefined();
      expect(running.demo.apiKey).toBe(third.demo.apiKey);
    } finally {
      await running.stop();
    }
  });
});
