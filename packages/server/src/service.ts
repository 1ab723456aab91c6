import { EventEmitter } from "node:events";
import type { LookupFunction } from "node:net";
import type { Logger } from "pino";
import type { FastifyInstance } from "fastify";
import { buildApp, type RouteModule } from "./app";
import { CallbackInbox } from "./callbacks";
import { loadConfig, type ServerConfig } from "./config";
import { Secrets } from "./crypto";
import type { Db } from "./db/db";
import { migrate, type PluginMigration } from "./db/migrations";
import { openPglite } from "./db/pglite";
import { openPostgres, postgresTimeouts } from "./db/postgres";
import { Merchants } from "./merchants";
import { PLUGINS, WORKERS } from "./features";
import { startJobs } from "./jobs";
import { createLogger, safeError } from "./ops/log";
import type { ServiceContext } from "./context";

/** The logger and its redaction rules (ops/log.ts), exported here too for existing imports. */
export { REDACT_PATHS, createLogger } from "./ops/log";

/** A running service. */
export interface Service {
  ctx: ServiceContext;
  app: FastifyInstance;
  /** "http://127.0.0.1:4000". */
  url: string;
  /** Stops taking requests, finishes callbacks in flight, closes the database. */
  stop(): Promise<void>;
}

/** Opens the database the configuration names: PostgreSQL with DATABASE_URL, PGlite in the data directory otherwise. */
export async function openDb(
  config: Pick<ServerConfig, "databaseUrl" | "dataDir" | "pgConnectTimeoutMs" | "pgStatementTimeoutMs" | "pgIdleInTransactionTimeoutMs">,
  log?: Logger,
): Promise<Db> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl, { ...postgresTimeouts(config), ...(log ? { log } : {}) })
    : openPglite(config.dataDir === ":memory:" ? undefined : `${config.dataDir}/pgdata`);
}

/** Starts the service: database and migrations, callback processing, HTTP. */
export async function startService(
  overrides: Partial<ServerConfig> = {},
  options: {
    log?: Logger;
    routes?: RouteModule[];
    /** Storefront plugins' own tables, applied after the service's migrations (see PluginMigration). */
    migrations?: readonly PluginMigration[];
    /** How storefront endpoint host names resolve (dns.lookup by default). */ endpointLookup?: LookupFunction;
  } = {},
): Promise<Service> {
  const config = { ...loadConfig(), ...overrides };
  const log = options.log ?? createLogger(config.logLevel);
  const db = await openDb(config, log);
  await migrate(db, options.migrations);
  const secrets = Secrets.fromText(config.masterKey);
  const merchants = new Merchants(db, secrets, { debug: (o, m) => log.debug(o, m), warn: (o, m) => log.warn(o, m) });
  const events = new EventEmitter();
  events.setMaxListeners(50);
  const inbox = new CallbackInbox(db, merchants, secrets, events, config.callbackLeaseSeconds, config.callbackLagRetrySeconds);
  events.on("callback.drain_failed", (error: unknown) =>
    log.warn({ err: safeError(error) }, "callbacks: a processing pass failed; the next poll retries its callbacks"),
  );
  // A person must look: ids, gateway, reason and amount only (no customer data, no secrets).
  events.on("payment.needs_attention", (e: { payment: { id: string; gateway: string; status: string }; reason: string; amount: { format(): string; currency: string } }) =>
    log.warn({ payment: e.payment.id, gateway: e.payment.gateway, status: e.payment.status, reason: e.reason, amount: e.amount.format(), currency: e.amount.currency }, "payment needs attention"),
  );
  // Only the SQLSTATE and a message without values: a pg error carries the INSERT's parameters (bodies, tokens).
  events.on("callback.store_failed", (report: unknown) => log.error({ store: report }, "callbacks: an intake INSERT failed; its rows were retried one by one"));
  // Why a stored callback was refused, for the person asking why an order is not paid: ids and the reason, never the body.
  events.on("callback.processed", (e: { gateway: string; outcome: string; callbackId: number; paymentId: string | null; note: string }) => {
    if (e.outcome === "rejected") log.info({ callback: e.callbackId, gateway: e.gateway, payment: e.paymentId, reason: e.note.slice(0, 200) }, "callback rejected");
  });
  const jobs = await startJobs(db, config.databaseUrl, log, config.pgConnectTimeoutMs);
  const ctx: ServiceContext = {
    config,
    db,
    secrets,
    merchants,
    inbox,
    log,
    jobs,
    events,
    endpointPolicy: { allowPrivate: config.allowPrivateEndpoints ?? false, ...(options.endpointLookup ? { lookup: options.endpointLookup } : {}) },
    callbackUrl: (gateway, paymentId) => `${config.publicUrl}/callbacks/${gateway}/${paymentId}/${secrets.callbackToken(paymentId)}`,
  };
  const app = buildApp(ctx, [...PLUGINS, ...(options.routes ?? [])]);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  if (!overrides.publicUrl && config.port === 0) config.publicUrl = `http://127.0.0.1:${port}`;
  inbox.start();
  const workers = await Promise.all(WORKERS.map((start) => start(ctx)));
  let stopping: Promise<void> | undefined;
  return {
    ctx,
    app,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      (stopping ??= (async () => {
        // New requests get 503 while in-flight callbacks finish; then workers, jobs, the database.
        await app.close();
        await inbox.stop();
        await Promise.all(workers.map((w) => w.stop()));
        await jobs.stop({ graceful: true, timeout: 10_000 });
        await db.close();
      })()),
  };
}
