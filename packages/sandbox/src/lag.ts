/**
 * A lookup that lags the gateway's own callback (the `lag` control action): the next `queries`
 * lookups of an order answer what it was before its last change, then the truth again.
 */
export interface Lag<S> {
  /** What the order was before its last change (set when the change happens). */
  before: S;
  queries: number;
}

/** Reads `{ queries }` of a `lag` control body: how many lookups lag (0 to 100). */
export function lagQueries(options: Record<string, unknown>): number | string {
  const q = options.queries ?? 1;
  return Number.isInteger(q) && (q as number) >= 0 && (q as number) <= 100 ? (q as number) : "queries: expected an integer from 0 to 100 (how many lookups answer the old status)";
}

/** What a lookup answers: the state before the last change while lookups lag (each lookup uses one), `now` otherwise. */
export function lookedUp<S>(lag: Lag<S> | undefined, now: S): S {
  if (!lag || lag.queries <= 0) return now;
  lag.queries -= 1;
  return lag.before;
}
