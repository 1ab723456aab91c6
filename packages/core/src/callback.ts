import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { z } from "zod";
import { DeclinedError, VerificationError } from "./errors";
import type { Money } from "./money";
import type { PaymentStatus } from "./status";
import type { GatewayId } from "./connector";

/** What a callback is about. */
export type CallbackKind = "pay_in" | "payout" | "recall" | "refund";

/** A callback as it arrived: the raw body exactly as received, headers, and the URL's query. */
export interface CallbackInput {
  rawBody: string | Buffer;
  headers?: Record<string, string | string[] | undefined>;
  query?: Record<string, string | undefined>;
}

/** A gateway callback parsed into the canonical shape. Not yet trusted. */
export interface CallbackEvent {
  gateway: GatewayId;
  kind: CallbackKind;
  merchantRef: string;
  gatewayRef?: string;
  /** The canonical status this callback claims. */
  status: PaymentStatus;
  /** The gateway's status as sent. */
  gatewayStatus: string;
  /** The amount the callback names, when it names one. */
  amount?: Money;
  /** The parsed body, for the timeline. Never contains our secrets (the gateway sent it). */
  raw: Record<string, unknown>;
}

/**
 * A callback that passed verification; `status` and `amount` are what the gateway confirmed.
 * `verifiedBy` says what vouched for it: the gateway's signature, a lookup at the gateway, or only
 * the per-payment URL token (news no lookup can confirm, such as an Xpress Pay recall: a person should check it).
 */
export interface VerifiedCallback extends CallbackEvent {
  /** How: the gateway's signature, its lookup (query-back), both (a signed callback confirmed by a lookup), or only the per-payment URL token (a notice no lookup can confirm). */
  verifiedBy: "signature" | "query" | "signature+query" | "token";
}

/** The payment a callback URL belongs to, as the caller stored it, and the URL token check. */
export interface CallbackExpectation {
  kind?: CallbackKind;
  merchantRef: string;
  gatewayRef?: string;
  /** The amount of the stored payment: the callback and the gateway must agree with it. */
  amount: Money;
  /**
   * The per-payment token: the one stored, and the one the callback URL carried. Where the gateway
   * echoes it in the body instead (XPay EG), leave `received` undefined and the connector reads it there.
   */
  token?: { expected: string; received: string | undefined };
}

/** The HTTP answer to send back to the gateway. */
export interface CallbackReply {
  status: number;
  contentType: string;
  body: string;
}

/** An unguessable per-payment token for a callback URL (32 random bytes, base64url). */
export function createCallbackToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Hex HMAC-SHA256 of `payload` with `secret`. */
export function hmacSha256Hex(secret: string, payload: string | Buffer): string {
  return createHmac("sha256", secret).update(payload).digest("hex");
}

/** Throws unless the URL token matches the stored one (checked in constant time). */
export function checkCallbackToken(gateway: GatewayId, token: CallbackExpectation["token"]): void {
  if (!token) return;
  if (typeof token.received !== "string" || !safeEqual(token.expected, token.received)) {
    throw new VerificationError(`${gateway} callback: the URL token does not match this payment`, "bad_token", { gateway });
  }
}

/**
 * The integrity check: the callback (or the gateway's answer) must name the stored payment, and
 * its amount and currency must equal the stored ones.
 */
export function checkIntegrity(
  event: { gateway: GatewayId; merchantRef: string; amount?: Money },
  expected: CallbackExpectation,
): void {
  const gateway = event.gateway;
  if (event.merchantRef !== expected.merchantRef) {
    throw new VerificationError(
      `${gateway} callback names ${JSON.stringify(event.merchantRef)}, not ${JSON.stringify(expected.merchantRef)}`,
      "reference_mismatch",
      { gateway },
    );
  }
  if (!event.amount) return;
  if (event.amount.currency !== expected.amount.currency) {
    throw new VerificationError(
      `${gateway} callback currency ${event.amount.currency} differs from the payment's ${expected.amount.currency}`,
      "currency_mismatch",
      { gateway },
    );
  }
  if (!event.amount.equals(expected.amount)) {
    throw new VerificationError(
      `${gateway} callback amount ${event.amount.format()} differs from the payment's ${expected.amount.format()}`,
      "amount_mismatch",
      { gateway },
    );
  }
}

/** The raw body as text. */
export function bodyText(input: CallbackInput): string {
  return typeof input.rawBody === "string" ? input.rawBody : input.rawBody.toString("utf8");
}

/** The raw body parsed as a JSON object; VerificationError("malformed") otherwise. */
export function bodyJson(gateway: GatewayId, input: CallbackInput): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bodyText(input));
  } catch (cause) {
    throw new VerificationError(`${gateway} callback body is not JSON`, "malformed", { gateway, cause });
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new VerificationError(`${gateway} callback body is not a JSON object`, "malformed", { gateway });
  }
  return value as Record<string, unknown>;
}

/** A header's value whatever its case; the first one when repeated. */
export function header(input: CallbackInput, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(input.headers ?? {})) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** Reads a callback body with the gateway's zod schema; VerificationError("malformed") naming the field otherwise. */
export function readCallback<S extends z.ZodType>(gateway: GatewayId, schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? `${issue.path.join(".") || "(body)"}: ${issue.message}` : "malformed";
  throw new VerificationError(`${gateway} callback: ${where}`, "malformed", { gateway, cause: parsed.error });
}

/**
 * Query-back for verification: the gateway's own answer about the order. A gateway that does not
 * know the order (it refuses the query) makes the callback a VerificationError("unknown_payment").
 */
export async function confirmOrder<T>(gateway: GatewayId, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (error instanceof DeclinedError) {
      throw new VerificationError(`${gateway} does not know the order this callback names`, "unknown_payment", { gateway, cause: error });
    }
    throw error;
  }
}

/** The plain JSON acknowledgement for gateways that retry until a 2xx: 200 accepts, 400 asks for a retry. */
export function jsonCallbackReply(accepted: boolean): CallbackReply {
  return accepted
    ? { status: 200, contentType: "application/json", body: '{"received":true}' }
    : { status: 400, contentType: "application/json", body: '{"received":false}' };
}
