/**
 * Mutations are durable jobs: the service stops while a resolve is still refused by Shopify
 * (THROTTLED), starts again on the same database (PGlite on disk, and PostgreSQL), and the queued
 * resolve is sent once Shopify accepts it, exactly once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { configureSessions } from "../src/sessions";
import { freshDatabase, postgresAvailable } from "../../../packages/server/test/harness";
import { bootApp, eventually, freePort, type ShopifyStack } from "./helpers/stack";
import { journal, readyShop, serviceApi } from "./helpers/shop";

let sandbox: SandboxHandle;
let dataDir: string;
let running: ShopifyStack | undefined;

beforeAll(async () => {
  configureSessions({ pollMs: 100, retryScale: 0.02, fallbackPollMs: 250, quietMs: 500 });
  sandbox = await startSandbox({ port: 0, seed: 3, retryScale: 0.001 });
  dataDir = mkdtempSync(path.join(tmpdir(), "xc-shopify-restart-"));
});

afterAll(async () => {
  configureSessions({});
  await running?.stop();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Fixed {
  port: number;
  masterKey: string;
  clientId: string;
  clientSecret: string;
  /** PostgreSQL; PGlite in `dataDir` when absent. */
  databaseUrl?: string;
}

/** The service with the app on the same database, port, keys and app credentials each time. */
async function boot(fixed: Fixed, first: boolean): Promise<ShopifyStack> {
  if (!fixed.port) fixed.port = await freePort();
  return bootApp(sandbox, { ...fixed, port: fixed.port, dataDir, ...(first ? { merchant: "Restart store" } : {}) });
}

it.each(["pglite", "postgres"])("%s: sends a resolve queued before a restart once Shopify accepts it, exactly once", async (kind) => {
  const fixed: Fixed = { port: 0, masterKey: randomBytes(32).toString("hex"), clientId: `restart-${randomBytes(4).toString("hex")}`, clientSecret: randomBytes(24).toString("hex") };
  let drop: (() => Promise<void>) | undefined;
  if (kind === "postgres") {
    if (!(await postgresAvailable())) return;
    const db = await freshDatabase();
    fixed.databaseUrl = db.url;
    drop = db.drop;
  }
  try {
    await restartOnce(fixed, `${kind}-restart.myshopify.com`);
  } finally {
    await running?.stop();
    running = undefined;
    await drop?.();
  }
});

async function restartOnce(fixed: Fixed, SHOP: string): Promise<void> {
  const first = await boot(fixed, true);
  running = first;
  expect((await first.control("/apps", first.deployed)).status).toBe(201);
  await readyShop(first, SHOP);

  // Shopify refuses every mutation for now.
  expect((await first.control("/faults", { throttleNext: 500_000 })).status).toBe(200);
  const created = await first.control<{ token: string }>("/checkouts", { shop: SHOP, amount: "640.00", currency: "PKR", test: true, customer: { email: "buyer@example.com", phone_number: "+923001234567", billing_address: { given_name: "Ayesha", family_name: "Khan", country_code: "PK" } } });
  const paid = await first.control<{ status: number; session: { id: string; gid: string } }>(`/checkouts/${created.body.token}/pay`, { handle: "xpay-pk" });
  expect(paid.body.status).toBe(200);
  const sessionId = paid.body.session.id;
  const [payment] = (await serviceApi(first, "GET", `/v1/payments?order_ref=${encodeURIComponent(sessionId)}`)).body.data as { id: string }[];
  await fetch(`${sandbox.url}/_sandbox/xpay-pk/orders/${payment?.id}/approve`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  const queued = () => first.service.ctx.db.query<{ status: string; attempts: number }>("select status, attempts from shopify_mutations where session_id = $1 and operation = 'PaymentSessionResolve'", [sessionId]);
  await eventually(queued, (rows) => rows[0]?.status === "pending" && rows[0].attempts >= 2, 20_000);
  await first.stop();
  running = undefined;

  // Shopify accepts again; the service comes back on the same database.
  expect((await first.control("/faults", { throttleNext: 0 })).status).toBe(200);
  const second = await boot(fixed, false);
  running = second;
  const session = await eventually(
    async () => (await journal(second, SHOP)).payment_sessions.find((s) => s.id === sessionId),
    (s) => s?.state.code === "RESOLVED",
    20_000,
  );
  expect(session?.mutations.filter((m) => m.accepted)).toHaveLength(1);
  const calls = (await second.control<{ calls: { variables?: { id?: string }; errors?: unknown[] }[] }>("/graphql-log")).body.calls.filter((c) => c.variables?.id === paid.body.session.gid);
  expect(calls.filter((c) => !c.errors?.length)).toHaveLength(1);
  expect(calls.length).toBeGreaterThan(1);
  const [row] = await second.service.ctx.db.query<{ status: string }>("select status from shopify_mutations where session_id = $1 and operation = 'PaymentSessionResolve'", [sessionId]);
  expect(row?.status).toBe("accepted");
}
