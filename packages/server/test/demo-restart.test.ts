/**
 * A second `pnpm start` on the same data directory keeps the sandbox consistent with the kept
 * database: the sandbox's state file brings back the last run's orders, so an old open payment is
 * still found by the gateway's lookup (and settles through reconciliation), and new payments never
 * get a gateway reference an old one already holds. On PGlite (database in the data directory) and
 * on PostgreSQL (DATABASE_URL; the sandbox state still in the data directory).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pino from "pino";
import { launch, SANDBOX_STATE_FILE, type Launched } from "../src/demo/launch";
import { reconcileNow } from "../src/reconcile";
import { freshDatabase, postgresAvailable } from "./harness";

jest.setTimeout(120_000);

const silent = pino({ level: process.env.LOG_LEVEL ?? "silent" });

interface Placed {
  ref: string;
  payment_id: string;
}

const ORDERS = [
  { product: "scarf", gateway: "xpress-pay", method: "easypaisa", customer: { name: "Ayesha Khan", phone: "03001234567" } },
  { product: "scarf", gateway: "xpay-kg", method: "qr", customer: { name: "Aibek Asanov" } },
  { product: "tea", gateway: "xpay-eg", method: "kiosk", customer: { name: "Islam Rostom", email: "irostom@example.com", phone: "+201119045759" } },
];

async function placeAll(running: Launched): Promise<{ id: string; gateway: string; gateway_ref: string; status: string }[]> {
  const out = [];
  for (const order of ORDERS) {
    const res = await fetch(`${running.service.url}/demo/api/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(order) });
    expect([order.gateway, res.status]).toEqual([order.gateway, 201]);
    const placed = ((await res.json()) as { order: Placed }).order;
    out.push(await payment(running, placed.payment_id));
  }
  return out;
}

async function payment(running: Launched, id: string): Promise<{ id: string; gateway: string; gateway_ref: string; status: string }> {
  const res = await fetch(`${running.service.url}/v1/payments/${id}`, { headers: { authorization: `Bearer ${running.demo.apiKey}` } });
  return (await res.json()) as { id: string; gateway: string; gateway_ref: string; status: string };
}

async function sandboxOrders(running: Launched): Promise<Record<string, { gatewayRef: string }[]>> {
  return (await (await fetch(`${running.sandbox.url}/_sandbox/orders`)).json()) as Record<string, { gatewayRef: string }[]>;
}

describe.each([["pglite"], ["postgres"]])("a second pnpm start on %s", (kind) => {
  let dir: string;
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  let skip = false;
  const masterKey = randomBytes(32).toString("hex");

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "xc-restart-"));
    if (kind === "postgres") {
      if (!(await postgresAvailable())) {
        skip = true;
        return;
      }
      const db = await freshDatabase();
      databaseUrl = db.url;
      drop = db.drop;
    }
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await drop?.();
  });

  const start = () => launch({ sandboxPort: 0, service: { port: 0, dataDir: dir, databaseUrl, masterKey, reconcileIntervalMs: 0 }, log: silent });

  it("finds the last run's payments at the sandbox, settles an old one by lookup, and never reuses a gateway reference", async () => {
    if (skip) return;
    const first = await start();
    let old: Awaited<ReturnType<typeof placeAll>>;
    try {
      expect(first.sandbox.stateFile).toEqual({ path: path.join(dir, SANDBOX_STATE_FILE), restored: false });
      old = await placeAll(first);
      expect(old.map((p) => p.status)).toEqual(["requires_action", "requires_action", "requires_action"]);
    } finally {
      await first.stop();
    }
    const kept = JSON.parse(readFileSync(path.join(dir, SANDBOX_STATE_FILE), "utf8")) as { version: number };
    expect(kept.version).toBe(1);

    const second = await start();
    try {
      expect(second.sandbox.stateFile).toEqual({ path: path.join(dir, SANDBOX_STATE_FILE), restored: true });
      expect(second.demo.created).toBe(false);
      // The sandbox still knows every order the database holds.
      const orders = await sandboxOrders(second);
      for (const p of old) expect([p.gateway, orders[p.gateway]?.some((o) => o.gatewayRef === p.gateway_ref)]).toEqual([p.gateway, true]);

      // The shopper pays the old Xpress Pay order now; the service learns it by asking the gateway.
      const [easypaisa, qr, kiosk] = old as [(typeof old)[0], (typeof old)[0], (typeof old)[0]];
      const approved = await fetch(`${second.sandbox.url}/_sandbox/xpress-pay/orders/${encodeURIComponent(easypaisa.gateway_ref)}/approve`, { method: "POST", body: "{}" });
      expect(approved.status).toBe(200);
      const report = await reconcileNow(second.service.ctx, { afterMs: 0, now: () => Date.now() + 60_000 });
      const outcome = (id: string) => report.results.find((r) => r.paymentId === id)?.outcome;
      expect([outcome(easypaisa.id), outcome(qr.id), outcome(kiosk.id)]).toEqual(["applied", "unchanged", "unchanged"]);
      expect((await payment(second, easypaisa.id)).status).toBe("succeeded");

      // New payments get new references at every gateway.
      const fresh = await placeAll(second);
      for (const [i, p] of fresh.entries()) expect([p.gateway, p.gateway_ref]).not.toEqual([old[i]?.gateway, old[i]?.gateway_ref]);
      const [duplicates] = await second.service.ctx.db.query<{ n: string }>(
        "select count(*) as n from (select gateway, gateway_ref from payments where gateway_ref is not null group by gateway, gateway_ref having count(*) > 1) d",
      );
      expect(Number(duplicates?.n)).toBe(0);
    } finally {
      await second.stop();
    }
  });

  it("a state file it cannot read is set aside, and the sandbox starts clean", async () => {
    if (skip) return;
    const file = path.join(dir, SANDBOX_STATE_FILE);
    writeFileSync(file, "{ not json");
    const running = await start();
    try {
      expect(running.sandbox.stateFile?.restored).toBe(false);
      const aside = String(running.sandbox.stateFile?.setAside);
      expect(readFileSync(aside, "utf8")).toBe("{ not json");
      expect(existsSync(file)).toBe(true);
      expect(Object.values(await sandboxOrders(running)).flat()).toEqual([]);
    } finally {
      await running.stop();
    }
  });
});
