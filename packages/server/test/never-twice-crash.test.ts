/**
 * A key whose request was killed: the service is SIGKILLed while its create waits for the gateway
 * (which already has the order). After a restart, a retry with the same Idempotency-Key answers 409
 * until the key's lock times out, then answers the payment the dead request stored (202, outcome
 * unknown): one payment, one gateway order. Real processes, real PostgreSQL, the sandbox as the gateway.
 */
import type { SandboxHandle } from "@xpay-connect/sandbox";
import type { Db } from "../src";
import { useCrashFixture } from "./crash-fixture";
import { eventually } from "./harness";
import { kill, spawnService, type ServiceProcess } from "./process";

let sandbox: SandboxHandle | undefined;
let db: Db | undefined;
let env: Record<string, string> = {};
let apiKey = "";
const processes: ServiceProcess[] = [];
useCrashFixture({ IDEMPOTENCY_LOCK_SECONDS: "4", RECONCILE_INTERVAL_MS: "0" }, (f) => ({ sandbox, db, env, apiKey } = f), processes, 120_000);

const BODY = JSON.stringify({ gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", order_ref: "ORDER-KILLED", customer: { name: "John Doe" } });

async function create(service: ServiceProcess, key?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${service.url}/v1/payments`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
    body: BODY,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

it("a create killed while the gateway holds its order: the retry with its key answers that payment after the lock timeout, never a second", async () => {
  if (!sandbox || !db) return;
  const sb = sandbox;
  const database = db;
  const payIns = () => (sb.emulators.get("xpress-pay")?.orders() as { kind: string; merchantRef: string }[]).filter((o) => o.kind === "payin");

  const first = await spawnService(env);
  processes.push(first);
  // The gateway takes the order and never answers in time: the service is killed while it waits.
  sb.faults.add({ gateway: "xpress-pay", operation: "payInCreate", kind: "timeout", ms: 60_000 });
  const killed = create(first, "killed-key").then(
    () => "answered",
    () => "killed",
  );
  await eventually(async () => payIns().length, (n) => n === 1);
  await kill(first, "SIGKILL");
  expect(await killed).toBe("killed");
  const [payment] = await database.query<{ id: string; status: string; gateway_ref: string | null }>("select id, status, gateway_ref from payments where order_ref = 'ORDER-KILLED'");
  expect(payment).toMatchObject({ status: "pending", gateway_ref: null });
  expect(payIns()[0]?.merchantRef).toBe(payment?.id);

  const second = await spawnService(env);
  processes.push(second);
  const seen: number[] = [];
  const recovered = await eventually(
    async () => {
      const r = await create(second, "killed-key");
      seen.push(r.status);
      if (r.status === 409) expect(r.body.error).toMatchObject({ code: "idempotency_in_progress", field: "Idempotency-Key" });
      return r;
    },
    (r) => r.status !== 409,
    20_000,
  );
  expect(recovered.status).toBe(202);
  expect(recovered.body).toMatchObject({ id: payment?.id, status: "pending", order_ref: "ORDER-KILLED" });
  expect(new Set(seen)).toEqual(new Set(seen.length > 1 ? [409, 202] : [202]));

  // The answer is stored: the key replays it; the order still has its one payment, the gateway its one order.
  expect(await create(second, "killed-key")).toEqual(recovered);
  const keyless = await create(second);
  expect(keyless.status).toBe(409);
  expect(keyless.body.error).toMatchObject({ code: "order_has_open_payment", payment_id: payment?.id });
  expect(await database.query("select id from payments where order_ref = 'ORDER-KILLED'")).toHaveLength(1);
  expect(payIns()).toHaveLength(1);
}, 120_000);
