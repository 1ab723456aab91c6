import {
  CAPTURE_SESSION_REJECT,
  CAPTURE_SESSION_RESOLVE,
  PAYMENT_SESSION_PENDING,
  PAYMENT_SESSION_REJECT,
  PAYMENT_SESSION_RESOLVE,
  REFUND_SESSION_REJECT,
  REFUND_SESSION_RESOLVE,
  VOID_SESSION_REJECT,
  VOID_SESSION_RESOLVE,
} from "../graphql/documents";

/** Each mutation the queue sends: its document and the root field its payload is under. */
export const OPERATIONS = {
  PaymentSessionResolve: { document: PAYMENT_SESSION_RESOLVE, field: "paymentSessionResolve" },
  PaymentSessionReject: { document: PAYMENT_SESSION_REJECT, field: "paymentSessionReject" },
  PaymentSessionPending: { document: PAYMENT_SESSION_PENDING, field: "paymentSessionPending" },
  RefundSessionResolve: { document: REFUND_SESSION_RESOLVE, field: "refundSessionResolve" },
  RefundSessionReject: { document: REFUND_SESSION_REJECT, field: "refundSessionReject" },
  CaptureSessionResolve: { document: CAPTURE_SESSION_RESOLVE, field: "captureSessionResolve" },
  CaptureSessionReject: { document: CAPTURE_SESSION_REJECT, field: "captureSessionReject" },
  VoidSessionResolve: { document: VOID_SESSION_RESOLVE, field: "voidSessionResolve" },
  VoidSessionReject: { document: VOID_SESSION_REJECT, field: "voidSessionReject" },
} as const;

/** The name of a mutation the queue sends (also its GraphQL operation name). */
export type Operation = keyof typeof OPERATIONS;

/**
 * Shopify's userError when a payment session mutation comes before Shopify has the app's answer to
 * the session request (or after the other final mutation): retried, never final on its own.
 */
export const NOT_YET_RECEIVED = "the response to start_payment_session request has not been received";

/**
 * Seconds before attempt n+1 (n = attempts made so far): quick at first, because the usual first
 * refusal is "not yet received" while Shopify reads the session answer; then up to an hour.
 */
export const RETRY_SCHEDULE_SECONDS = [0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300, 600, 1800, 3600] as const;

/** How long a mutation is retried before it is marked failed (3 days: the longest a pending session lives). */
export const GIVE_UP_AFTER_SECONDS = 3 * 86_400;

/** The delay before the next attempt, scaled (tests use a small scale). */
export function retryDelaySeconds(attemptsMade: number, scale = 1): number {
  const base = RETRY_SCHEDULE_SECONDS[Math.min(Math.max(attemptsMade - 1, 0), RETRY_SCHEDULE_SECONDS.length - 1)] ?? 3600;
  return base * scale;
}
