import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Everything the service reads from its environment. */
export interface ServerConfig {
  port: number;
  host: string;
  /** How gateways and browsers reach this service (callback and return URLs). */
  publicUrl: string;
  /** postgres://... or undefined for PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** The 32-byte master key, as text (hex or base64). */
  masterKey: string;
  logLevel: string;
  /** Pending payments older than this are re-queried. */
  reconcileAfterMs: number;
  /** Unpaid pay-ins older than this expire. */
  expireAfterMs: number;
  /** How often each instance looks for stale payments to re-query (RECONCILE_INTERVAL_MS; 0: only when asked). */
  reconcileIntervalMs?: number;
  /** Status queries per second per gateway during reconciliation, shared by every instance on the database (RECONCILE_RATE_PER_SECOND). */
  reconcileRatePerSecond?: number;
  /** How long a claimed callback belongs to one instance before another may retry it (a crash mid-verification). */
  callbackLeaseSeconds: number;
}

/** Reads the configuration; with no DATABASE_URL and no XPAY_CONNECT_KEY, a development key is kept in the data directory. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: expected a port number, got ${env.PORT}`);
  const host = env.HOST ?? "127.0.0.1";
  const dataDir = path.resolve(env.XPAY_CONNECT_DATA ?? ".data/xpay-connect");
  return {
    port,
    host,
    publicUrl: (env.PUBLIC_URL ?? `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`).replace(/\/+$/, ""),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    masterKey: env.XPAY_CONNECT_KEY ?? devKey(dataDir, Boolean(env.DATABASE_URL)),
    logLevel: env.LOG_LEVEL ?? "info",
    reconcileAfterMs: Number(env.RECONCILE_AFTER_MS ?? 5 * 60_000),
    expireAfterMs: Number(env.EXPIRE_AFTER_MS ?? 24 * 3600_000),
    reconcileIntervalMs: Number(env.RECONCILE_INTERVAL_MS ?? 15_000),
    reconcileRatePerSecond: Number(env.RECONCILE_RATE_PER_SECOND ?? 5),
    callbackLeaseSeconds: Number(env.CALLBACK_LEASE_SECONDS ?? 60),
  };
}

function devKey(dataDir: string, production: boolean): string {
  if (production) throw new Error("XPAY_CONNECT_KEY: required with DATABASE_URL (32 bytes, hex or base64: `openssl rand -hex 32`)");
  const file = path.join(dataDir, "master.key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString("hex");
  writeFileSync(file, key + "\n", { mode: 0o600 });
  return key;
}
