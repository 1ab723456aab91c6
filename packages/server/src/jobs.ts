import { PgBoss } from "pg-boss";
import type { Db } from "./db/db";

/**
 * pg-boss on the service's database: on PostgreSQL through its own pool, on PGlite through our
 * single-connection queue (parameterless multi-statement SQL goes through `exec`).
 */
export async function startJobs(db: Db, databaseUrl?: string): Promise<PgBoss> {
  const boss = databaseUrl
    ? new PgBoss({ connectionString: databaseUrl, max: 4 })
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
  // pg-boss reports failures of its own maintenance as events; they must not crash the service.
  boss.on("error", () => undefined);
  await boss.start();
  return boss;
}
