import { z } from "zod";

/*
 * Shopify's session requests (reference §2): the documented bodies and the three Shopify-* headers.
 * Unknown keys are ignored (Shopify adds fields over versions); what the app relies on is checked.
 */

/** A NUL character or a lone UTF-16 surrogate: PostgreSQL (text and jsonb) cannot store either. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const storable = (value: string) => !value.includes("\u0000") && !LONE_SURROGATE.test(value);
const STORABLE = "expected text without NUL characters or lone surrogates";

const text = (max: number) =>
  z.string({ error: "expected a string" }).min(1, "expected a non-empty string").max(max, `expected at most ${max} characters`).refine(storable, STORABLE);
const gid = (kind: string) =>
  z
    .string({ error: "expected a string" })
    .regex(new RegExp(`^gid://shopify/${kind}/[^/\\s]{1,200}$`), `expected gid://shopify/${kind}/<id>`)
    .refine(storable, STORABLE);
/** Shopify's amounts: a decimal string with a point ("123.00"), never a JSON number. */
const amount = z.string({ error: 'expected a decimal string like "123.00"' }).max(32, "expected at most 32 characters").regex(/^\d+(\.\d+)?$/, 'expected a decimal string like "123.00"');
const currency = z.string({ error: "expected an ISO 4217 code" }).regex(/^[A-Z]{3}$/, "expected an ISO 4217 code like EGP");
const url = z.url({ protocol: /^https?$/, error: "expected an absolute http(s) URL" }).max(2048, "expected at most 2048 characters").refine(storable, STORABLE);
/** An optional field the app only passes on: anything unusable is dropped, never refused. */
const optionalText = (max: number) => z.string().max(max).refine(storable).nullish().catch(undefined);

/** The three headers every session request carries (Node lowercases header names). */
export const SessionHeaders = z.looseObject({
  "shopify-shop-domain": z
    .string({ error: "expected the Shopify-Shop-Domain header" })
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9-_]*\.myshopify\.com$/, "expected a <shop>.myshopify.com domain"),
  "shopify-request-id": text(255).meta({ description: "Shopify-Request-Id" }),
  "shopify-api-version": z.string({ error: "expected the Shopify-Api-Version header" }).regex(/^\d{4}-\d{2}$|^unstable$/, "expected a version like 2026-07"),
});

/** Header names as Shopify spells them, for error messages. */
export const HEADER_NAMES: Readonly<Record<string, string>> = {
  "shopify-shop-domain": "Shopify-Shop-Domain",
  "shopify-request-id": "Shopify-Request-Id",
  "shopify-api-version": "Shopify-Api-Version",
};

const address = z
  .looseObject({ given_name: optionalText(255), family_name: optionalText(255), phone_number: optionalText(64), country_code: optionalText(2) })
  .nullish()
  .catch(undefined);

/** POST payment_session_url. */
export const PaymentSessionBody = z.looseObject({
  id: text(255),
  gid: gid("PaymentSession"),
  group: text(255),
  amount,
  currency,
  test: z.boolean({ error: "expected true or false" }),
  kind: z.enum(["sale", "authorization"], { error: 'expected "sale" or "authorization"' }),
  payment_method: z
    .looseObject({
      type: z.string().optional(),
      data: z.looseObject({ cancel_url: url.optional() }).optional(),
    })
    .optional(),
  /** Where older docs and Shopify's template put it: read when payment_method.data has none. */
  cancel_url: url.optional(),
  merchant_locale: optionalText(35),
  proposed_at: optionalText(64),
  customer: z
    .looseObject({ email: optionalText(255), phone_number: optionalText(64), locale: optionalText(35), billing_address: address, shipping_address: address })
    .nullish()
    .catch(undefined),
});
export type PaymentSessionBody = z.output<typeof PaymentSessionBody>;

/** POST refund_session_url / capture_session_url (capture: the amount to capture). */
export const RefundSessionBody = z.looseObject({
  id: text(255),
  gid: gid("RefundSession"),
  payment_id: text(255),
  amount,
  currency,
  test: z.boolean({ error: "expected true or false" }).optional(),
});
export const CaptureSessionBody = RefundSessionBody.extend({ gid: gid("CaptureSession") });
/** POST void_session_url: no amount. */
export const VoidSessionBody = z.looseObject({ id: text(255), gid: gid("VoidSession"), payment_id: text(255), test: z.boolean({ error: "expected true or false" }).optional() });

/** What the app reads of a refund, capture or void session request. */
export interface ActionSessionBody {
  id: string;
  gid: string;
  payment_id: string;
  amount?: string;
  currency?: string;
}

/** A token of the app's buyer-facing URLs (random base64url). */
export const TOKEN = /^[A-Za-z0-9_-]{8,64}$/;

/** The first problem of a failed parse, naming its field: "payment_method.data.cancel_url: expected an absolute http(s) URL". */
export function firstIssue(error: z.ZodError, names: Readonly<Record<string, string>> = {}): string {
  const issue = error.issues[0];
  if (!issue) return "invalid request";
  const path = issue.path.map(String);
  const field = path.length ? path.map((p) => names[p] ?? p).join(".") : "body";
  return `${field}: ${issue.message}`;
}
