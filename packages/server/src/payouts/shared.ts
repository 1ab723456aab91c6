import type { FastifyRequest } from "fastify";
import { CapabilityError, InvalidInputError } from "@xpay-connect/core";
import { ApiError } from "../api/errors";
import type { Db, Sql } from "../db/db";

/** The request's `Idempotency-Key` header (the first, when repeated). */
export function idempotencyKey(request: FastifyRequest): string | undefined {
  const key = request.headers["idempotency-key"];
  return Array.isArray(key) ? key[0] : key;
}

/** Runs `get` and turns a missing capability into a 422 naming the `gateway` field. */
export async function capable<T>(get: () => Promise<T>): Promise<T> {
  try {
    return await get();
  } catch (error) {
    if (error instanceof CapabilityError) throw new ApiError(422, error.code, error.message, "gateway");
    throw error;
  }
}

/** Connector field names -> the API's (snake_case) names, for errors a connector raises about our input. */
const API_FIELDS: Readonly<Record<string, string>> = {
  "recipient.nationalId": "recipient.national_id",
  "recipient.bankCode": "recipient.bank_code",
  "recipient.accountNumber": "recipient.account_number",
  "amount.currency": "currency",
};

/** The same InvalidInputError, naming the field as the API spells it. */
export function apiFieldError(error: InvalidInputError): InvalidInputError {
  const field = API_FIELDS[error.field];
  return field ? new InvalidInputError(field, error.expected, error.received, { cause: error, ...(error.gateway ? { gateway: error.gateway } : {}) }) : error;
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

/** An optional string field of a nested object, named `<prefix>.<key>` in errors. */
export function nestedStr(obj: Record<string, unknown>, prefix: string, key: string, max = 255): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string" || !v.trim()) throw new InvalidInputError(`${prefix}.${key}`, "a non-empty string", v);
  if (v.length > max) throw new InvalidInputError(`${prefix}.${key}`, `at most ${max} characters`, `${v.length} characters`);
  return v.trim();
}
