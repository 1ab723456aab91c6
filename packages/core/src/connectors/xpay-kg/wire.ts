import { createHash } from "node:crypto";
import { z } from "zod";
import { Money } from "../../money";

/**
 * xPay QR's own shapes (spec 004, xpay.kg). The spec gives bodies but no paths: PATHS follow the
 * public API (references/anchors.md); the static status path and the login answer are our choice.
 */

/** Paths below the base URL (`https://api.xpay.kg`, `https://devapi.xpay.kg`, or the sandbox's `/xpay-kg`). */
export const PATHS = {
  login: "/api/v1/developer/login",
  qrCreate: "/api/v1/developer/qr/get",
  dynamicStatus: (qrTransactionId: string) => `/api/v1/developer/qr/dynamic/status/${encodeURIComponent(qrTransactionId)}`,
  /** Not public: assumed to mirror the dynamic one. */
  staticStatus: (qrTransactionId: string) => `/api/v1/developer/qr/static/status/${encodeURIComponent(qrTransactionId)}`,
} as const;

/** The only currency: Kyrgyz som (100 tyiyn). */
export const CURRENCY = "KGS";

/** Lifetime of an access token when the login answer does not say (anchors: 30 minutes). */
export const TOKEN_LIFETIME_S = 30 * 60;

/** Assumption: how long a dynamic QR stays payable (the spec is silent; 30 minutes, a checkout's time at a banking app). */
export const QR_VALIDITY_MS = 30 * 60_000;

/** A cached token is replaced this long before it expires (at most half its lifetime). */
export const TOKEN_REFRESH_MARGIN_S = 60;

/** Longest merchant reference we send as `payer_id` (and hash into `uuid`); the gateway's own limit is not public. */
export const PAYER_ID_MAX = 64;

/** `comments` and `service_name` longer than this are refused by the gateway with HTTP 409 (anchors). */
export const TEXT_FIELD_MAX = 32;

/**
 * Unit of the request's integer `amount` (and of the create answer's echo). The spec shows only
 * `"amount": 1000`; we read it as tyiyn (minor units) because status answers carry tyiyn
 * (`"payable": "233.12000000"`), which an integer of som could not request. Flip to "som" if the
 * live gateway proves otherwise: the callback amount check catches a wrong guess on the first payment.
 */
export const REQUEST_AMOUNT_UNIT = "tyiyn" as "tyiyn" | "som";

/** The request's integer `amount` for `amount`: the one place core turns KGS into the wire unit. */
export function toRequestAmount(amount: Money, field = "amount"): number {
  if (REQUEST_AMOUNT_UNIT === "som") return Number(amount.formatWhole(field));
  return amount.minor;
}

/** Reads an integer amount the create answer echoes, in the request's unit. */
export function fromRequestAmount(value: number, field = "amount"): Money {
  return Money.ofMinor(REQUEST_AMOUNT_UNIT === "som" ? value * 100 : value, CURRENCY, field);
}

/**
 * Namespace of the name-based `uuid` xPay requires in every QR request. Fixed forever: changing it
 * changes every payment's uuid, so a retry would no longer find its QR.
 */
export const UUID_NAMESPACE = "df22a821-9090-4f86-93fd-af1e3092e340";

/**
 * The QR request's `uuid` for a merchant reference: an RFC 4122 version-5 (SHA-1, name-based)
 * UUID, so a retry after a timeout sends the same uuid and the gateway answers the same QR.
 */
export function uuidFor(merchantRef: string, namespace = UUID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const bytes = createHash("sha1").update(ns).update(merchantRef, "utf8").digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The spec's QR types. */
export type QrType = "dynamic" | "static";

/** Body of `POST /qr/get`, field for field as in the spec. */
export interface QrCreateBody {
  uuid: string;
  type: QrType;
  payer_id?: string;
  service_id?: string;
  service_name?: string;
  comments?: string;
  callback_url?: string;
  return_url?: string;
  check_url?: string;
  amount_change: boolean;
  amount: number;
}

/** Every answer: `{status: "Success"|"Error", message, data}`; validation errors add Laravel's `errors`. */
export const Envelope = z.object({
  status: z.string().optional(),
  message: z.string().nullable().optional(),
  data: z.unknown().optional(),
  errors: z.record(z.string(), z.array(z.string())).optional(),
});

/** `data` of the login answer (our assumption; see docs/gateways/xpay-kg.md). */
export const LoginData = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().int().nonnegative().optional(),
});

/** An integer amount in the request's unit (the create answer echoes them; strings of digits tolerated). */
const RequestAmount = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

/** `data` of the QR create answer. */
export const QrCreated = z.object({
  qr_transaction_id: z.string().min(1),
  qr_code: z.string().min(1),
  identificator: z.string().optional(),
  type: z.string().optional(),
  amount_change: z.boolean().optional(),
  request_amount: RequestAmount.optional(),
  amount: RequestAmount,
  payable: RequestAmount.optional(),
});

/**
 * A status amount: a decimal string of som ("240.00000000"), read exactly; digits beyond the
 * tyiyn must be zeros. A JSON number is read through its decimal text.
 */
export const StatusAmount = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    const amount = typeof value === "number" ? Money.fromJsonNumber(value, CURRENCY) : Money.parse(value, CURRENCY);
    if (amount.minor >= 0) return amount;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: "custom", message: `expected a non-negative decimal of som with at most 2 significant decimals, got ${JSON.stringify(value)}` });
  return z.NEVER;
});

/** `pay_status` values (spec 004). */
export const PayStatus = z.enum(["ACTIVE", "WAITING", "PROCESSING", "COMPLETED", "ERROR", "CANCELED"]);
/** A `pay_status` the spec names. */
export type PayStatus = z.infer<typeof PayStatus>;

/** `data` of the status answer (dynamic and static alike), and the body of a callback. */
export const QrStatusData = z.object({
  qr_transaction_id: z.string().min(1),
  pay_status: z.string().min(1),
  /** The request's `uuid`, echoed (assumption): what binds a QR to a merchant reference. */
  transaction_uuid: z.string().nullable().optional(),
  trx: z.string().nullable().optional(),
  request_amount: StatusAmount,
  amount: StatusAmount,
  payable: StatusAmount.nullable().optional(),
  created_at: z.string().nullable().optional(),
  executed_time: z.string().nullable().optional(),
});

/** The callback body (our choice: the status answer's fields plus the request's echoed identifiers). */
export const QrCallback = QrStatusData.extend({
  type: z.string().optional(),
  payer_id: z.string().nullable().optional(),
  service_id: z.string().nullable().optional(),
});

/** The request the gateway sends to `check_url` before it lets a shopper pay (our choice of shape). */
export const QrCheck = z.object({
  qr_transaction_id: z.string().min(1),
  transaction_uuid: z.string().nullable().optional(),
  type: z.string().optional(),
  payer_id: z.string().nullable().optional(),
  request_amount: StatusAmount,
  amount: StatusAmount,
});

/** A parsed status answer (amounts as Money). */
export type QrStatusData = z.infer<typeof QrStatusData>;
/** A parsed callback body (amounts as Money). */
export type QrCallback = z.infer<typeof QrCallback>;
