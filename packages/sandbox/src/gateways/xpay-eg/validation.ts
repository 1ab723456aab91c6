import { cardDigits, cardExpired, isCardNumber } from "@xpay-connect/core";
import { z } from "zod";
import { json, type SandboxResponse } from "../../http";
import { numberToMinor } from "../../money";
import { isEmail } from "../../orders";
import { firstProblem } from "../../validation";

/** The spec's currencies; "EGP" is the default. */
export const CURRENCIES = ["EGP", "USD", "EUR", "SAR", "AED", "GBP"] as const;
/** The spec's `pay_using` values ("card" is the default). */
export const PAY_USING = ["card", "kiosk", "fawry", "meeza/digital", "valU"] as const;
/** A `pay_using` value. */
export type PayUsing = (typeof PAY_USING)[number];

const ENGLISH_NAME = /^[A-Za-z]+(?: [A-Za-z]+)+$/;
const PHONE_WITH_COUNTRY_CODE = /^\+[1-9]\d{7,14}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** XPay's envelope: `{status: {code, message, errors}, data, count, next, previous}`. */
export function envelope(httpStatus: number, message: string, data: unknown, errors: unknown[] = []): SandboxResponse {
  return json(httpStatus, { status: { code: httpStatus, message, errors }, data, count: null, next: null, previous: null });
}

/**
 * Field errors collected the way XPay reports them (DRF style): one nested object in `errors`,
 * `[{"billing_data": {"phone_number": ["..."]}}]`; the message names the first one.
 */
export class FieldErrors {
  private readonly tree: Record<string, unknown> = {};
  private first?: string;

  add(path: readonly string[], message: string): void {
    let node = this.tree;
    path.slice(0, -1).forEach((key) => {
      node = (node[key] ??= {}) as Record<string, unknown>;
    });
    const leaf = path[path.length - 1] as string;
    ((node[leaf] ??= []) as string[]).push(message);
    this.first ??= `${path.join(".")}: ${message}`;
  }

  get empty(): boolean {
    return this.first === undefined;
  }

  /** The 400 answer. */
  answer(): SandboxResponse {
    return envelope(400, this.first ?? "Invalid input.", null, [this.tree]);
  }
}

/** A validated pay request. */
export interface PayRequest {
  communityId: string;
  amountMinor: number;
  originalMinor: number;
  currency: string;
  variableAmountId: number;
  payUsing: PayUsing;
  billing: { name: string; email: string; phone_number: string };
  language?: string;
  membershipId?: string;
  recurring?: { expiryDate: string; minimumDaysBetweenPayments: number };
  customFields: { field_label: string; field_value: string | number | boolean }[];
}

const required = "This field is required.";
/** A non-blank string; anything else is missing. */
const filled = (error: string) => z.string({ error }).refine((v) => v.trim() !== "", { error });
/** A non-empty string (blank is kept: the gateway's own rule then decides). */
const nonEmpty = (error: string) => z.string({ error }).refine((v) => v !== "", { error, abort: true });

/** A positive JSON number of major units with at most 2 decimals, as minor units. */
const majorAmount = z
  .custom<number>((v) => typeof v === "number", { error: (issue) => (issue.input === undefined || issue.input === null ? required : "A valid number is required.") })
  .refine((v) => v > 0, { error: "Ensure this value is greater than 0." })
  .pipe(
    z.transform((v: number, ctx) => {
      const minor = numberToMinor(v);
      if (minor) return minor;
      ctx.issues.push({ code: "custom", message: "Ensure that there are no more than 2 decimal places.", input: v });
      return z.NEVER;
    }),
  );
/** The same amount where it may be left out (null counts as left out). */
const optionalMajorAmount = majorAmount.nullish();

/** `currency` as the spec lists it; "EGP" when left out. */
const currency = z.preprocess(
  (c) => c ?? "EGP",
  z.enum(CURRENCIES, { error: (issue) => `"${String(issue.input)}" is not a valid choice. Supported currencies are ${CURRENCIES.join(", ")}.` }),
);
/** `pay_using` (or prepare's `selected_payment_method`) as the spec lists it; "card" when left out. */
const payUsing = z.preprocess((m) => m ?? "card", z.enum(PAY_USING, { error: (issue) => `"${String(issue.input)}" is not a valid choice. Use one of ${PAY_USING.join(", ")}.` }));

const DATE_ONLY = z
  .string()
  .regex(DATE)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d);

/** The pay body's `billing_data` (name, email, phone_number); its other keys are kept as sent. */
const billingData = z.looseObject(
  {
    name: nonEmpty(required).regex(ENGLISH_NAME, { error: "Name must contain first and last name in english letters with space between them." }),
    email: nonEmpty(required).refine(isEmail, { error: "Enter a valid email address." }),
    phone_number: nonEmpty("This field may not be blank.").regex(PHONE_WITH_COUNTRY_CODE, { error: "Phone number must contain the country code, e.g. +201119045759." }),
  },
  { error: required },
);

/** One of the pay body's `custom_fields`. */
const customField = z.object(
  {
    field_label: filled(required),
    field_value: z.union([z.string(), z.boolean(), z.number()], { error: "Must be a string, number or boolean." }),
  },
  { error: 'Expected {"field_label", "field_value"}.' },
);

/** The kiosk example's amount: a positive integer of piasters. */
const piasterAmount = z.custom<number>((a) => Number.isSafeInteger(a) && (a as number) > 0, { error: "A valid positive integer is required." });
/** A pay body giving `amount_piasters` instead of `amount`. */
const inPiasters = (body: Record<string, unknown>): boolean => body.amount_piasters !== undefined && body.amount === undefined;

const recurringFields = {
  expiry_date: nonEmpty("This field is required for a recurring payment.")
    .refine((d) => DATE_ONLY.safeParse(d).success, { error: "Date has wrong format. Use YYYY-MM-DD.", abort: true })
    .refine((d) => d >= new Date().toISOString().slice(0, 10), { error: "Expiry date must not be in the past." }),
  minimum_days_between_payments: z
    .custom<number>((d) => Number.isSafeInteger(d) && (d as number) >= 1, {
      error: (issue) => (issue.input === undefined ? "This field is required for a recurring payment." : "Ensure this value is a whole number greater than or equal to 1."),
    }),
};

/**
 * The pay/variable-amount body's fields (spec 003), in the order the gateway reports them. Either `amount` and
 * `original_amount` as floats, or the kiosk example's integer `amount_piasters` (its `original_amount` optional);
 * `expiry_date` and `minimum_days_between_payments` only count when `is_recurring` is true.
 */
export function payBody(body: Record<string, unknown>) {
  return z.object({
    community_id: filled(required),
    ...(inPiasters(body)
      ? { amount_piasters: piasterAmount, original_amount: optionalMajorAmount }
      : { amount: majorAmount, original_amount: majorAmount }),
    currency,
    pay_using: payUsing,
    variable_amount_id: z.custom<number>(Number.isSafeInteger, { error: (issue) => (issue.input === undefined ? required : "A valid integer is required.") }),
    billing_data: billingData,
    language: z.enum(["en", "ar"], { error: (issue) => `"${String(issue.input)}" is not a valid choice.` }).optional(),
    membership_id: z.string({ error: "Not a valid string." }).nullish(),
    is_recurring: z.boolean({ error: "Must be a valid boolean." }).optional(),
    ...(body.is_recurring === true ? recurringFields : {}),
    custom_fields: z.array(customField, { error: 'Expected a list of {"field_label", "field_value"}.' }).optional(),
  });
}

/** Kiosk (Aman) bills are EGP only: checked on the body as sent, whether or not its fields are valid. */
const kioskInEgp = (methodField: string) =>
  z.looseObject({}).refine((b) => !((b[methodField] ?? "card") === "kiosk" && (b.currency ?? "EGP") !== "EGP"), {
    error: "Kiosk (Aman) bills are paid in EGP only.",
    path: ["currency"],
  });

/** The pay body's checks across fields, each made only where its fields are valid (or, for the kiosk rule, always). */
const payChecks = kioskInEgp("pay_using").superRefine((b, ctx) => {
  const piasters = inPiasters(b);
  const amount = piasters ? piasterAmount.safeParse(b.amount_piasters) : majorAmount.safeParse(b.amount);
  const original = (piasters ? optionalMajorAmount : majorAmount).safeParse(b.original_amount);
  if (amount.success && original.success && (original.data ?? amount.data) > amount.data) {
    ctx.addIssue({ code: "custom", message: "Ensure original_amount (the cost without fees) is not greater than amount.", path: ["original_amount"], input: b.original_amount });
  }
});

/** The prepare-amount body: `community_id`, `amount` (float), `currency`, `selected_payment_method`. */
export const prepareBody = z.object({ community_id: filled(required), amount: majorAmount, currency, selected_payment_method: payUsing });
const prepareChecks = kioskInEgp("selected_payment_method");

/** The refund body: `transaction_uuid`, `refund_amount` (float). */
export const refundBody = z.object({ transaction_uuid: filled(required), refund_amount: majorAmount });

/**
 * Every problem with `body` at once, DRF style: the field schema's issues and the cross-field checks' issues, merged
 * in the schema's field order (a check's issue after its field's own), then the parsed fields when there are none.
 */
function collect<S extends z.ZodObject>(schema: S, checks: z.ZodType | undefined, body: Record<string, unknown>): z.output<S> | FieldErrors {
  const fields = schema.safeParse(body);
  const crossed = checks?.safeParse(body);
  const order = Object.keys(schema.shape);
  const rank = (issue: z.core.$ZodIssue) => order.indexOf(String(issue.path[0]));
  const issues = [...(fields.error?.issues ?? []), ...(crossed?.error?.issues ?? [])].sort((a, b) => rank(a) - rank(b));
  if (fields.success && issues.length === 0) return fields.data;
  const errors = new FieldErrors();
  for (const issue of issues) errors.add(issue.path.map(String), issue.message);
  return errors;
}

/** Validates a pay/variable-amount body (spec 003); every problem is reported at once. */
export function validatePay(body: Record<string, unknown>): PayRequest | FieldErrors {
  const parsed = collect(payBody(body), payChecks, body);
  if (parsed instanceof FieldErrors) return parsed;
  // The body's variants (amount or amount_piasters; recurring or not) as one shape.
  const valid = parsed as typeof parsed & { amount?: number; amount_piasters?: number; original_amount?: number | null; expiry_date?: string; minimum_days_between_payments?: number };
  const amountMinor = (valid.amount ?? valid.amount_piasters) as number;
  return {
    communityId: valid.community_id,
    amountMinor,
    originalMinor: valid.original_amount ?? amountMinor,
    currency: valid.currency,
    variableAmountId: valid.variable_amount_id,
    payUsing: valid.pay_using,
    billing: valid.billing_data,
    ...(valid.language !== undefined ? { language: valid.language } : {}),
    ...(typeof valid.membership_id === "string" ? { membershipId: valid.membership_id } : {}),
    ...(valid.is_recurring === true
      ? { recurring: { expiryDate: valid.expiry_date as string, minimumDaysBetweenPayments: valid.minimum_days_between_payments as number } }
      : {}),
    customFields: valid.custom_fields ?? [],
  };
}

/** Validates a prepare-amount body. */
export function validatePrepare(body: Record<string, unknown>): { amountMinor: number; currency: string; payUsing: PayUsing } | FieldErrors {
  const valid = collect(prepareBody, prepareChecks, body);
  return valid instanceof FieldErrors ? valid : { amountMinor: valid.amount, currency: valid.currency, payUsing: valid.selected_payment_method };
}

/** Validates a refund body. */
export function validateRefund(body: Record<string, unknown>): { uuid: string; amountMinor: number } | FieldErrors {
  const valid = collect(refundBody, undefined, body);
  return valid instanceof FieldErrors ? valid : { uuid: valid.transaction_uuid, amountMinor: valid.refund_amount };
}

const formText = (v: unknown): string => (typeof v === "string" ? v.trim() : "");
const MM_YY = /^(0[1-9]|1[0-2])\/(\d{2})$/;

/** The hosted card form (core's card rules: a 13-19 digit Luhn number, an MM/YY expiry not yet passed; XPay's 3-digit CVV). */
export const cardForm = z.object({
  card_number: z.custom<string>((n) => isCardNumber(cardDigits(formText(n)), 13), { error: "Enter a valid card number." }),
  expiry: z.custom<string>(
    (e) => {
      const m = MM_YY.exec(formText(e));
      return !!m && !cardExpired(2000 + Number(m[2]), Number(m[1]));
    },
    { error: "Enter an expiry date MM/YY that is not in the past." },
  ),
  cvv: z.custom<string>((c) => /^\d{3}$/.test(formText(c)), { error: "Enter the 3-digit CVV." }),
});

/** What the hosted card form says about the first bad field, or undefined. */
export function cardFormProblem(form: Record<string, unknown>): string | undefined {
  return firstProblem(cardForm, form)?.message;
}
