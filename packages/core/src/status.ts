/** The one canonical status of a payment or payout, whatever the gateway. */
export const PAYMENT_STATUSES = [
  "pending",
  "requires_action",
  "authorized",
  "succeeded",
  "failed",
  "canceled",
  "expired",
  "partially_refunded",
  "refunded",
  "reversed",
] as const;

/** A canonical status. */
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** True when `value` is a canonical status. */
export function isPaymentStatus(value: unknown): value is PaymentStatus {
  return typeof value === "string" && (PAYMENT_STATUSES as readonly string[]).includes(value);
}

/**
 * Each status's stage: a payment only ever moves to a later stage.
 * 0 open, 1 waiting on the shopper, 2 authorized, 3 final outcome, 4 money moved back after success.
 */
const STAGE: Record<PaymentStatus, number> = {
  pending: 0,
  requires_action: 1,
  authorized: 2,
  succeeded: 3,
  failed: 3,
  canceled: 3,
  expired: 3,
  partially_refunded: 4,
  refunded: 5,
  reversed: 5,
};

/** True for statuses no ordinary event moves on from (succeeded can still be refunded or reversed). */
export function isFinal(status: PaymentStatus): boolean {
  return STAGE[status] >= 3;
}

/** What to do with an incoming status given the current one. */
export type Transition =
  /** Move to `to`. */
  | { kind: "apply"; from: PaymentStatus; to: PaymentStatus }
  /** Duplicate or older news: change nothing. */
  | { kind: "noop"; from: PaymentStatus; to: PaymentStatus }
  /**
   * A final outcome contradicting another (success after failure, failure after success):
   * keep the current status, record the event, and have a person or a verified query decide.
   */
  | { kind: "conflict"; from: PaymentStatus; to: PaymentStatus };

/**
 * The monotone status machine. `transition(current, incoming)` never moves a payment backwards:
 * a repeat or an older status is a no-op, a contradicting final outcome is a conflict.
 */
export function transition(from: PaymentStatus, to: PaymentStatus): Transition {
  if (from === to) return { kind: "noop", from, to };
  const a = STAGE[from];
  const b = STAGE[to];
  if (b < a) return { kind: "noop", from, to };
  if (a === 3 && b === 3) return { kind: "conflict", from, to };
  if (b >= 4 && from !== "succeeded" && from !== "partially_refunded") {
    // A refund or reversal of something that never succeeded is not news we can apply.
    return { kind: "conflict", from, to };
  }
  return { kind: "apply", from, to };
}

/**
 * A gateway status read through its exhaustive table (`satisfies Record<GatewayStatus, PaymentStatus>`);
 * a status the table does not know (one the gateway adds later) is `fallback`, pending unless said otherwise.
 */
export function mapGatewayStatus<S extends string>(table: Readonly<Record<S, PaymentStatus>>, status: string, fallback: PaymentStatus = "pending"): PaymentStatus {
  return Object.hasOwn(table, status) ? table[status as S] : fallback;
}
