import { Pool } from "pg";
import type { Db } from "./db";

/** PostgreSQL through a pool: for production and for several instances on one database. */
export async function openPostgres(url: string, max = 10): Promise<Db> {
  const pool = new Pool({ connectionString: url, max });
  // Surface idle-client errors instead of crashing the process; the next query reconnects.
  pool.on("error", () => undefined);
  await pool.query("select 1");
  return {
    kind: "postgres",
    query: async (text, params) => (await pool.query(text, params as unknown[])).rows,
    exec: async (text) => void (await pool.query(text)),
    tx: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const out = await fn({ query: async (text, params) => (await client.query(text, params as unknown[])).rows });
        await client.query("commit");
        return out;
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

