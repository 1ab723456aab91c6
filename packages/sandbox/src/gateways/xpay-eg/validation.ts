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

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** A positive JSON number of major units with at most 2 decimals, in minor units; records the error otherwise. */
function majorAmount(errors: FieldErrors, field: string, value: unknown, required: boolean): number | undefined {
  if (value === undefined || value === null) {
    if (required) errors.add([field], "This field is required.");
    return undefined;
  }
  if (typeof value !== "number") {
    errors.add([field], "A valid number is required.");
    return undefined;
  }
  if (!(value > 0)) {
    errors.add([field], "Ensure this value is greater than 0.");
    return undefined;
  }
  const minor = numberToMinor(value);
  if (minor === undefined || minor === 0) errors.add([field], "Ensure that there are no more than 2 decimal places.");
  return minor || undefined;
}

/** Checks `currency` (default EGP) and `pay_using` (default card) as the spec lists them; kiosk is EGP only. */
export function currencyAndMethod(errors: FieldErrors, currency: unknown, method: unknown, methodField: string): { currency: string; payUsing: PayUsing } {
  const cur = currency === undefined || currency === null ? "EGP" : currency;
  if (!(CURRENCIES as readonly unknown[]).includes(cur)) errors.add(["currency"], `"${String(cur)}" is not a valid choice. Supported currencies are ${CURRENCIES.join(", ")}.`);
  const payUsing = method === undefined || method === null ? "card" : method;
  if (!(PAY_USING as readonly unknown[]).includes(payUsing)) errors.add([methodField], `"${String(payUsing)}" is not a valid choice. Use one of ${PAY_USING.join(", ")}.`);
  if (payUsing === "kiosk" && cur !== "EGP") errors.add(["currency"], "Kiosk (Aman) bills are paid in EGP only.");
  return { currency: String(cur), payUsing: payUsing as PayUsing };
}

/** Validates a pay/variable-amount body field by field (spec 003); every problem is reported at once. */
export function validatePay(body: Record<string, unknown>): PayRequest | FieldErrors {
  const errors = new FieldErrors();
  if (typeof body.community_id !== "string" || body.community_id.trim() === "") errors.add(["community_id"], "This field is required.");

  // Either `amount` (+ `original_amount`) as floats, or the kiosk example's integer `amount_piasters`.
  let amountMinor: number | undefined;
  let originalMinor: number | undefined;
  if (body.amount_piasters !== undefined && body.amount === undefined) {
    if (!Number.isSafeInteger(body.amount_piasters) || (body.amount_piasters as number) <= 0) errors.add(["amount_piasters"], "A valid positive integer is required.");
    else amountMinor = body.amount_piasters as number;
    originalMinor = majorAmount(errors, "original_amount", body.original_amount, false) ?? amountMinor;
  } else {
    amountMinor = majorAmount(errors, "amount", body.amount, true);
    originalMinor = majorAmount(errors, "original_amount", body.original_amount, true);
  }
  if (amountMinor !== undefined && originalMinor !== undefined && originalMinor > amountMinor) {
    errors.add(["original_amount"], "Ensure original_amount (the cost without fees) is not greater than amount.");
  }

  const { currency, payUsing } = currencyAndMethod(errors, body.currency, body.pay_using, "pay_using");
  if (!Number.isSafeInteger(body.variable_amount_id)) errors.add(["variable_amount_id"], body.variable_amount_id === undefined ? "This field is required." : "A valid integer is required.");

  const billing = body.billing_data;
  if (!isObject(billing)) {
    errors.add(["billing_data"], "This field is required.");
  } else {
    if (typeof billing.name !== "string" || billing.name === "") errors.add(["billing_data", "name"], "This field is required.");
    else if (!ENGLISH_NAME.test(billing.name)) errors.add(["billing_data", "name"], "Name must contain first and last name in english letters with space between them.");
    if (typeof billing.email !== "string" || billing.email === "") errors.add(["billing_data", "email"], "This field is required.");
    else if (!isEmail(billing.email)) errors.add(["billing_data", "email"], "Enter a valid email address.");
    if (typeof billing.phone_number !== "string" || billing.phone_number === "") errors.add(["billing_data", "phone_number"], "This field may not be blank.");
    else if (!PHONE_WITH_COUNTRY_CODE.test(billing.phone_number)) errors.add(["billing_data", "phone_number"], "Phone number must contain the country code, e.g. +201119045759.");
  }

  if (body.language !== undefined && body.language !== "en" && body.language !== "ar") errors.add(["language"], `"${String(body.language)}" is not a valid choice.`);
  if (body.membership_id !== undefined && body.membership_id !== null && typeof body.membership_id !== "string") errors.add(["membership_id"], "Not a valid string.");

  let recurring: PayRequest["recurring"];
  if (body.is_recurring !== undefined && typeof body.is_recurring !== "boolean") errors.add(["is_recurring"], "Must be a valid boolean.");
  if (body.is_recurring === true) {
    const expiry = body.expiry_date;
    if (typeof expiry !== "string" || expiry === "") errors.add(["expiry_date"], "This field is required for a recurring payment.");
    else if (!DATE.test(expiry) || Number.isNaN(Date.parse(`${expiry}T00:00:00Z`)) || new Date(`${expiry}T00:00:00Z`).toISOString().slice(0, 10) !== expiry) errors.add(["expiry_date"], "Date has wrong format. Use YYYY-MM-DD.");
    else if (expiry < new Date().toISOString().slice(0, 10)) errors.add(["expiry_date"], "Expiry date must not be in the past.");
    const days = body.minimum_days_between_payments;
    if (days === undefined) errors.add(["minimum_days_between_payments"], "This field is required for a recurring payment.");
    else if (!Number.isSafeInteger(days) || (days as number) < 1) errors.add(["minimum_days_between_payments"], "Ensure this value is a whole number greater than or equal to 1.");
    if (typeof expiry === "string" && Number.isSafeInteger(days)) recurring = { expiryDate: expiry, minimumDaysBetweenPayments: days as number };
  }

  const customFields: PayRequest["customFields"] = [];
  if (body.custom_fields !== undefined) {
    if (!Array.isArray(body.custom_fields)) {
      errors.add(["custom_fields"], 'Expected a list of {"field_label", "field_value"}.');
    } else {
      body.custom_fields.forEach((f: unknown, i: number) => {
        if (!isObject(f)) return errors.add(["custom_fields", String(i)], 'Expected {"field_label", "field_value"}.');
        if (typeof f.field_label !== "string" || f.field_label.trim() === "") errors.add(["custom_fields", String(i), "field_label"], "This field is required.");
        const value = f.field_value;
        if (!(typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)))) {
          errors.add(["custom_fields", String(i), "field_value"], "Must be a string, number or boolean.");
        }
        if (typeof f.field_label === "string" && (typeof value === "string" || typeof value === "boolean" || typeof value === "number")) {
          customFields.push({ field_label: f.field_label, field_value: value });
        }
      });
    }
  }

  if (!errors.empty) return errors;
  return {
    communityId: body.community_id as string,
    amountMinor: amountMinor as number,
    originalMinor: originalMinor as number,
    currency,
    variableAmountId: body.variable_amount_id as number,
    payUsing,
    billing: billing as PayRequest["billing"],
    ...(typeof body.language === "string" ? { language: body.language } : {}),
    ...(typeof body.membership_id === "string" ? { membershipId: body.membership_id } : {}),
    ...(recurring ? { recurring } : {}),
    customFields,
  };
}

/** Validates a prepare-amount body: `community_id`, `amount` (float), `currency`, `selected_payment_method`. */
export function validatePrepare(body: Record<string, unknown>): { amountMinor: number; currency: string; payUsing: PayUsing } | FieldErrors {
  const errors = new FieldErrors();
  if (typeof body.community_id !== "string" || body.community_id.trim() === "") errors.add(["community_id"], "This field is required.");
  const amountMinor = majorAmount(errors, "amount", body.amount, true);
  const { currency, payUsing } = currencyAndMethod(errors, body.currency, body.selected_payment_method, "selected_payment_method");
  return errors.empty ? { amountMinor: amountMinor as number, currency, payUsing } : errors;
}

/** Validates a refund body: `transaction_uuid`, `refund_amount` (float). */
export function validateRefund(body: Record<string, unknown>): { uuid: string; amountMinor: number } | FieldErrors {
  const errors = new FieldErrors();
  if (typeof body.transaction_uuid !== "string" || body.transaction_uuid.trim() === "") errors.add(["transaction_uuid"], "This field is required.");
  const amountMinor = majorAmount(errors, "refund_amount", body.refund_amount, true);
  return errors.empty ? { uuid: body.transaction_uuid as string, amountMinor: amountMinor as number } : errors;
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
