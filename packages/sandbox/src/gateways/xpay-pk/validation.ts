import { createHmac, timingSafeEqual } from "node:crypto";
import { CARD_CVC, CARD_EXPIRY_MONTH, CARD_EXPIRY_YEAR, cardDigits, cardExpired, isCardNumber } from "@xpay-connect/core";
import { z } from "zod";
import { json, type SandboxRequest, type SandboxResponse } from "../../http";
import { isEmail, isUrl } from "../../orders";
import { firstProblem } from "../../validation";
import { XPAY_PK_ACCOUNT_ID, XPAY_PK_API_KEY, XPAY_PK_HMAC_SECRET, XPAY_PK_TEST_CARDS } from "./merchant";

const REASONS: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 409: "Conflict" };

/** The spec's error shape (Invalid Payment Intent, Payment Already Captured) for any refusal. */
export function failure(statusCode: number, message: string): SandboxResponse {
  return json(statusCode, { success: false, responseStatus: REASONS[statusCode] ?? "Error", message, error: { message, statusCode } });
}

/** The spec's Invalid Card shape. */
export function invalidCard(message: string): SandboxResponse {
  return json(400, { status: 400, message, data: [], success: false });
}

/** Lowercase hex HMAC-SHA256: the request's `x-signature` and the webhook's `X-Signature`. */
export function hmacHex(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("hex");
}

/** Constant-time text comparison. */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const header = (req: SandboxRequest, name: string): string => {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
};

/** API key and account id on every API call; the body's HMAC on every POST. */
export function authorize(req: SandboxRequest, signed: boolean): SandboxResponse | undefined {
  if (!sameText(header(req, "x-api-key"), XPAY_PK_API_KEY)) return failure(401, "Invalid API key");
  if (!sameText(header(req, "x-account-id"), XPAY_PK_ACCOUNT_ID)) return failure(401, "Invalid account id");
  if (signed && !sameText(header(req, "x-signature").toLowerCase(), hmacHex(XPAY_PK_HMAC_SECRET, req.rawBody))) return failure(401, "Invalid signature");
  return undefined;
}

/** The body when it is a JSON object. */
export function bodyOf(req: SandboxRequest): Record<string, unknown> | undefined {
  return req.body && typeof req.body === "object" && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : undefined;
}

const filled = (error: string) => z.string({ error }).refine((v) => v.trim() !== "", { error });
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** The fields create and tokenized payment share (spec 002), in the order the gateway checks them. */
export const paymentBody = z.object({
  amount: z.custom<number>((a) => Number.isSafeInteger(a) && (a as number) > 0, { error: "amount: must be a positive integer in the smallest currency unit" }),
  currency: z.custom<"PKR">((c) => c === "PKR", { error: "currency: must be PKR" }),
  // Anything but an object is read as an empty customer: its first missing field is the answer.
  customer: z.preprocess(
    (c) => (isObject(c) ? c : {}),
    z.object({
      name: filled("customer.name: is required"),
      email: z.custom<string>(isEmail, { error: "customer.email: must be an email address" }),
      phone: filled("customer.phone: is required"),
    }),
  ),
  description: z.string({ error: "description: must be a string" }).optional(),
  metadata: z.looseObject({ order_reference: z.string({ error: "metadata.order_reference: must be a string" }).optional() }, { error: "metadata: must be an object" }).optional(),
});

/** Create Payment Intent: the shared payment fields, then the intent's own. */
export const createIntentBody = paymentBody.extend({
  payment_method_types: z.custom((t) => t === "card" || (Array.isArray(t) && t.includes("card")), { error: 'payment_method_types: must be "card"' }),
  capture_method: z.enum(["automatic", "manual"], { error: "capture_method: must be automatic or manual" }).optional(),
  return_url: z.custom((u) => u === "" || isUrl(u), { error: "return_url: must be a URL" }).optional(),
});

/** Tokenized payment: the shared payment fields and the saved card's token. */
export const tokenizedPaymentBody = paymentBody.extend({
  token: z.string({ error: "token: is required" }).refine((t) => t !== "", { error: "token: is required" }),
});

/** The gateway's 400 for the first bad field of `body`, or undefined. */
export function bodyProblem(schema: z.ZodType, body: Record<string, unknown>): SandboxResponse | undefined {
  const problem = firstProblem(schema, body);
  return problem && failure(400, problem.message);
}

/** A card as the confirm body or the hosted card form gives it. */
export interface Card {
  number: string;
  expiryMonth: string;
  expiryYear: string;
  cvc: string;
  name: string;
}

/** A card from the confirm body's `payment_method.card` or the hosted form's fields. */
export function cardFrom(source: Record<string, unknown>): Card {
  const s = (v: unknown) => (typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : "");
  return {
    number: cardDigits(s(source.number)),
    expiryMonth: s(source.expiry_month).padStart(2, "0"),
    expiryYear: s(source.expiry_year),
    cvc: s(source.cvc),
    name: s(source.name),
  };
}

/** Why a card is refused as invalid (core's card rules, then the sandbox's test cards), or undefined when it can be charged. */
export function cardProblem(card: Card): string | undefined {
  if (!isCardNumber(card.number)) return "Invalid card number";
  if (!CARD_EXPIRY_MONTH.test(card.expiryMonth) || !CARD_EXPIRY_YEAR.test(card.expiryYear)) return "Invalid card expiry";
  if (cardExpired(Number(card.expiryYear), Number(card.expiryMonth))) return "Card has expired";
  if (!CARD_CVC.test(card.cvc)) return "Invalid card CVC";
  if (!card.name.trim()) return "Card holder name is required";
  if (!(Object.values(XPAY_PK_TEST_CARDS) as string[]).includes(card.number)) return "Card not enrolled in the sandbox: use a test card";
  return undefined;
}
