import { CapabilityError, DeclinedError, InvalidInputError, OutcomeUnknownError, VerificationError, isXpayError } from "@xpay-connect/core";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { HEADER_NAMES } from "./schemas";

/** An error the API answers with its own status and code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The API's error body: `{ error: { code, message, field? } }`, and its HTTP status. */
export function errorReply(error: unknown): { status: number; body: { error: Record<string, unknown> } } {
  if (error instanceof ApiError) {
    return { status: error.status, body: { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}), ...error.extra } } };
  }
  if (hasZodFastifySchemaValidationErrors(error)) return { status: 400, body: { error: { code: "invalid_input", ...validationError(error) } } };
  if (error instanceof InvalidInputError) {
    return { status: 400, body: { error: { code: "invalid_input", message: error.message, field: error.field } } };
  }
  if (error instanceof CapabilityError) return { status: 422, body: { error: { code: error.code, message: error.message } } };
  if (error instanceof DeclinedError) {
    return { status: 402, body: { error: { code: "declined", message: error.message, ...(error.gatewayCode ? { gateway_code: error.gatewayCode } : {}) } } };
  }
  if (error instanceof OutcomeUnknownError) return { status: 502, body: { error: { code: "outcome_unknown", message: error.message } } };
  if (error instanceof VerificationError) return { status: 400, body: { error: { code: "verification_failed", message: error.message } } };
  if (isXpayError(error)) return { status: 400, body: { error: { code: error.code, message: error.message } } };
  const fastify = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastify.statusCode === "number" && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const field = fastifyErrorField(fastify.code);
    const message = field && !fastify.message?.startsWith(field) ? `${field}: ${fastify.message ?? "bad request"}` : (fastify.message ?? "bad request");
    return { status: fastify.statusCode, body: { error: { code: "invalid_request", message, ...(field ? { field } : {}) } } };
  }
  return { status: 500, body: { error: { code: "internal", message: "internal error" } } };
}


/**
 * A zod validation failure as `{ field, message }`: the field is the dotted path of the first
 * issue as the API spells it (`customer.name`, `limit`, `Idempotency-Key`, `body` for the body as a
 * whole), the message says what was expected, and names the other fields that are wrong too.
 */
function validationError(error: { validation: { instancePath: string; message?: string }[]; validationContext?: string }): { field: string; message: string } {
  const context = error.validationContext ?? "body";
  const fieldOf = (instancePath: string) => {
    const path = instancePath.split("/").filter(Boolean).join(".");
    if (context === "headers") return HEADER_NAMES[path] ?? path;
    return path || (context === "body" ? "body" : context);
  };
  const [first, ...rest] = error.validation;
  const field = fieldOf(first?.instancePath ?? "");
  // Zod's own wording starts "Invalid input: expected ..."; ours start "expected ...".
  const expected = (first?.message ?? "invalid").replace(/^[A-Z][a-z ]+: (?=expected)/, "");
  const others = [...new Set(rest.map((issue) => fieldOf(issue.instancePath)).filter((f) => f !== field))];
  return { field, message: `${field}: ${expected}${others.length ? ` (also wrong: ${others.join(", ")})` : ""}` };
}

/** The part of the request a Fastify error code is about: the body (content parsing, size) or the path (routing). */
function fastifyErrorField(code: string | undefined): string | undefined {
  if (!code) return undefined;
  if (code.startsWith("FST_ERR_CTP_")) return "body";
  if (code === "FST_ERR_MAX_PARAM_LENGTH" || code === "FST_ERR_BAD_URL") return "path";
  return undefined;
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
