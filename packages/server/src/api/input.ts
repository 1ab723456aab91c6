import { InvalidInputError } from "@xpay-connect/core";

/** A request body as an object, or InvalidInputError naming `body`. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new InvalidInputError("body", "a JSON object", body === undefined ? undefined : typeof body);
  return body as Record<string, unknown>;
}

/** A required string field. */
export function str(body: Record<string, unknown>, field: string, max = 255): string {
  const v = body[field];
  if (typeof v !== "string" || !v.trim()) throw new InvalidInputError(field, "a non-empty string", v);
  if (v.length > max) throw new InvalidInputError(field, `at most ${max} characters`, `${v.length} characters`);
  return v.trim();
}

/** An optional string field. */
export function optStr(body: Record<string, unknown>, field: string, max = 255): string | undefined {
  return body[field] === undefined || body[field] === null ? undefined : str(body, field, max);
}

/** An optional object of string values (metadata), at most 20 keys. */
export function metadata(body: Record<string, unknown>, field = "metadata"): Record<string, string> {
  const v = body[field];
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw new InvalidInputError(field, "an object of string values", v);
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > 20) throw new InvalidInputError(field, "at most 20 keys", entries.length);
  for (const [k, x] of entries) if (typeof x !== "string" || x.length > 500) throw new InvalidInputError(`${field}.${k}`, "a string of at most 500 characters", x);
  return v as Record<string, string>;
}

/** An optional nested object. */
export function optObject(body: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw new InvalidInputError(field, "an object", v);
  return v as Record<string, unknown>;
}
