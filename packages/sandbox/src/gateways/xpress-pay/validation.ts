import { z } from "zod";
import { json, type SandboxResponse } from "../../http";
import { decimalToMinor } from "../../money";
import { isEmail, isUrl } from "../../orders";
import { firstProblem } from "../../validation";
import { XPRESS_PAY_APP_ID } from "./merchant";

/** Error codes this emulator answers with (HTTP 200, as the gateway's `code`/`msg` envelope implies). */
export const XPRESS_PAY_ERRORS = {
  invalidParam: 1001,
  invalidAppId: 1002,
  duplicateOrder: 1003,
  orderNotFound: 1004,
  insufficientBalance: 1005,
} as const;

/** A Pakistani mobile number as the wallets take it. */
export const PK_MOBILE = /^03\d{9}$/;

/** The gateway's refusal: HTTP 200 with its `code`/`msg` envelope. */
export const fail = (code: number, msg: string): SandboxResponse => json(200, { code, msg, data: null });

/** The `appId` check every call starts with. */
export function appIdProblem(value: unknown): SandboxResponse | undefined {
  if (value === undefined || value === "") return fail(XPRESS_PAY_ERRORS.invalidParam, "appId is required");
  if (value !== XPRESS_PAY_APP_ID) return fail(XPRESS_PAY_ERRORS.invalidAppId, "invalid appId");
  return undefined;
}

const required = (field: string) => z.string({ error: `${field} is required` }).refine((v) => v.trim() !== "", { error: `${field} is required`, abort: true });
/** An optional field: absent or "" is fine, anything else must pass `accept`. */
const optional = (accept: (value: unknown) => boolean, error: string) => z.unknown().refine((v) => v === "" || accept(v), { error }).optional();
const notifyUrl = required("notifyUrl").refine(isUrl, { error: "notifyUrl must be a URL" });

const order = {
  merOrderNo: required("merOrderNo"),
  amount: required("amount").refine((a) => !!decimalToMinor(a), { error: "amount must be a positive number with at most 2 decimals" }),
  channel: required("channel").refine((c) => c === "EASYPAISA" || c === "JAZZCASH", { error: "channel must be EASYPAISA or JAZZCASH" }),
};

/** The pay-in create body (spec 000), fields in the spec's table order. */
export const payInCreateBody = z.object({
  ...order,
  customerMobile: optional((m) => PK_MOBILE.test(String(m)), "customerMobile must be 11 digits starting with 03"),
  customerName: required("customerName"),
  customerEmail: optional(isEmail, "customerEmail is invalid"),
  notifyUrl,
  returnUrl: optional(isUrl, "returnUrl must be a URL"),
});

/** The payout create body (spec 000), fields in the spec's table order. */
export const payoutCreateBody = z.object({
  ...order,
  recipientMobile: required("recipientMobile").refine((m) => PK_MOBILE.test(m), { error: "recipientMobile must be 11 digits starting with 03" }),
  recipientName: required("recipientName"),
  recipientEmail: optional(isEmail, "recipientEmail is invalid"),
  notifyUrl,
});

/** The gateway's answer to a create body it refuses (the appId first, then the first bad field), or undefined. */
export function createProblem(body: Record<string, unknown>, kind: "payin" | "payout"): SandboxResponse | undefined {
  const appId = appIdProblem(body.appId);
  if (appId) return appId;
  const problem = firstProblem(kind === "payin" ? payInCreateBody : payoutCreateBody, body);
  return problem && fail(XPRESS_PAY_ERRORS.invalidParam, problem.message);
}
