/** Something that runs SQL: the database itself, or one transaction. */
export interface Sql {
  /** Runs one parameterized statement and answers its rows. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

/** The service's database: PGlite (embedded, a directory on disk) or PostgreSQL (`DATABASE_URL`). */
export interface Db extends Sql {
  readonly kind: "pglite" | "postgres";
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** Runs parameterless SQL that may hold several statements (migrations). */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}

/** An int8 column as a JS number (pg sends int8 as text, PGlite as a number); refuses what is not a safe integer. */
export function int(value: unknown): number {
  const n = typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new Error(`expected an integer from the database, got ${String(value)}`);
  return n;
}

/**
 * The open transaction `sql` seen as a Db whose `tx` joins it, so applyStatus can run inside a
 * larger transaction (a refund's amount and its status change commit together).
 */
export function joined(db: Db, sql: Sql): Db {
  return {
    kind: db.kind,
    query: <T>(text: string, params?: readonly unknown[]) => sql.query<T>(text, params),
    tx: (fn) => fn(sql),
    exec: () => Promise.reject(new Error("exec is not available inside a transaction")),
    close: () => Promise.resolve(),
  };
}
