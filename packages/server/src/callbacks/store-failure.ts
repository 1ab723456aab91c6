import { ApiError } from "../api/errors";

/** What is reported about a failed intake write: never its parameters, detail, bodies, headers or tokens. */
export interface StoreFailureReport {
  /** The SQLSTATE ("22021"), or "unknown". */
  code: string;
  /** The database's message up to its first quoted value (values and names are left out), at most 120 characters. */
  message: string;
  /** How many rows the failed INSERT held. */
  rows: number;
}

/** SQLSTATE classes that blame the row itself: data exceptions (22) and program limits such as a value too large (54). */
const BODY_AT_FAULT = /^(22|54)/;

/** Reading a database error safely: pg and PGlite errors carry the statement's parameters, detail and where. */
export const StoreFailure = {
  describe(error: unknown): Omit<StoreFailureReport, "rows"> {
    const e = (error ?? {}) as { code?: unknown; message?: unknown };
    const code = typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : "unknown";
    // Everything from the first quote on is dropped: pg quotes values (and a quoted value may hold quotes).
    const message = typeof e.message === "string" ? (e.message.split(/["'`]/)[0] ?? "").replace(/\s+/g, " ").trim().slice(0, 120) || "no message" : "no message";
    return { code, message };
  },
};

/**
 * The answer to the gateway for a callback that could not be stored on its own: a 400 naming the
 * body when the database refused its data, a 503 (try again) when the database failed. Never a 500,
 * and never the database's own words about the row.
 */
export function storeFailure(error: unknown): ApiError {
  const { code } = StoreFailure.describe(error);
  if (BODY_AT_FAULT.test(code)) {
    return new ApiError(400, "invalid_input", `body: expected a callback body the service can store (the database refused it: SQLSTATE ${code})`, "body");
  }
  return new ApiError(503, "unavailable", "the callback could not be stored now: nothing was kept; send it again", undefined, {});
}
