import { Pool } from "pg";
import type { Logger } from "pino";
import { safeError } from "../ops/log";
import type { ServerConfig } from "../config";
import type { Db } from "./db";

/** How the pool connects and how long anything may take; every field has a default. */
export interface PostgresOptions {
  /** Connections in the pool. */
  max?: number;
  /** The longest wait for a new connection (PG_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** A statement running longer is cancelled by the server (PG_STATEMENT_TIMEOUT_MS; 0: no limit). */
  statementTimeoutMs?: number;
  /** A session idle inside a transaction this long is ended, releasing its locks (PG_IDLE_IN_TRANSACTION_TIMEOUT_MS; 0: no limit). */
  idleInTransactionTimeoutMs?: number;
  /** Where the pool's errors go (a connection lost while idle); never with the URL or query values. */
  log?: Pick<Logger, "warn">;
}

/** The defaults: a connection within 10 s, a statement within 30 s, no transaction left idle over 60 s. */
export const POSTGRES_DEFAULTS = { max: 10, connectTimeoutMs: 10_000, statementTimeoutMs: 30_000, idleInTransactionTimeoutMs: 60_000 } as const;

/** PostgreSQL through a pool: for production and for several instances on one database. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const o = { ...POSTGRES_DEFAULTS, ...options };
  const pool = new Pool({
    connectionString: url,
    max: o.max,
    connectionTimeoutMillis: o.connectTimeoutMs,
    keepAlive: true,
    // Sent as startup parameters: the server enforces them on every session of the pool.
    ...(o.statementTimeoutMs > 0 ? { statement_timeout: o.statementTimeoutMs } : {}),
    ...(o.idleInTransactionTimeoutMs > 0 ? { idle_in_transaction_session_timeout: o.idleInTransactionTimeoutMs } : {}),
  });
  // A connection lost while idle (server restart, network, a terminated backend): logged, not fatal; the next query reconnects.
  pool.on("error", (error) => o.log?.warn({ err: safeError(error) }, "postgres: an idle pool connection failed; it is replaced on the next query"));
  await pool.query("select 1");
  return {
    kind: "postgres",
    query: async (text, params) => (await pool.query(text, params as unknown[])).rows,
    exec: async (text) => void (await pool.query(text)),
    tx: async (fn) => {
      const client = await pool.connect();
      // A connection lost mid-transaction (the idle-in-transaction timeout, a terminated backend) is an
      // 'error' event on the checked-out client: without a listener it would crash the process.
      let lost: Error | undefined;
      const onLost = (error: Error) => {
        lost = error;
        o.log?.warn({ err: safeError(error) }, "postgres: a connection was lost inside a transaction; the transaction is rolled back");
      };
      client.on("error", onLost);
      try {
        await client.query("begin");
        const out = await fn({ query: async (text, params) => (await client.query(text, params as unknown[])).rows });
        await client.query("commit");
        return out;
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.off("error", onLost);
        // A lost connection is discarded, not handed to the next caller.
        client.release(lost);
      }
    },
    close: () => pool.end(),
  };
}

/** The pool's timeouts from the configuration (PG_*_TIMEOUT_MS); unset ones keep their defaults. */
export function postgresTimeouts(config: Pick<ServerConfig, "pgConnectTimeoutMs" | "pgStatementTimeoutMs" | "pgIdleInTransactionTimeoutMs">): PostgresOptions {
  return {
    ...(config.pgConnectTimeoutMs !== undefined ? { connectTimeoutMs: config.pgConnectTimeoutMs } : {}),
    ...(config.pgStatementTimeoutMs !== undefined ? { statementTimeoutMs: config.pgStatementTimeoutMs } : {}),
    ...(config.pgIdleInTransactionTimeoutMs !== undefined ? { idleInTransactionTimeoutMs: config.pgIdleInTransactionTimeoutMs } : {}),
  };
}
