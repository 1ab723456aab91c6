import { z } from "zod";
import { isCurrency, type Currency, type Money } from "../../money";

/**
 * XPay by XStak (Pakistan), spec 002: payment intents. The spec gives response shapes only; paths,
 * request bodies and the webhook come from XStak's public material (see docs/gateways/xpay-pk.md).
 */

/** Paths below the base URL (`https://xstak-pay.xstak.com`, staging `https://xstak-pay-stg.xstak.com`, or `<sandbox>/xpay-pk`). */
export const PATHS = {
  /** Public docs: create a payment intent (signed). */
  createIntent: "/public/v1/payment/intent",
  /** Public docs: retrieve a payment intent; the intent id follows. */
  intentDetails: "/public/v1/payment/intent/details/",
  /** Public docs: confirm with a payment method, `?pi_client_secret=...`. */
  confirmIntent: "/public/v1/payment/intent/confirm",
  /** Assumption: capture of a manual intent, `?pi_client_secret=...` (XStak's Postman collection as reported by third parties; not in the spec). */
  capture: "/public/v1/payment/intent/capture",
  /** Assumption: one-call payment with a saved card token (same source as `capture`). */
  tokenizedPayment: "/public/v2/payment/intent/tokenized/payment",
} as const;

/** The path of one intent's details. */
export function intentDetailsPath(gatewayRef: string): string {
  return PATHS.intentDetails + encodeURIComponent(gatewayRef);
}

/** Request headers: the API key, the account id and the hex HMAC-SHA256 of the exact JSON body. */
export const HEADERS = { apiKey: "x-api-key", accountId: "x-account-id", signature: "x-signature" } as const;

/** The webhook's signature header: hex HMAC-SHA256 of the raw body with the webhook secret. */
export const WEBHOOK_SIGNATURE_HEADER = "x-signature";

/**
 * The one place money becomes a wire amount. Spec 002 says amounts are "in smallest currency
 * unit" (paisa: PKR 1500.00 is 150000); XStak's official plugin sends rupees. We follow the spec.
 */
export function toWireAmount(amount: Money): number {
  return amount.minor;
}

/** Currencies we send: the spec names PKR and nothing else. */
export const CURRENCIES = ["PKR"] as const satisfies readonly Currency[];

/** Metadata key that carries our per-payment callback token; the webhook echoes the intent's metadata. */
export const CALLBACK_TOKEN_KEY = "callback_token";

/** How "already captured" is told apart from other errors of the same shape (they share `{error:{statusCode,message}}`). */
export const ALREADY_CAPTURED_MESSAGE = /already\s+captured/i;

/** `capture_method` values. */
export const CAPTURE_METHODS = ["automatic", "manual"] as const;
/** "automatic" charges at confirmation; "manual" authorizes and waits for a capture. */
export type CaptureMethod = (typeof CAPTURE_METHODS)[number];

/** Create-intent body (fields from XStak's public examples). */
export interface CreateIntentBody {
  amount: number;
  currency: Currency;
  payment_method_types: "card";
  customer: { name: string; email: string; phone: string };
  description?: string;
  metadata: { order_reference: string; callback_token?: string };
  capture_method: CaptureMethod;
  return_url?: string;
}

/** Confirm body (our assumption: the spec has no request shapes). */
export interface ConfirmBody {
  payment_method_types: "card";
  payment_method: { card: { number: string; expiry_month: string; expiry_year: string; cvc: string; name: string } };
  save_payment_method: boolean;
}

/** Tokenized payment body (our assumption, mirroring the create body). */
export interface TokenizedPaymentBody {
  amount: number;
  currency: Currency;
  token: string;
  customer: { name: string; email: string; phone: string };
  description?: string;
  metadata: { order_reference: string; callback_token?: string };
}

const WireCurrency = z.string().refine(isCurrency, "a supported ISO currency");
const WireAmount = z.number().int().nonnegative();
const Text = z.string().nullish();
/** `error`/`success` flags arrive as booleans or as strings ("" in the spec's templates). */
const Flag = z.union([z.boolean(), z.string(), z.number()]).nullish();

/** Every answer's envelope. */
const Envelope = z.object({
  success: Flag,
  responseStatus: Text,
  message: Text,
  data: z.unknown().optional(),
  error: z.unknown().optional(),
  status: z.union([z.string(), z.number()]).nullish(),
});

/** The `last_payment_response` of an intent or a payment answer. */
const LastPaymentResponse = z.object({
  error: Flag,
  status: Text,
  message: Text,
  token: Text,
});

/** `pi_status` values (spec 002 and XPay's public docs; "cancelled" is seen spelled both ways). */
export const IntentStatus = z.enum(["requires_payment_method", "requires_confirmation", "processing", "requires_action", "requires_capture", "succeeded", "failed", "canceled", "cancelled"]);
/** A `pi_status` XPay documents. */
export type IntentStatus = z.infer<typeof IntentStatus>;
/** A payment answer's `last_payment_response.status` ("Payment Captured" and the like). */
export const PaymentResultStatus = z.enum(["PAYMENT_CAPTURED", "PAYMENT_AUTHORIZED", "PAYMENT_FAILED"]);
/** A payment result status XPay documents. */
export type PaymentResultStatus = z.infer<typeof PaymentResultStatus>;

/** A payment intent (create, details, 3-D Secure confirm and tokenized answers share these fields). */
export const Intent = z.object({
  _id: z.string().min(1),
  pi_client_secret: Text,
  amount: WireAmount,
  currency: WireCurrency,
  pi_status: z.string().min(1),
  pm_token: Text,
  metadata: z.object({ order_reference: Text, callback_token: Text }).nullish(),
  token: Text,
  capture_method: Text,
  return_url: Text,
  html_response: Text,
  last_payment_response: LastPaymentResponse.nullish(),
  encryptionKey: Text,
  checkout_page_url: Text,
});
/** A parsed intent. */
export type Intent = z.infer<typeof Intent>;

/** "Payment Captured" and "Payment Fail": the outcome of charging a card. */
export const PaymentResult = z.object({
  last_payment_response: LastPaymentResponse.nullish(),
  error: Flag,
  status: Text,
  message: Text,
  token: Text,
});
/** A parsed payment result. */
export type PaymentResult = z.infer<typeof PaymentResult>;

/** The `error` object of "Invalid Payment Intent" and "Payment Already Captured". */
const ErrorObject = z.object({
  message: Text,
  statusCode: z.union([z.number(), z.string()]).transform((v) => Number(v)),
});

/** The webhook (public docs: `status`, `payment_intent_id`; amount, currency and metadata are our assumption). */
export const Webhook = z.object({
  status: z.string().min(1),
  payment_intent_id: z.string().min(1),
  amount: WireAmount,
  currency: WireCurrency,
  metadata: z.object({ order_reference: z.string().min(1), callback_token: Text }),
});
/** A parsed webhook. */
export type Webhook = z.infer<typeof Webhook>;

/** True for a `success`/`error` flag that says yes. */
function isTrue(flag: unknown): boolean {
  return flag === true || flag === "true" || flag === 1 || flag === "1";
}

/** Which of the spec's shapes an answer is. */
export type Shape =
  | { kind: "ok"; data: unknown }
  | { kind: "payment_fail"; result: PaymentResult }
  | { kind: "invalid_card"; message: string }
  | { kind: "invalid_payment_intent"; message: string }
  | { kind: "already_captured"; message: string }
  | { kind: "unauthorized"; statusCode: number; message: string }
  | { kind: "refused"; statusCode: number; message: string }
  | { kind: "unreadable" };

/** Sorts an answer into one of the spec's success or failure shapes, by its body (the HTTP status only breaks ties). */
export function classify(httpStatus: number, body: unknown): Shape {
  const env = Envelope.safeParse(body);
  if (!env.success) return { kind: "unreadable" };
  const e = env.data;
  const message = (text: string | null | undefined) => text ?? e.message ?? "no message";
  const error = ErrorObject.safeParse(e.error);
  if (error.success) {
    const code = error.data.statusCode;
    const text = message(error.data.message);
    if (code === 404) return { kind: "invalid_payment_intent", message: text };
    if (code === 401 || code === 403) return { kind: "unauthorized", statusCode: code, message: text };
    if (ALREADY_CAPTURED_MESSAGE.test(text) || ALREADY_CAPTURED_MESSAGE.test(e.message ?? "")) return { kind: "already_captured", message: text };
    return { kind: "refused", statusCode: Number.isFinite(code) ? code : httpStatus, message: text };
  }
  if (Array.isArray(e.data) && !isTrue(e.success)) return { kind: "invalid_card", message: message(undefined) };
  const result = PaymentResult.safeParse(e.data);
  if (result.success && (isTrue(result.data.error) || !isTrue(e.success))) return { kind: "payment_fail", result: result.data };
  if (isTrue(e.success) && httpStatus < 400 && e.data !== undefined) return { kind: "ok", data: e.data };
  return { kind: "unreadable" };
}
