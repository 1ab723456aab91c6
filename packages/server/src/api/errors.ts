import { CapabilityError, DeclinedError, InvalidInputError, OutcomeUnknownError, VerificationError, isXpayError } from "@xpay-connect/core";

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
  const fastify = error as { statusCode?: number; code?: string; message?: string; validation?: unknown };
  if (typeof fastify.statusCode === "number" && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const field = fastifyErrorField(fastify.code);
    const message = field && !fastify.message?.startsWith(field) ? `${field}: ${fastify.message ?? "bad request"}` : (fastify.message ?? "bad request");
    return { status: fastify.statusCode, body: { error: { code: "invalid_request", message, ...(field ? { field } : {}) } } };
  }
  return { status: 500, body: { error: { code: "internal", message: "internal error" } } };
}

/** The part of the request a Fastify error code is about: the body (content parsing, size) or the path (routing). */
function fastifyErrorField(code: string | undefined): string | undefined {
  if (!code) return undefined;
  if (code.startsWith("FST_ERR_CTP_")) return "body";
  if (code === "FST_ERR_MAX_PARAM_LENGTH" || code === "FST_ERR_BAD_URL") return "path";
  return undefined;
}
