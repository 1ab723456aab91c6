/** What the caller should do about an error; every XpayError has one. */
export type ErrorCode =
  | "invalid_input"
  | "declined"
  | "outcome_unknown"
  | "verification_failed"
  | "capability_missing";

/** Base of every error core throws on purpose. `code` says what to do next. */
export abstract class XpayError extends Error {
  abstract readonly code: ErrorCode;
  /** The gateway involved, when one was. */
  gateway?: string;

  protected constructor(message: string, options?: { cause?: unknown; gateway?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options?.gateway) this.gateway = options.gateway;
  }
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 80 ? text.slice(0, 77) + "..." : text;
}

/**
 * The request was wrong and nothing was sent to the gateway: fix `field` and try again.
 * Also used when a gateway refuses a request for its shape (its own validation error).
 */
export class InvalidInputError extends XpayError {
  readonly code = "invalid_input" as const;
  constructor(
    /** Dotted path of the offending field, e.g. `customer.phone`. */
    readonly field: string,
    /** What was expected, in words. */
    readonly expected: string,
    /** What was given (never a secret: callers pass public fields only). */
    readonly received?: unknown,
    options?: { cause?: unknown; gateway?: string },
  ) {
    super(`${field}: expected ${expected}, got ${show(received)}`, options);
  }
}

/** The gateway answered and said no. Final for this attempt: do not retry the same request. */
export class DeclinedError extends XpayError {
  readonly code = "declined" as const;
  constructor(
    message: string,
    /** The gateway's own error code or status, as it sent it. */
    readonly gatewayCode?: string,
    options?: { cause?: unknown; gateway?: string },
  ) {
    super(message, options);
  }
}

/**
 * The request may or may not have reached the gateway (timeout, network failure, 5xx, unreadable
 * answer). Never retry blindly with a new merchant reference: query, or retry with the same one.
 */
export class OutcomeUnknownError extends XpayError {
  readonly code = "outcome_unknown" as const;
  constructor(
    message: string,
    /** The merchant reference to query or retry with. */
    readonly merchantRef?: string,
    options?: { cause?: unknown; gateway?: string },
  ) {
    super(message, options);
  }
}

/** A callback (or a gateway answer to a verification query) could not be trusted. Do not act on it. */
export class VerificationError extends XpayError {
  readonly code = "verification_failed" as const;
  constructor(
    message: string,
    /** Why, as a short machine-readable reason. */
    readonly reason:
      | "bad_signature"
      | "bad_token"
      | "amount_mismatch"
      | "currency_mismatch"
      | "unknown_payment"
      | "reference_mismatch"
      | "status_mismatch"
      | "malformed",
    options?: { cause?: unknown; gateway?: string },
  ) {
    super(message, options);
  }
}

/** The gateway cannot do this at all (a payout on XPay EG, a refund on Xpress Pay). */
export class CapabilityError extends XpayError {
  readonly code = "capability_missing" as const;
  constructor(gateway: string, readonly capability: string) {
    super(`${gateway} does not support ${capability}`, { gateway });
  }
}

/** True for any error core throws on purpose. */
export function isXpayError(error: unknown): error is XpayError {
  return error instanceof XpayError;
}
