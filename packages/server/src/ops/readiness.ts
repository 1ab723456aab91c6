import type { ServiceContext } from "../context";
import { int } from "../db/db";
import { MIGRATIONS } from "../db/migrations";
import { safeError } from "./log";

/** A database that does not answer within this is not ready (a load balancer must not wait on us). */
const DB_CHECK_TIMEOUT_MS = 2000;

/** What `/readyz` reports. */
export interface Readiness {
  ready: boolean;
  checks: { database: "ok" | "unreachable"; migrations: "ok" | "pending" | "unknown" };
  /** Migration ids this build needs that the database lacks. */
  missing_migrations?: number[];
}

/** Checks the database answers and has every migration this build knows. */
export async function readiness(ctx: ServiceContext): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const rows = await Promise.race([
      ctx.db.query<{ id: unknown }>("select id from schema_migrations"),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${DB_CHECK_TIMEOUT_MS} ms`)), DB_CHECK_TIMEOUT_MS);
      }),
    ]);
    const applied = new Set(rows.map((r) => int(r.id)));
    const missing = MIGRATIONS.map((m) => m.id).filter((id) => !applied.has(id));
    return {
      ready: missing.length === 0,
      checks: { database: "ok", migrations: missing.length ? "pending" : "ok" },
      ...(missing.length ? { missing_migrations: missing } : {}),
    };
  } catch (error) {
    ctx.log.warn({ err: safeError(error) }, "readyz: database check failed");
    return { ready: false, checks: { database: "unreachable", migrations: "unknown" } };
  } finally {
    clearTimeout(timer);
  }
}
