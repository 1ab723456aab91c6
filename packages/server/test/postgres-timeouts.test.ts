/**
 * The PostgreSQL pool never hangs and never fails in silence: a statement longer than
 * PG_STATEMENT_TIMEOUT_MS fails with PostgreSQL's own "statement timeout" error, a server that
 * never answers fails the connection after PG_CONNECT_TIMEOUT_MS, a transaction left idle is ended
 * by the server (logged, never an unhandled 'error' event), and a connection lost while idle (its backend terminated) is logged by the pool and
 * by pg-boss, without the database password.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { Writable } from "node:stream";
import { Client } from "pg";
import { startService, type Service } from "../src";
import { openPostgres } from "../src/db/postgres";
import { createLogger } from "../src/ops/log";
import { PG_ADMIN_URL, eventually, freshDatabase, postgresAvailable } from "./harness";

/** A pino destination that keeps every line. */
function sink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

/** Ends every session on `database` but the caller's: what a server restart or a failover does to a pool. */
async function terminateSessions(database: string): Promise<number> {
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query("select pg_terminate_backend(pid) as done from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [database]);
    return rows.length;
  } finally {
    await admin.end();
  }
}

const PASSWORD = "pw-never-in-logs-7f3a";
/** The database URL with a password (trust authentication ignores it): it must never reach a log line. */
const withPassword = (url: string) => url.replace("postgres://postgres@", `postgres://postgres:${PASSWORD}@`);

describe("PostgreSQL pool timeouts and errors", () => {
  let available = false;
  let db: { url: string; drop: () => Promise<void> } | undefined;
  let silentServer: Server | undefined;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    available = await postgresAvailable();
    if (available) db = await freshDatabase();
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => (silentServer ? silentServer.close(resolve) : resolve(undefined)));
    await db?.drop();
  });

  it("a statement longer than the statement timeout fails with a clear error instead of hanging", async () => {
    if (!available || !db) return;
    const pg = await openPostgres(db.url, { statementTimeoutMs: 300, idleInTransactionTimeoutMs: 400 });
    try {
      expect(await pg.query("show statement_timeout")).toEqual([{ statement_timeout: "300ms" }]);
      // 60 s of sleep: only the timeout can end it within the test's time.
      await expect(pg.query("select pg_sleep(60)")).rejects.toMatchObject({ code: "57014", message: expect.stringMatching(/canceling statement due to statement timeout/) });
      // The pool is still usable afterwards.
      expect(await pg.query("select 1 as one")).toEqual([{ one: 1 }]);
      expect(await pg.query("show idle_in_transaction_session_timeout")).toEqual([{ idle_in_transaction_session_timeout: "400ms" }]);
    } finally {
      await pg.close();
    }
  });

  it("a transaction left idle is ended by the server (its locks released)", async () => {
    if (!available || !db) return;
    const { stream, lines } = sink();
    const pg = await openPostgres(db.url, { idleInTransactionTimeoutMs: 200, log: createLogger("warn", stream) });
    try {
      const failed = pg.tx(async (sql) => {
        const [me] = await sql.query<{ pid: number }>("select pg_backend_pid() as pid");
        // The caller stalls inside the transaction (a hung gateway call); another connection watches the session end.
        const admin = new Client({ connectionString: PG_ADMIN_URL });
        await admin.connect();
        try {
          await eventually(
            async () => (await admin.query("select count(*)::int as n from pg_stat_activity where pid = $1", [me?.pid])).rows[0]?.n as number,
            (n) => n === 0,
          );
        } finally {
          await admin.end();
        }
        return sql.query("select 1");
      });
      await expect(failed).rejects.toThrow(/idle-in-transaction timeout|terminat|connection error and is not queryable/i);
      // Logged rather than an unhandled 'error' event (which would end the process), and the pool goes on.
      expect(lines.join("\n")).toMatch(/idle-in-transaction timeout.*connection was lost inside a transaction/);
      expect(await pg.query("select 1 as one")).toEqual([{ one: 1 }]);
    } finally {
      await pg.close().catch(() => undefined);
    }
  });

  it("a server that never answers fails the connection after the connect timeout", async () => {
    silentServer = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silentServer?.listen(0, "127.0.0.1", resolve));
    const address = silentServer.address();
    const port = typeof address === "object" && address ? address.port : 0;
    await expect(openPostgres(`postgres://postgres:${PASSWORD}@127.0.0.1:${port}/none`, { connectTimeoutMs: 300 })).rejects.toThrow(/timeout/i);
  });

  it("a pool connection lost while idle is logged, by the pool and by pg-boss, without the password", async () => {
    if (!available || !db) return;
    const { stream, lines } = sink();
    const service: Service = await startService(
      { port: 0, dataDir: ":memory:", masterKey: randomBytes(32).toString("hex"), databaseUrl: withPassword(db.url), pgStatementTimeoutMs: 5_000 },
      { log: createLogger("warn", stream) },
    );
    try {
      expect(await service.ctx.db.query("show statement_timeout")).toEqual([{ statement_timeout: "5s" }]);
      const database = new URL(db.url).pathname.slice(1);
      await eventually(
        async () => {
          await terminateSessions(database);
          return lines.join("\n");
        },
        (log) => log.includes("postgres: an idle pool connection failed") && log.includes("pg-boss:"),
      );
      const failure = lines.map((l) => JSON.parse(l) as { msg: string; err?: { code?: string; message?: string } }).find((l) => l.msg.startsWith("postgres: an idle pool connection failed"));
      expect(failure?.err).toMatchObject({ code: "57P01", message: expect.stringMatching(/terminating connection due to administrator command/) });
      expect(lines.join("\n")).not.toContain(PASSWORD);
      // The pool reconnects for the next query.
      expect(await eventually(() => service.ctx.db.query("select 1 as one").catch(() => []), (rows) => rows.length === 1)).toEqual([{ one: 1 }]);
    } finally {
      await service.stop();
    }
  });
});
