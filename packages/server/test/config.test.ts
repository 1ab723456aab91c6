/**
 * The environment is read through one zod schema: every variable has its default, and a bad value
 * stops start-up (the real `node dist/main.js` process) with a message naming the variable and
 * what was expected, never echoing a secret.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../src";
import { buildService } from "./process";

const ROOT = path.resolve(__dirname, "../../..");
const KEY = "ab".repeat(32);

describe("loadConfig", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "xc-config-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = (vars: Record<string, string>) => ({ XPAY_CONNECT_DATA: dir, XPAY_CONNECT_KEY: KEY, ...vars });

  it("gives every variable its default", () => {
    expect(loadConfig(env({}))).toEqual({
      port: 4000,
      host: "127.0.0.1",
      publicUrl: "http://127.0.0.1:4000",
      databaseUrl: undefined,
      dataDir: dir,
      masterKey: KEY,
      logLevel: "info",
      reconcileAfterMs: 300_000,
      expireAfterMs: 86_400_000,
      reconcileIntervalMs: 15_000,
      reconcileRatePerSecond: 5,
      callbackLeaseSeconds: 60,
      callbackLagRetrySeconds: [5, 30, 120, 600],
      callbackRateLimitPerMinute: 600,
      idempotencyLockSeconds: 300,
      allowPrivateEndpoints: false,
      pgConnectTimeoutMs: 10_000,
      pgStatementTimeoutMs: 30_000,
      pgIdleInTransactionTimeoutMs: 60_000,
      payoutUnknownAfterMs: 172_800_000,
    });
  });

  it("reads the safety settings", () => {
    expect(loadConfig(env({ ALLOW_PRIVATE_ENDPOINTS: "true", PG_CONNECT_TIMEOUT_MS: "2000", PG_STATEMENT_TIMEOUT_MS: "0", PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: "5000", PAYOUT_UNKNOWN_AFTER_MS: "3600000" }))).toMatchObject({
      allowPrivateEndpoints: true,
      pgConnectTimeoutMs: 2000,
      pgStatementTimeoutMs: 0,
      pgIdleInTransactionTimeoutMs: 5000,
      payoutUnknownAfterMs: 3_600_000,
    });
  });

  it("reads good values, and an empty variable as unset", () => {
    const config = loadConfig(env({ PORT: "8080", HOST: "0.0.0.0", PUBLIC_URL: "https://pay.example.com/", LOG_LEVEL: "debug", RECONCILE_INTERVAL_MS: "0", RECONCILE_RATE_PER_SECOND: "2.5", DATABASE_URL: "" }));
    expect(config).toMatchObject({ port: 8080, host: "0.0.0.0", publicUrl: "https://pay.example.com", logLevel: "debug", reconcileIntervalMs: 0, reconcileRatePerSecond: 2.5, databaseUrl: undefined });
  });

  it("reads the callback intake settings: lagging-lookup retry delays and the dashboard rate limit", () => {
    expect(loadConfig(env({ CALLBACK_LAG_RETRY_SECONDS: " 1, 2.5,60 ", CALLBACK_RATE_LIMIT_PER_MINUTE: "0" }))).toMatchObject({ callbackLagRetrySeconds: [1, 2.5, 60], callbackRateLimitPerMinute: 0 });
    expect(() => loadConfig(env({ CALLBACK_LAG_RETRY_SECONDS: "5,,30" }))).toThrow(/CALLBACK_LAG_RETRY_SECONDS: expected 1 to 10 delays/);
    expect(() => loadConfig(env({ CALLBACK_RATE_LIMIT_PER_MINUTE: "-1" }))).toThrow(/CALLBACK_RATE_LIMIT_PER_MINUTE: expected a whole number of requests per minute, at least 0/);
  });

  it.each([
    ["PORT", "abc", "expected a port number"],
    ["PORT", "70000", "expected a port number"],
    ["PORT", "80.5", "expected a port number"],
    ["RECONCILE_INTERVAL_MS", "-1", "expected a whole number of milliseconds, at least 0"],
    ["RECONCILE_AFTER_MS", "soon", "expected a whole number of milliseconds"],
    ["EXPIRE_AFTER_MS", "0", "at least 1"],
    ["RECONCILE_RATE_PER_SECOND", "0", "more than 0"],
    ["CALLBACK_LEASE_SECONDS", "1.5", "expected a whole number of seconds"],
    ["IDEMPOTENCY_LOCK_SECONDS", "0", "expected a whole number of seconds, at least 1"],
    ["LOG_LEVEL", "loud", "expected one of trace, debug, info"],
    ["PUBLIC_URL", "pay.example.com", "expected an absolute http(s) URL"],
    ["DATABASE_URL", "mysql://db/x", "expected a postgres://"],
    ["ALLOW_PRIVATE_ENDPOINTS", "yes", "expected true or false"],
    ["PG_STATEMENT_TIMEOUT_MS", "-5", "at least 0"],
    ["PG_CONNECT_TIMEOUT_MS", "0", "at least 1"],
    ["PAYOUT_UNKNOWN_AFTER_MS", "2h", "expected a whole number of milliseconds"],
  ])("%s=%s stops start-up naming the variable", (name, value, expected) => {
    expect(() => loadConfig(env({ [name]: value }))).toThrow(new RegExp(`^${name}: .*${expected.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`));
  });

  it("names every bad variable at once, and never echoes a secret", () => {
    const run = () => loadConfig(env({ PORT: "abc", LOG_LEVEL: "loud", DATABASE_URL: "mysql://root:hunter2@db/x" }));
    expect(run).toThrow(/^PORT: .*; DATABASE_URL: .*; LOG_LEVEL: /);
    expect(run).not.toThrow(/hunter2/);
  });

  it("the service process refuses to start on a bad value, naming it", () => {
    buildService();
    const child = spawnSync(process.execPath, [path.join(ROOT, "packages/server/dist/main.js")], {
      env: { ...process.env, ...env({ PORT: "0", RECONCILE_INTERVAL_MS: "-1" }), NODE_OPTIONS: "" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain("xpay-connect failed to start: RECONCILE_INTERVAL_MS: expected a whole number of milliseconds, at least 0");
  });
});
