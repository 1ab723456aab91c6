import { randomBytes } from "node:crypto";
import { startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { Merchants, Secrets, migrate, openDb, type Db } from "../src";
import { sandboxAccounts } from "../src/demo/sandbox-merchant";
import { freshDatabase, postgresAvailable } from "./harness";
import { buildService, kill, type ServiceProcess } from "./process";

/** What a crash test runs against: the sandbox, a fresh PostgreSQL database (migrated, one merchant with Xpress Pay) and the env to spawn services with. */
export interface CrashFixture {
  sandbox: SandboxHandle;
  db: Db;
  /** DATABASE_URL, XPAY_CONNECT_KEY and the test's own settings: spawnService(env). */
  env: Record<string, string>;
  apiKey: string;
}

/**
 * Registers beforeAll/afterAll for tests that run the service as real processes and kill them:
 * builds the service, prepares the fixture and hands it to `set` (not called without PostgreSQL,
 * never under CI=true); afterwards SIGKILLs what is left in `processes` and drops the database.
 */
export function useCrashFixture(settings: Record<string, string>, set: (fixture: CrashFixture) => void, processes: ServiceProcess[], timeoutMs?: number): void {
  let fixture: CrashFixture | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (!(await postgresAvailable())) return;
    buildService();
    const fresh = await freshDatabase();
    drop = fresh.drop;
    const masterKey = randomBytes(32).toString("hex");
    const sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
    const db = await openDb({ databaseUrl: fresh.url, dataDir: "" });
    await migrate(db);
    const merchants = new Merchants(db, Secrets.fromText(masterKey));
    const created = await merchants.create("Crash test store");
    await merchants.setGatewayAccount(created.merchant.id, "xpress-pay", sandboxAccounts(sandbox.url)["xpress-pay"]);
    fixture = { sandbox, db, env: { DATABASE_URL: fresh.url, XPAY_CONNECT_KEY: masterKey, ...settings }, apiKey: created.apiKey };
    set(fixture);
  }, timeoutMs);
  afterAll(async () => {
    for (const p of processes) await kill(p, "SIGKILL");
    await fixture?.db.close();
    await fixture?.sandbox.close();
    await drop?.();
  });
}
