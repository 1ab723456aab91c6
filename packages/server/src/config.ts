import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

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
  /** Unpaid pay-ins on a redirect or card page older than this expire (and any method whose gateway declares no validity). */
  expireAfterMs: number;
  /** Kiosk and Fawry bills expire after this instead of their gateway's bill validity (EXPIRE_BILL_AFTER_MS). */
  expireBillAfterMs?: number;
  /** QR codes expire after this instead of their gateway's QR validity (EXPIRE_QR_AFTER_MS). */
  expireQrAfterMs?: number;
  /** How often each instance looks for stale payments to re-query (RECONCILE_INTERVAL_MS; 0: only when asked). */
  reconcileIntervalMs?: number;
  /** Status queries per second per gateway during reconciliation, shared by every instance on the database (RECONCILE_RATE_PER_SECOND). */
  reconcileRatePerSecond?: number;
  /** How long a claimed callback belongs to one instance before another may retry it (a crash mid-verification). */
  callbackLeaseSeconds: number;
  /** Storefront endpoints may point at loopback, private or link-local addresses (ALLOW_PRIVATE_ENDPOINTS; the demo and a store on the same host). */
  allowPrivateEndpoints?: boolean;
  /** PostgreSQL: the longest wait for a new connection (PG_CONNECT_TIMEOUT_MS). */
  pgConnectTimeoutMs?: number;
  /** PostgreSQL: the longest one statement may run before the server cancels it (PG_STATEMENT_TIMEOUT_MS; 0: no limit). */
  pgStatementTimeoutMs?: number;
  /** PostgreSQL: a session idle inside a transaction this long is ended (PG_IDLE_IN_TRANSACTION_TIMEOUT_MS; 0: no limit). */
  pgIdleInTransactionTimeoutMs?: number;
  /** A payout its gateway still does not know this long after it was created stops being re-queried and is flagged (PAYOUT_UNKNOWN_AFTER_MS). */
  payoutUnknownAfterMs?: number;
  /** How long an Idempotency-Key stays locked by a request that never answered (it died) before a retry may reclaim it. */
  idempotencyLockSeconds: number;
  /** Delays before each new lookup when the gateway's lookup still shows the old status (CALLBACK_LAG_RETRY_SECONDS). */
  callbackLagRetrySeconds: number[];
  /** Requests per minute per source address on the unauthenticated dashboard callback URLs; 0 turns the limit off (CALLBACK_RATE_LIMIT_PER_MINUTE). */
  callbackRateLimitPerMinute: number;
}

/** A whole number of milliseconds (or seconds) from the environment, at least `min`. */
const whole = (min: number, unit: string) =>
  z.coerce.number({ error: `expected a whole number of ${unit}` }).int(`expected a whole number of ${unit}`).min(min, `expected a whole number of ${unit}, at least ${min}`);

/** The environment the service reads, as one schema: each variable's type, range and default. */
const Env = z.object({
  PORT: z.coerce.number({ error: "expected a port number (0 to 65535)" }).int("expected a port number (0 to 65535)").min(0, "expected a port number (0 to 65535)").max(65535, "expected a port number (0 to 65535)").default(4000),
  HOST: z.string().min(1, "expected an interface to listen on, like 127.0.0.1 or 0.0.0.0").default("127.0.0.1"),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: "expected an absolute http(s) URL, like https://pay.example.com" }).optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "expected a postgres://user:password@host:5432/db URL").optional(),
  XPAY_CONNECT_DATA: z.string().min(1, "expected a directory").default(".data/xpay-connect"),
  XPAY_CONNECT_KEY: z.string().min(1, "expected the 32-byte master key, hex or base64 (`openssl rand -hex 32`)").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { error: "expected one of trace, debug, info, warn, error, fatal, silent" }).default("info"),
  RECONCILE_AFTER_MS: whole(1, "milliseconds").default(5 * 60_000),
  EXPIRE_AFTER_MS: whole(1, "milliseconds").default(24 * 3600_000),
  EXPIRE_BILL_AFTER_MS: whole(1, "milliseconds").optional(),
  EXPIRE_QR_AFTER_MS: whole(1, "milliseconds").optional(),
  RECONCILE_INTERVAL_MS: whole(0, "milliseconds").default(15_000),
  RECONCILE_RATE_PER_SECOND: z.coerce.number({ error: "expected a number of queries per second" }).positive("expected a number of queries per second, more than 0").default(5),
  CALLBACK_LEASE_SECONDS: whole(1, "seconds").default(60),
  ALLOW_PRIVATE_ENDPOINTS: z.enum(["true", "false"], { error: "expected true or false" }).default("false"),
  PG_CONNECT_TIMEOUT_MS: whole(1, "milliseconds").default(10_000),
  PG_STATEMENT_TIMEOUT_MS: whole(0, "milliseconds").default(30_000),
  PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: whole(0, "milliseconds").default(60_000),
  PAYOUT_UNKNOWN_AFTER_MS: whole(1, "milliseconds").default(48 * 3600_000),
  IDEMPOTENCY_LOCK_SECONDS: whole(1, "seconds").default(300),
  CALLBACK_LAG_RETRY_SECONDS: z
    .string()
    .regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?){0,9}\s*$/, "expected 1 to 10 delays in seconds separated by commas, like 5,30,120,600")
    .default("5,30,120,600")
    .transform((text) => text.split(",").map((d) => Number(d.trim()))),
  CALLBACK_RATE_LIMIT_PER_MINUTE: whole(0, "requests per minute").default(600),
});

/** Variables whose values must never be echoed in an error. */
const SECRET_VARIABLES = new Set(["XPAY_CONNECT_KEY", "DATABASE_URL"]);

/**
 * Reads the configuration through one zod schema; a bad value stops start-up with an error naming
 * the variable and what was expected. With no DATABASE_URL and no XPAY_CONNECT_KEY, a development
 * key is kept in the data directory.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  // An empty variable counts as unset, as shells and container runtimes often leave them.
  const given = Object.fromEntries(Object.keys(Env.shape).flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  const parsed = Env.safeParse(given);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues
        .map((issue) => {
          const name = String(issue.path[0]);
          return `${name}: ${issue.message}${SECRET_VARIABLES.has(name) ? "" : `, got ${JSON.stringify(given[name])}`}`;
        })
        .join("; "),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.XPAY_CONNECT_DATA);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST === "0.0.0.0" ? "127.0.0.1" : e.HOST}:${e.PORT}`).replace(/\/+$/, ""),
    databaseUrl: e.DATABASE_URL,
    dataDir,
    masterKey: e.XPAY_CONNECT_KEY ?? devKey(dataDir, Boolean(e.DATABASE_URL)),
    logLevel: e.LOG_LEVEL,
    reconcileAfterMs: e.RECONCILE_AFTER_MS,
    expireAfterMs: e.EXPIRE_AFTER_MS,
    ...(e.EXPIRE_BILL_AFTER_MS === undefined ? {} : { expireBillAfterMs: e.EXPIRE_BILL_AFTER_MS }),
    ...(e.EXPIRE_QR_AFTER_MS === undefined ? {} : { expireQrAfterMs: e.EXPIRE_QR_AFTER_MS }),
    reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
    reconcileRatePerSecond: e.RECONCILE_RATE_PER_SECOND,
    callbackLeaseSeconds: e.CALLBACK_LEASE_SECONDS,
    allowPrivateEndpoints: e.ALLOW_PRIVATE_ENDPOINTS === "true",
    pgConnectTimeoutMs: e.PG_CONNECT_TIMEOUT_MS,
    pgStatementTimeoutMs: e.PG_STATEMENT_TIMEOUT_MS,
    pgIdleInTransactionTimeoutMs: e.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    payoutUnknownAfterMs: e.PAYOUT_UNKNOWN_AFTER_MS,
    idempotencyLockSeconds: e.IDEMPOTENCY_LOCK_SECONDS,
    callbackLagRetrySeconds: e.CALLBACK_LAG_RETRY_SECONDS,
    callbackRateLimitPerMinute: e.CALLBACK_RATE_LIMIT_PER_MINUTE,
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
