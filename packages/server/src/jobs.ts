import { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import type { Db } from "./db/db";
import { safeError } from "./ops/log";

/**
 * pg-boss on the service's database: on PostgreSQL through its own pool, on PGlite through our
 * single-connection queue (parameterless multi-statement SQL goes through `exec`).
 */
export async function startJobs(db: Db, databaseUrl?: string, log?: Pick<Logger, "error">, connectTimeoutMs = 10_000): Promise<PgBoss> {
  const boss = databaseUrl
    ? new PgBoss({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: connectTimeoutMs })
    : new PgBoss({
        db: {
          executeSql: async (text: string, values?: unknown[]) => {
            if (!values?.length && text.includes(";")) {
              await db.exec(text);
              return { rows: [] };
            }
            return { rows: await db.query(text, values ?? []) };
          },
        },
      });
  // pg-boss reports failures of its own maintenance and connections as events: logged, never fatal.
  boss.on("error", (error: unknown) => log?.error({ err: safeError(error) }, "pg-boss: background job maintenance failed; it retries on its own schedule"));
  await boss.start();
  return boss;
}
