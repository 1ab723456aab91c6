import { z } from "zod";
import type { Currency, Money } from "../../money";

/** XPay Egypt's own shapes (spec 003 + the public legacy docs in anchors.md). Amounts are JSON floats of major units. */

/** Paths below the base URL (`https://staging.xpay.app`, `https://community.xpay.app`, or the sandbox's `/xpay-eg`). */
export const PATHS = {
  prepareAmount: "/api/v1/payments/prepare-amount/",
  pay: "/api/v1/payments/pay/variable-amount",
  /** Transaction lookup: the only way to ask XPay about a payment (by its uuid, never by our reference). */
  transaction: (communityId: string, uuid: string) =>
    `/api/v1/communities/${encodeURIComponent(communityId)}/transactions/${encodeURIComponent(uuid)}/`,
  refund: "/api/payments/refund-transaction/",
} as const;

/** The spec's supported currencies ("EGP" is XPay's default). */
export const CURRENCIES = ["EGP", "USD", "EUR", "SAR", "AED", "GBP"] as const satisfies readonly Currency[];
/** The spec's default currency: what a lookup naming none is read in when the caller does not give the payment's. */
export const DEFAULT_CURRENCY: Currency = "EGP";

/**
 * `pay_using` values, spelled as the spec spells them: "card", "kiosk", "fawry", "meeza/digital" in the
 * request text and "valU" in its list of payment options (Assumption: valU is sent as "valU").
 */
export const PAY_USING = { card: "card", kiosk: "kiosk", fawry: "fawry", wallet: "meeza/digital", valu: "valU" } as const;
/** A `pay_using` value. */
export type PayUsing = (typeof PAY_USING)[keyof typeof PAY_USING];

/** Assumption: the custom field that carries our merchant reference (the request has no reference field of its own). */
export const MERCHANT_REF_LABEL = "merchant_ref";
/** Assumption: the custom field that carries the per-payment callback token (the callback URL is one dashboard URL). */
export const CALLBACK_TOKEN_LABEL = "xc_token";
/** `transaction_status` values: the spec's SUCCESSFUL / FAILED, PENDING, and (Assumption) the sandbox's refund statuses. */
export const TransactionStatus = z.enum(["PENDING", "SUCCESSFUL", "FAILED", "PARTIALLY_REFUNDED", "REFUNDED"]);
/** A `transaction_status` we know. */
export type TransactionStatus = z.infer<typeof TransactionStatus>;
/** Assumption: kiosk (Aman) bills are cash in Egypt, so only EGP; the spec's kiosk example sends no currency (default EGP). */
export const KIOSK_CURRENCIES: readonly Currency[] = ["EGP"];
/**
 * Assumption: how long a kiosk (Aman) or Fawry bill reference stays payable (the spec is silent; 72 hours,
 * the usual validity of an Egyptian cash-collection reference). Pay-ins by those methods expire after it.
 */
export const BILL_VALIDITY_MS = 72 * 3600_000;
/** Assumption: `language` sent when the config sets none (the spec's examples send "en"). */
export const DEFAULT_LANGUAGE = "en";
/** Assumption: `expiry_date` of a recurring payment is an ISO calendar date (the spec only says "string"). */
export const EXPIRY_DATE_FORMAT = /^\d{4}-\d{2}-\d{2}$/;
/** XPay's own callback keys: a custom field with one of these labels would collide with them in the callback body. */
export const CALLBACK_KEYS = ["member_id", "total_amount", "total_amount_piasters", "transaction_id", "transaction_uuid", "transaction_status"] as const;

/**
 * The one conversion of Money to XPay's wire: a JSON float of major units (`53.36`), or an integer
 * count of piasters (`5336`) where the spec's kiosk example uses `amount_piasters`. Exact for our
 * two-digit currencies (Money.toMajorNumber).
 */
export function wireAmount(amount: Money, unit: "major" | "piasters"): number {
  return unit === "piasters" ? amount.minor : amount.toMajorNumber();
}

/** The amount fields of a pay body. */
export interface PayAmountFields {
  amount?: number;
  amount_piasters?: number;
  original_amount: number;
  currency: Currency;
}

/**
 * The money of a pay request: `charged` is what the shopper pays (the prepare-amount total when
 * fees are in the bill), `requested` the service cost without fees (`original_amount`).
 */
export function payAmountFields(charged: Money, requested: Money, payUsing: PayUsing): PayAmountFields {
  const common = { original_amount: wireAmount(requested, "major"), currency: charged.currency };
  return payUsing === PAY_USING.kiosk
    ? { amount_piasters: wireAmount(charged, "piasters"), ...common }
    : { amount: wireAmount(charged, "major"), ...common };
}

/** Minor units of a JSON float of major units (99.99 -> 9999) read through its decimal text; undefined when not exact to 2 digits. */
export function majorToMinor(value: number): number | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(value));
  if (!m) return undefined;
  const minor = Number((m[1] ?? "0") + (m[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** A JSON float of major units with at most two decimals. */
const MajorAmount = z.number().refine((v) => majorToMinor(v) !== undefined, "expected a number of major units with at most 2 decimals");
/** An integer count of piasters (the callback table says float: 9999.0 reads as 9999). */
const Piasters = z.number().int().nonnegative();

/** `total_amount` and `total_amount_piasters`: at least one, and equal when both are sent. */
function amountsAgree(value: { total_amount?: number | undefined; total_amount_piasters?: number | undefined }, ctx: z.RefinementCtx): void {
  if (value.total_amount === undefined && value.total_amount_piasters === undefined) {
    ctx.addIssue({ code: "custom", path: ["total_amount_piasters"], message: "expected total_amount_piasters or total_amount" });
  } else if (value.total_amount !== undefined && value.total_amount_piasters !== undefined && majorToMinor(value.total_amount) !== value.total_amount_piasters) {
    ctx.addIssue({ code: "custom", path: ["total_amount"], message: "disagrees with total_amount_piasters" });
  }
}

/** Every answer: `{status: {code, message, errors}, data, count, next, previous}`. */
export const Envelope = z.object({
  status: z.object({
    code: z.union([z.number(), z.string()]),
    message: z.string().nullable().optional(),
    errors: z.array(z.unknown()).nullable().optional(),
  }),
  data: z.unknown().optional(),
});

/** prepare-amount `data`: the total with the community's fees. */
export const PrepareAmountData = z.object({ total_amount: MajorAmount });

/** pay `data`; kiosk adds `message` and `bill_refrence` (the spec's spelling). */
export const PayData = z.object({
  iframe_url: z.string().url(),
  transaction_id: z.number().int(),
  transaction_status: z.string().min(1),
  transaction_uuid: z.string().min(1),
  message: z.string().nullable().optional(),
  bill_refrence: z.union([z.number().int(), z.string().min(1)]).nullable().optional(),
});

/** Transaction lookup `data` (status, amounts; currency and custom fields where XPay sends them). */
export const TransactionData = z
  .object({
    uuid: z.string().min(1),
    status: z.string().min(1),
    total_amount: MajorAmount.optional(),
    total_amount_piasters: Piasters.optional(),
    total_amount_currency: z.enum(CURRENCIES).optional(),
    custom_fields_json: z.string().nullable().optional(),
  })
  .superRefine(amountsAgree);
/** A transaction as looked up. */
export type TransactionData = z.infer<typeof TransactionData>;

/** refund `data` (Assumption: the public docs name only the request; this is the sandbox's answer). */
export const RefundData = z.object({
  transaction_uuid: z.string().min(1),
  transaction_status: z.string().min(1),
  refund_amount: MajorAmount.optional(),
  total_refunded_amount: MajorAmount.optional(),
});

/** A custom field value: the spec allows string, number or boolean. */
const CustomValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * The callback body: XPay's fields plus every custom field as a top-level key. The spec's table says
 * `transaction_uuid`; its example sends the uuid as `transaction_id`: either is read.
 */
export const Callback = z
  .looseObject({
    transaction_status: z.string().min(1),
    transaction_uuid: z.string().min(1).optional(),
    transaction_id: z.union([z.string().min(1), z.number()]).optional(),
    total_amount: MajorAmount.optional(),
    total_amount_piasters: Piasters.optional(),
    [MERCHANT_REF_LABEL]: z.union([z.string().min(1), z.number()]),
    [CALLBACK_TOKEN_LABEL]: CustomValue.optional(),
  })
  .superRefine((value, ctx) => {
    amountsAgree(value, ctx);
    if (value.transaction_uuid === undefined && typeof value.transaction_id !== "string") {
      ctx.addIssue({ code: "custom", path: ["transaction_uuid"], message: "expected the transaction uuid (transaction_uuid or transaction_id)" });
    }
  });
/** A parsed callback body. */
export type Callback = z.infer<typeof Callback>;

/** One element of the request's `custom_fields`. */
export interface CustomFieldWire {
  field_label: string;
  field_value: string | number | boolean;
}

/** The pay request body. */
export interface PayBody extends PayAmountFields {
  community_id: string;
  variable_amount_id: number;
  pay_using: PayUsing;
  language: string;
  billing_data: { name: string; email: string; phone_number: string };
  membership_id?: string;
  is_recurring?: boolean;
  expiry_date?: string;
  minimum_days_between_payments?: number;
  custom_fields: CustomFieldWire[];
}

/**
 * The custom fields XPay echoes in a transaction lookup (`custom_fields_json`, a JSON text of the request's
 * `custom_fields` array or of a label -> value object); undefined when absent or unreadable.
 */
export function lookupCustomFields(json: string | null | undefined): Map<string, unknown> | undefined {
  if (!json) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const out = new Map<string, unknown>();
  if (Array.isArray(value)) {
    for (const item of value) {
      const f = item as Partial<CustomFieldWire> | null;
      if (f && typeof f.field_label === "string") out.set(f.field_label, f.field_value);
    }
    return out;
  }
  if (value && typeof value === "object") return new Map(Object.entries(value));
  return undefined;
}
