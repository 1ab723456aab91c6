import { PAYPRO_BANKS, PAYPRO_WALLETS } from "@xpay-connect/core";
import { z } from "zod";
import { json, type SandboxRequest, type SandboxResponse } from "../../http";
import { isEmail, isUrl } from "../../orders";
import { firstProblem } from "../../validation";
import { PAYPRO_APP_SECRET, PAYPRO_MERCHANT_NO } from "./merchant";
import { payProSignOk } from "./sign";

/**
 * Envelope `code`s the sandbox refuses with ({msg, code, success: false, timestamp, data: null}, HTTP 200).
 * PayPro's own PK list is not public; these are ours, one per problem, and core maps the field ones back.
 */
export const PAYPRO_ERRORS = {
  badBody: "1000",
  merchantMissing: "1001",
  merchantUnknown: "1002",
  badSign: "1003",
  tradeNo: "2001",
  amount: "2002",
  name: "2003",
  customerCert: "2004",
  email: "2005",
  mobile: "2006",
  accountType: "2007",
  bankName: "2008",
  bankNumber: "2009",
  notifyUrl: "2010",
  remark: "2011",
  timestamp: "2012",
  duplicateTradeNo: "3001",
  insufficientBalance: "3002",
  orderNotFound: "3003",
} as const;

type Field = keyof typeof PAYPRO_ERRORS & string;

/** PayPro's success envelope. */
export const ok = (data: unknown): SandboxResponse => json(200, { msg: "success", code: "0000", data, success: true, timestamp: Date.now() });
/** PayPro's refusal: HTTP 200, `success: false`, one of PAYPRO_ERRORS. */
export const fail = (code: string, msg: string): SandboxResponse => json(200, { msg, code, success: false, timestamp: Date.now(), data: null });

/** A required string field passing `test`; the refusal names the field and the rule. */
const field = (name: Field, test: (value: string) => boolean, rule: string) =>
  z
    .string({ error: `${name} is required (a string)` })
    .refine((v) => v.trim() !== "", { error: `${name} is required (a string)`, abort: true })
    .refine(test, { error: `${name} ${rule}` });

const tradeNo = field("tradeNo", (t) => t.length <= 64, "must be at most 64 characters");
const timestamp = field("timestamp", (t) => /^\d{10}(?:\d{3})?$/.test(t), "must be a Unix timestamp in milliseconds (e.g. 1715941383720)");

/** The payout body (spec 001's strong validation, in its table order); the bank list and account number rule follow `accountType`. */
export function payoutBody(accountType: unknown) {
  const banks: readonly string[] = accountType === "WALLET" ? PAYPRO_WALLETS : PAYPRO_BANKS;
  return z.object({
    tradeNo,
    amount: field("amount", (a) => /^[1-9]\d{0,11}$/.test(a), "must be a whole number of PKR, at least 1 (no decimals)"),
    name: field("name", (n) => n.length <= 100, "must be at most 100 characters"),
    customerCert: field("customerCert", (c) => /^\d{13}$/.test(c), "must be a CNIC of exactly 13 digits"),
    email: field("email", isEmail, "must be an email address"),
    mobile: field("mobile", (m) => /^3\d{9}$/.test(m), "must be 10 digits starting with 3"),
    accountType: field("accountType", (t) => t === "BANK" || t === "WALLET", "must be BANK or WALLET"),
    bankName: field("bankName", (b) => banks.includes(b), `is not in the bank list for accountType ${String(accountType)}`),
    bankNumber:
      accountType === "WALLET"
        ? field("bankNumber", (n) => /^3\d{9}$/.test(n), "must be the wallet's 10-digit number starting with 3")
        : field("bankNumber", (n) => /^[A-Z0-9]{6,34}$/.test(n), "must be a bank account number or IBAN (6 to 34 letters and digits)"),
    notifyUrl: field("notifyUrl", isUrl, "must be an absolute http(s) URL"),
    remark: field("remark", (r) => r.length <= 255, "must be at most 255 characters"),
    timestamp,
  });
}

/** The payout query body (anchors.md). */
export const payoutQueryBody = z.object({ tradeNo, timestamp });
/** The balance query body (anchors.md). */
export const balanceQueryBody = z.object({ timestamp });

/** PayPro's answer to the first bad field of `body` under `schema`, or undefined. */
export function fieldProblem(schema: z.ZodType, body: Record<string, unknown>): SandboxResponse | undefined {
  const problem = firstProblem(schema, body);
  return problem && fail(PAYPRO_ERRORS[problem.field as Field], problem.message);
}

/** merchantNo header, a JSON object body, then the sign: a request nobody can attribute is refused first. */
export function authenticate(req: SandboxRequest): { body: Record<string, unknown> } | { refused: SandboxResponse } {
  const merchantNo = req.headers.merchantno;
  if (typeof merchantNo !== "string" || merchantNo === "") return { refused: fail(PAYPRO_ERRORS.merchantMissing, "merchantNo header is required") };
  if (merchantNo !== PAYPRO_MERCHANT_NO) return { refused: fail(PAYPRO_ERRORS.merchantUnknown, `merchantNo ${merchantNo} is not a PayPro merchant`) };
  if (!req.body || typeof req.body !== "object" || Array.isArray(req.body)) return { refused: fail(PAYPRO_ERRORS.badBody, "request body must be a JSON object") };
  const body = req.body as Record<string, unknown>;
  if (typeof body.sign !== "string" || body.sign === "") return { refused: fail(PAYPRO_ERRORS.badSign, "sign is required") };
  if (!payProSignOk(body, PAYPRO_APP_SECRET, body.sign)) return { refused: fail(PAYPRO_ERRORS.badSign, "sign is invalid: check the field order, the values and the app secret") };
  return { body };
}
