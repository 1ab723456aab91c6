import { z } from "zod";
import { GATEWAY_IDS, PAYMENT_STATUSES } from "@xpay-connect/core";

/*
 * The zod schemas every route group shares. Each route's schemas validate its request, type its
 * handler, serialize its answer and become /openapi.json: nothing else describes the API.
 * Schemas with an `id` become named components of the document.
 */

/** A NUL character or a lone UTF-16 surrogate: PostgreSQL (text and jsonb) cannot store either. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const STORABLE = "expected text without NUL characters or lone surrogates";

/** Whether PostgreSQL can store this string as text. */
export function storable(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

/** A required text field: trimmed, non-empty, at most `max` characters, storable. */
export function text(max: number) {
  return z
    .string({ error: "expected a string" })
    .trim()
    .min(1, "expected a non-empty string")
    .max(max, `expected at most ${max} characters`)
    .refine(storable, STORABLE);
}

/** An optional text field: absent, null and "" all mean absent. */
export function optionalText(max: number) {
  return z
    .string({ error: "expected a string" })
    .trim()
    .max(max, `expected at most ${max} characters`)
    .refine(storable, STORABLE)
    .nullish()
    .transform((v) => v || undefined);
}

/** One of the gateways. */
export const GatewayIdSchema = z.enum(GATEWAY_IDS, { error: `expected one of ${GATEWAY_IDS.join(", ")}` }).meta({ id: "GatewayId", description: "A gateway." });

/** A canonical payment status. */
export const PaymentStatusSchema = z.enum(PAYMENT_STATUSES, { error: `expected a payment status (${PAYMENT_STATUSES.join(", ")})` }).meta({
  id: "PaymentStatus",
  description: "One monotone machine for every gateway: a final status never goes back; a contradicting report is kept in `flagged`.",
});

/** An amount asked for: a decimal string in major units; the currency's exponent is checked by Money.parse in the handler. */
export function amountText(description: string) {
  return z
    .string({ error: (issue) => `expected a decimal string in major units, like "1500.00" (${issue.input === null ? "null is not an amount" : "not a JSON number"})` })
    .max(32, "expected at most 32 characters")
    .regex(/^\d+(\.\d+)?$/, 'expected a decimal string in major units, like "1500.00"')
    .meta({ description: `${description} A decimal string in major units (\`"1500.00"\`), never a JSON number.`, examples: ["1500.00"] });
}

/** An amount answered: what Money.format gives. */
export function amountOut(description: string) {
  return z.string().meta({ description: `${description} A decimal string in major units.`, examples: ["1500.00"] });
}

/** An ISO currency code (which ones a gateway takes is checked against the merchant's connector). */
export const CurrencySchema = z
  .string({ error: "expected an ISO currency code like PKR" })
  .regex(/^[A-Z]{3}$/, "expected an ISO currency code like PKR")
  .meta({ description: "ISO code the gateway takes (PKR, EGP, KGS).", examples: ["PKR"] });

/** An absolute http(s) URL, at most 2048 characters. */
export function httpUrl(description: string) {
  return z
    .url({ protocol: /^https?$/, error: "expected an absolute http(s) URL" })
    .max(2048, "expected at most 2048 characters")
    .refine(storable, STORABLE)
    .meta({ description, examples: ["https://shop.example/return"] });
}

/** Metadata limits: keys, characters per key, characters per value. */
export const METADATA_LIMITS = { keys: 20, keyLength: 100, valueLength: 500 } as const;

/** Your own keys and string values, returned as given. */
export const MetadataSchema = z
  .record(
    // Keys are checked below, on the object: an issue about a key names `metadata`, never the key itself (the meta documents the limits).
    z.string().meta({ minLength: 1, maxLength: METADATA_LIMITS.keyLength }),
    z
      .string({ error: "expected a string" })
      .max(METADATA_LIMITS.valueLength, `expected at most ${METADATA_LIMITS.valueLength} characters`)
      .refine(storable, STORABLE),
    { error: "expected an object of string values" },
  )
  .superRefine((m, check) => {
    const keys = Object.keys(m);
    if (keys.length > METADATA_LIMITS.keys) check.addIssue({ code: "custom", message: `expected at most ${METADATA_LIMITS.keys} keys (got ${keys.length})` });
    if (keys.some((k) => k.length < 1 || k.length > METADATA_LIMITS.keyLength || !storable(k))) {
      check.addIssue({ code: "custom", message: `expected keys of 1 to ${METADATA_LIMITS.keyLength} characters, without NUL characters or lone surrogates` });
    }
  })
  .meta({
    id: "Metadata",
    maxProperties: METADATA_LIMITS.keys,
    description: `Your own keys (at most ${METADATA_LIMITS.keys}, each 1 to ${METADATA_LIMITS.keyLength} characters), each value a string of at most ${METADATA_LIMITS.valueLength} characters; no NUL characters or lone surrogates; returned as given.`,
  });

/** An id in a path: text PostgreSQL can compare. */
export function pathId(description: string, example: string) {
  return z.string().max(64, "expected at most 64 characters").refine(storable, STORABLE).meta({ description, examples: [example] });
}

/** Headers as the API spells them in errors and in the document (Node lowercases them). */
export const HEADER_NAMES: Readonly<Record<string, string>> = { "idempotency-key": "Idempotency-Key" };

const IDEMPOTENCY_SEMANTICS =
  "Stripe's semantics: the first answer for a key is stored and replayed for the same key and body; the same key with another body answers 422; a key whose first request still runs answers 409. Input errors are not stored, so a fixed request may reuse its key. A key whose request never answered (a crash) is taken over after IDEMPOTENCY_LOCK_SECONDS: the retry answers from what that request stored, never sending it again.";

/** The `Idempotency-Key` header's value. */
const idempotencyKey = z
  .string({ error: (issue) => (issue.input === undefined ? "expected an Idempotency-Key header (1 to 255 characters): this route moves money, so a retry must be recognised" : "expected 1 to 255 characters") })
  .min(1, "expected 1 to 255 characters")
  .max(255, "expected 1 to 255 characters")
  .refine(storable, STORABLE);

/** The `Idempotency-Key` header of the creating routes (other headers pass through). */
export const IdempotencyHeaders = z.looseObject({
  "idempotency-key": idempotencyKey.optional().meta({ description: IDEMPOTENCY_SEMANTICS, examples: ["order-1042-attempt-1"] }),
});

/** The same header, required: payouts send money that no order number protects, so every retry must carry its key. */
export const RequiredIdempotencyHeaders = z.looseObject({
  "idempotency-key": idempotencyKey.meta({ description: `Required (a missing key answers 400 naming it). ${IDEMPOTENCY_SEMANTICS}`, examples: ["payout-7781"] }),
});

const iso = (description: string) => z.string().meta({ description, format: "date-time", examples: ["2026-11-21T19:42:55.432Z"] });

/** How the shopper goes on. */
export const NextActionSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("redirect"), url: z.string() }),
    z.object({ type: z.literal("iframe"), url: z.string() }),
    z.object({ type: z.literal("qr"), url: z.string(), qrData: z.string() }),
    z.object({ type: z.literal("kiosk"), billReference: z.string(), url: z.string().optional() }),
    z.object({ type: z.literal("none") }),
  ])
  .meta({ id: "NextAction", description: "How the shopper goes on: a page to send them to, a QR code, a kiosk bill reference." });

/** One entry of a payment's timeline. */
export const PaymentEventSchema = z
  .object({
    type: z.string().meta({ description: "created, status_changed, status_unchanged, status_conflict, create_outcome_unknown, refund_succeeded, reconcile_mismatch, payout_unknown, ..." }),
    from: z.string().nullable(),
    to: z.string().nullable(),
    source: z.string().meta({ description: "api, callback, reconcile, expiry, refund, or service (a needs_attention entry)." }),
    detail: z.record(z.string(), z.unknown()).nullable(),
    at: iso("When it happened."),
  })
  .meta({ id: "PaymentEvent" });

/** Why a payment needs a person, and the amount concerned (see docs/server.md, "Payments that need attention"). */
export const AttentionSchema = z
  .object({
    reason: z.enum(["paid_after_expired", "paid_after_failed", "paid_after_canceled", "recall_unconfirmed"]).meta({
      description:
        "paid_after_*: the gateway took the money after the payment had expired, failed or been canceled (ship the order or refund it); recall_unconfirmed: a recall (dispute) only the per-payment URL token vouches for (check it with the gateway).",
    }),
    amount: amountOut("The amount concerned: what was paid, or what the recall claws back."),
    currency: z.string().meta({ examples: ["EGP"] }),
    at: iso("When it was raised."),
  })
  .meta({ id: "Attention", description: "Set when a person must look at the payment; each raise also sends a `payment.needs_attention` event." });

const paymentFields = {
  id: z.string().meta({ examples: ["pay_3kTqx9Lw2VbNcQ8e"] }),
  object: z.enum(["payment", "payout"]),
  gateway: z.string().meta({ description: "The gateway.", examples: ["xpress-pay"] }),
  method: z.string().meta({ examples: ["easypaisa"] }),
  order_ref: z.string().meta({ description: "Your order number." }),
  amount: amountOut("What the shopper is charged (XPay EG with fees in the bill: the total)."),
  currency: z.string().meta({ examples: ["PKR"] }),
  status: PaymentStatusSchema,
  gateway_status: z.string().nullable().meta({ description: "The gateway's own status, as sent." }),
  gateway_ref: z.string().nullable().meta({ description: "The gateway's id for it." }),
  next_action: NextActionSchema.nullable().meta({ description: "Cleared once the payment leaves pending/requires_action." }),
  return_url: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  refunded_amount: amountOut("Refunded so far."),
  flagged: z.string().nullable().meta({ description: "Set when a person must look: a report contradicted a final status (kept, not applied), a gateway answered about another amount or reference, or a payout is still unknown to its gateway after PAYOUT_UNKNOWN_AFTER_MS (no longer re-queried)." }),
  reversed_amount: amountOut("Clawed back by recalls (disputes) so far: part of the amount while the status stays `succeeded`, all of it once `reversed`."),
  attention: AttentionSchema.nullable().meta({ description: "Set when a person must look at the payment (a late payment, an unconfirmed recall); null otherwise." }),
  expires_at: iso("When an unpaid pay-in expires.").nullable(),
  created_at: iso("Created."),
  updated_at: iso("Last changed."),
  events: z.array(PaymentEventSchema).optional().meta({ description: "The timeline, oldest first; only on a single payment's GET." }),
};

/** A pay-in as the API answers it. */
export const PaymentSchema = z.object(paymentFields).meta({ id: "Payment", description: "A pay-in (`object: payment`)." });

/** The recipient as stored with a payout and shown: no national id, the wallet and account numbers masked. */
export const StoredRecipientSchema = z
  .object({
    name: z.string(),
    mobile: z.string().optional().meta({ description: "The wallet or mobile number, masked: its first four and last three characters.", examples: ["0311****445"] }),
    email: z.string().optional(),
    bank_code: z.string().optional(),
    account_number: z.string().optional().meta({ description: "The account number or IBAN, masked: at most its last four characters.", examples: ["****6789"] }),
  })
  .meta({ id: "StoredRecipient", description: "The recipient as kept: no national id, the wallet and account numbers masked; never the full number." });

/** A payout as the API answers it. */
export const PayoutSchema = z
  .object({ ...paymentFields, recipient: StoredRecipientSchema.nullable() })
  .meta({ id: "Payout", description: "A payout: the payment shape with `object: payout`, and its recipient." });

/** A page of payments or payouts, newest first. */
export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      object: z.literal("list"),
      data: z.array(item),
      has_more: z.boolean(),
      next_cursor: z.string().nullable().meta({ description: "Pass as `starting_after` for the next page." }),
    })
    .meta({ id });
}

/** The API's error body. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({
        description:
          "What to do next: invalid_input (fix `field`), invalid_request, unauthenticated, not_found, declined, idempotency_key_reused, idempotency_in_progress, order_has_open_payment, order_already_paid, capability_missing, not_refundable, endpoint_disabled, limit_reached, unknown_callback_url, credentials_refused, outcome_unknown, internal.",
        examples: ["invalid_input"],
      }),
      message: z.string().meta({ description: "What happened and what was expected, naming the field.", examples: ["customer.name: expected a non-empty string"] }),
      field: z.string().optional().meta({ description: "The offending field, as a dotted path (`customer.name`), a header (`Idempotency-Key`), a query or path parameter, or `body`.", examples: ["customer.name"] }),
      gateway_code: z.string().optional().meta({ description: "The gateway's own code, on `declined`." }),
      payment_id: z.string().optional().meta({ description: "On `order_has_open_payment` and `order_already_paid`: the order's payment." }),
      payment: PaymentSchema.optional().meta({ description: "On a declined pay-in: the payment, now failed. On `order_has_open_payment`: the open payment, to continue with; on `order_already_paid`: the paid one (possibly `expired`, `failed` or `canceled` with `attention.reason` `paid_after_*`: paid late)." }),
      payout: PayoutSchema.optional().meta({ description: "On a declined payout: the payout, now failed." }),
    }),
  })
  .meta({ id: "Error", description: "Every error: `{ error: { code, message, field? } }`." });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Bad input: `error.field` names what to fix and the message says what was expected. Nothing was stored or sent.",
  401: "No API key, or not a valid one (`field: Authorization`).",
  402: "The gateway said no (`code: declined`); `error.payment` (or `error.payout`) is the failed payment.",
  404: "No such object for this merchant (`field` names the path parameter).",
  409: "The first request with this Idempotency-Key still runs (`idempotency_in_progress`: retry shortly), the order already has an open or paid pay-in (`order_has_open_payment`, `order_already_paid`: `error.payment` is it), or the object's state forbids it (`not_refundable`, `endpoint_disabled`).",
  422: "Idempotency-Key reused with another body or on another route (`idempotency_key_reused`), the gateway cannot do this (`capability_missing`, `field: gateway`), a limit is reached (`limit_reached`), or the gateway refused the credentials (`credentials_refused`).",
  502: "The gateway did not answer clearly; query before retrying (reconciliation will learn the outcome).",
};

/** A JSON answer with its description (the form @fastify/swagger documents and Fastify serializes per content type). */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

/** The error answers a route can give, each documented with the Error schema. */
export function errors<const C extends number>(...codes: C[]): Record<C, ReturnType<typeof json<typeof ErrorSchema>>> {
  return Object.fromEntries(codes.map((code) => [code, json(ErrorSchema, ERROR_DESCRIPTIONS[code] ?? "An error.")])) as Record<C, ReturnType<typeof json<typeof ErrorSchema>>>;
}

/** The OpenAPI security requirement of /v1 routes; the others have none. */
export const BEARER = [{ apiKey: [] }];
export const OPEN: { [name: string]: string[] }[] = [];
