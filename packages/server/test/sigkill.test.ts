/**
 * A service killed with SIGKILL in the middle of a callback flood loses no acknowledged callback:
 * every callback it answered SUCCESS to is in the database, and a new process applies them all,
 * each payment exactly once. Real processes, real PostgreSQL, the sandbox as the gateway.
 */
import type { SandboxHandle } from "@xpay-connect/sandbox";
import { Secrets, type Db } from "../src";
import { useCrashFixture } from "./crash-fixture";
import { eventually } from "./harness";
import { kill, spawnService, type ServiceProcess } from "./process";

const PAYMENTS = 12;
const CALLBACKS_PER_PAYMENT = 15;

let sandbox: SandboxHandle | undefined;
let db: Db | undefined;
let env: Record<string, string> = {};
let apiKey = "";
const processes: ServiceProcess[] = [];
useCrashFixture({ CALLBACK_LEASE_SECONDS: "2" }, (f) => ({ sandbox, db, env, apiKey } = f), processes);

it("SIGKILL mid-flood loses no acknowledged callback, and the restart applies each payment once", async () => {
  if (!sandbox || !db) return;
  const sb = sandbox;
  const database = db;
  const first = await spawnService(env);
  processes.push(first);
  const secrets = Secrets.fromText(env.XPAY_CONNECT_KEY as string);

  // Payments paid at the gateway whose callbacks the sandbox drops: only our flood will tell the service.
  await fetch(`${sb.url}/_sandbox/callbacks/mode`, { method: "POST", body: JSON.stringify({ gateway: "xpress-pay", mode: "drop", count: 100 }), headers: { "content-type": "application/json" } });
  const payments: { id: string; gatewayRef: string }[] = [];
  for (let i = 0; i < PAYMENTS; i++) {
    const res = await fetch(`${first.url}/v1/payments`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", order_ref: `CRASH-${i}`, customer: { name: "John Doe" } }),
    });
    const body = (await res.json()) as { id: string; gateway_ref: string };
    expect(res.status).toBe(201);
    payments.push({ id: body.id, gatewayRef: body.gateway_ref });
    await fetch(`${sb.url}/_sandbox/xpress-pay/orders/${body.gateway_ref}/approve`, { method: "POST" });
  }

  // The flood: every callback carries a nonce so each acknowledged one can be found again.
  const flood = payments.flatMap((p) =>
    Array.from({ length: CALLBACKS_PER_PAYMENT }, (_, n) => ({
      url: `${first.url}/callbacks/xpress-pay/${p.id}/${secrets.callbackToken(p.id)}`,
      nonce: `${p.id}-${n}`,
      body: JSON.stringify({ appId: "c551c980b045d827f3d910fbdf8c1ddb", merOrderNo: p.id, orderNo: p.gatewayRef, amount: "1500.00", currency: "PKR", orderStatus: "2", nonce: `${p.id}-${n}` }),
    })),
  );
  const acked: string[] = [];
  let killed = false;
  const killAfter = Math.floor(flood.length / 3);
  await Promise.all(
    flood.map(async (cb) => {
      try {
        const res = await fetch(cb.url, { method: "POST", body: cb.body, headers: { "content-type": "application/json" } });
        if (res.status === 200 && (await res.text()) === "SUCCESS") acked.push(cb.nonce);
        if (acked.length >= killAfter && !killed) {
          killed = true;
          await kill(first, "SIGKILL");
        }
      } catch {
        // The connection died with the process: not acknowledged, the gateway would retry it.
      }
    }),
  );
  expect(killed).toBe(true);
  expect(acked.length).toBeGreaterThanOrEqual(killAfter);

  // Every acknowledged callback is stored.
  const stored = await database.query<{ raw_body: string }>("select body as raw_body from callbacks_readable");
  const nonces = new Set(stored.map((r) => String((JSON.parse(r.raw_body) as { nonce?: string }).nonce)));
  expect(acked.filter((n) => !nonces.has(n))).toEqual([]);

  // A new process finishes the work: each payment with a stored callback is paid, exactly once.
  const second = await spawnService(env);
  processes.push(second);
  await eventually(
    () => database.query<{ n: string | number }>("select count(*) as n from callbacks where state in ('received', 'retry')"),
    (rows) => Number(rows[0]?.n) === 0,
    30_000,
  );
  const withCallbacks = new Set((await database.query<{ payment_id: string }>("select distinct payment_id from callbacks")).map((r) => r.payment_id));
  for (const p of payments.filter((x) => withCallbacks.has(x.id))) {
    const changes = await database.query<{ source: string; to_status: string }>(
      "select source, to_status from payment_events where payment_id = $1 and type = 'status_changed' order by id",
      [p.id],
    );
    expect(changes.map((c) => `${c.source}:${c.to_status}`)).toEqual(["api:requires_action", "callback:succeeded"]);
    const outbox = await database.query("select 1 from outbox_events where payment_id = $1 and type = 'payment.succeeded'", [p.id]);
    expect(outbox).toHaveLength(1);
  }
  await kill(second, "SIGTERM");
  expect(second.child.exitCode).toBe(0);
});
