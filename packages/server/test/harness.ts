import { randomBytes } from "node:crypto";
import type { LookupFunction } from "node:net";
import { Client } from "pg";
import pino, { type Logger } from "pino";
import { GATEWAY_IDS, gatewayDefinition, secretFields } from "@xpay-connect/core";
import { SANDBOX_GATEWAYS, startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { startService, type Service } from "../src";
import { createLogger } from "../src/ops/log";
import type { ServerConfig } from "../src/config";
import { pointSandboxAt, sandboxAccounts } from "../src/demo/sandbox-merchant";

/** Where the tests find PostgreSQL (trust auth on this machine). */
export const PG_ADMIN_URL = process.env.XPAY_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Whether PostgreSQL answers; under CI=true its absence is a failure, not a skip. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    if (process.env.CI === "true") throw new Error(`PostgreSQL is required under CI=true and did not answer at ${PG_ADMIN_URL}`, { cause: error });
    console.warn(`\n*** SKIPPING PostgreSQL tests: no PostgreSQL at ${PG_ADMIN_URL} (${String(error)}) ***\n`);
    return false;
  }
}

/** A fresh database for one test file; dropped by the returned function. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `xc_test_${randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** The sandbox, the service wired to it, and a merchant with all five sandbox gateways. */
export interface Stack {
  sandbox: SandboxHandle;
  service: Service;
  apiKey: string;
  merchantId: string;
  /** Calls the service's API as the merchant. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Tells the sandbox to act on an order (approve, decline...) as the shopper would. */
  act(gateway: string, ref: string, action: string, body?: Record<string, unknown>): Promise<Response>;
  stop(): Promise<void>;
}

/** Starts a stack on PGlite (in memory) or on the PostgreSQL database at `databaseUrl`. */
export async function startStack(
  options: { databaseUrl?: string; sandboxSeed?: number; log?: Logger; allowPrivateEndpoints?: boolean; endpointLookup?: LookupFunction; config?: Partial<ServerConfig> } = {},
): Promise<Stack> {
  const sandbox = await startSandbox({ port: 0, seed: options.sandboxSeed ?? 1, retryScale: 0.001 });
  const service = await startService(
    {
      port: 0,
      dataDir: ":memory:",
      masterKey: randomBytes(32).toString("hex"),
      ...options.config,
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : { databaseUrl: undefined }),
      // The tests' storefront receivers listen on loopback: allowed explicitly, except where a test checks refusal.
      allowPrivateEndpoints: options.allowPrivateEndpoints ?? true,
    },
    { log: options.log ?? pino({ level: process.env.LOG_LEVEL ?? "silent" }), ...(options.endpointLookup ? { endpointLookup: options.endpointLookup } : {}) },
  );
  const { merchant, apiKey } = await service.ctx.merchants.create("Test store");
  for (const [gateway, config] of Object.entries(sandboxAccounts(sandbox.url))) await service.ctx.merchants.setGatewayAccount(merchant.id, gateway, config);
  await pointSandboxAt(sandbox.url, service.url);
  return {
    sandbox,
    service,
    apiKey,
    merchantId: merchant.id,
    api: async (method, path, body, headers = {}) => {
      const res = await fetch(service.url + path, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    act: (gateway, ref, action, body = {}) =>
      fetch(`${sandbox.url}/_sandbox/${gateway}/orders/${encodeURIComponent(ref)}/${action}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    stop: async () => {
      await service.stop();
      await sandbox.close();
    },
  };
}

/**
 * Every secret of the sandbox's test merchants, read from their accounts by core's `secret()`
 * marks: what no log line, error or answer may ever show.
 */
export function sandboxSecretValues(sandboxUrl: string): string[] {
  return GATEWAY_IDS.flatMap((id) => {
    const account: Record<string, unknown> = SANDBOX_GATEWAYS[id].testAccount(`${sandboxUrl}/${id}`);
    return secretFields(gatewayDefinition(id)).map((field) => String(account[field] ?? "")).filter((value) => value.length >= 4);
  });
}

/** The service's own logger (createLogger: its redaction and serializers) at `level`, keeping every line it writes. */
export function capturedLog(level: string): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = createLogger(level, { write: (chunk: string) => void lines.push(...chunk.split("\n").filter(Boolean)) });
  return { log, lines };
}

/** Polls `read` until `done` holds; fails after `ms` with the last value (a bound, not a sleep). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const started = Date.now();
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() - started > ms) throw new Error(`condition not met in ${ms} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    last = await read();
  }
  return last;
}

/**
 * Registers beforeAll/afterAll for the enclosing describe block: a stack on PGlite, or on a fresh
 * PostgreSQL database (dropped after), handed to `set`. Without PostgreSQL (never under CI=true)
 * `set` is not called and the tests see no stack.
 */
export function useStack(kind: string, set: (stack: Stack) => void, options: { log?: Logger; allowPrivateEndpoints?: boolean; endpointLookup?: LookupFunction; config?: Partial<ServerConfig> } = {}): void {
  let stack: Stack | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (kind === "postgres") {
      if (!(await postgresAvailable())) return;
      const db = await freshDatabase();
      drop = db.drop;
      stack = await startStack({ databaseUrl: db.url, ...options });
    } else {
      stack = await startStack(options);
    }
    set(stack);
  });
  afterAll(async () => {
    await stack?.stop();
    await drop?.();
  });
}
