import { createHash } from "node:crypto";
import { z } from "zod";

/** PayPro's own shapes (spec 001; query, balance and notification shapes from docs.paypro.tech, see anchors.md). */

/** Paths below the base URL (spec 001 for the payout; anchors.md for the query and the balance). */
export const PATHS = {
  payout: "/v1/payproPK/payout",
  payoutQuery: "/v1/payproPK/queryPayOutResult",
  balance: "/v1/payproPK/queryBalance",
} as const;

/** The header every call carries the merchant number in. */
export const MERCHANT_HEADER = "merchantNo";

/** The envelope `code` that only means "this request was accepted" (never the payout's outcome). */
export const ACCEPTED_CODE = "0000";

/** `data.status` / notification `status` values that are not failures. */
export const STATUS = { succeeded: "0000", processing: "0015" } as const;
/** The statuses the spec names; every other error code is a failure (spec: "all others are error codes"). */
export const PayoutStatus = z.enum([STATUS.succeeded, STATUS.processing]);
/** A status the spec names. */
export type PayoutStatus = z.infer<typeof PayoutStatus>;

/** What a PayPro error code looks like ("00029", "0100019"): any other status is unreadable, not a failure. */
export const ERROR_CODE = /^\d{4,8}$/;

/**
 * Assumption (the spec only says "use the app secret as salt"): the secret is appended to the end of
 * the sorted `key1=value1key2=value2` string, MD5 of the whole, lowercase hex.
 */
export const SIGN_SECRET_POSITION: "append" | "prepend" = "append";

/**
 * Assumption (the spec is silent): fields whose value is missing, null or "" are left out of the
 * signed string, as most MD5-signing gateways do (a failed notification has no `successTime`).
 */
export const SIGN_SKIPS_EMPTY = true;

/** The string PayPro's MD5 runs over: every field but `sign`, sorted by key, `key=value` concatenated, salted. */
function signingString(fields: Record<string, unknown>, appSecret: string): string {
  const base = Object.keys(fields)
    .filter((key) => key !== "sign")
    .filter((key) => !SIGN_SKIPS_EMPTY || !isEmpty(fields[key]))
    .sort()
    .map((key) => `${key}=${valueText(fields[key])}`)
    .join("");
  return SIGN_SECRET_POSITION === "append" ? base + appSecret : appSecret + base;
}

/** PayPro's `sign`: lowercase hex MD5 of the salted, sorted field string. */
export function sign(fields: Record<string, unknown>, appSecret: string): string {
  return createHash("md5").update(signingString(fields, appSecret), "utf8").digest("hex");
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/** Strings as they are; numbers and booleans as JSON writes them; nested values as their JSON. */
function valueText(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}

/**
 * Assumption: PayPro's PK error-code list is not in the spec. These are the sandbox's codes for a
 * refused field: such a refusal is an InvalidInputError on our field; any other code is a DeclinedError.
 */
export const FIELD_ERROR_CODES: Readonly<Record<string, { field: string; wire: string }>> = {
  "2001": { field: "merchantRef", wire: "tradeNo" },
  "2002": { field: "amount", wire: "amount" },
  "2003": { field: "recipient.name", wire: "name" },
  "2004": { field: "recipient.nationalId", wire: "customerCert" },
  "2005": { field: "recipient.email", wire: "email" },
  "2006": { field: "recipient.mobile", wire: "mobile" },
  "2007": { field: "method", wire: "accountType" },
  "2008": { field: "recipient.bankCode", wire: "bankName" },
  "2009": { field: "recipient.accountNumber", wire: "bankNumber" },
  "2010": { field: "callbackUrl", wire: "notifyUrl" },
  "2011": { field: "remark", wire: "remark" },
  "2012": { field: "timestamp", wire: "timestamp" },
};

/** A PayPro `accountType`. */
export type AccountType = "BANK" | "WALLET";

/** Wallet `bankName` codes (accountType WALLET). */
export const WALLETS = ["EASYPAISA", "JAZZCASH"] as const;

/**
 * Bank `bankName` codes (accountType BANK). Assumption: PayPro's PK bank list page is not in the spec;
 * this is the list we keep, in the spec's own style (`ALLIED_BANK_LIMITED`), and the sandbox checks the same.
 */
export const BANKS = [
  "ADVANS_PAKISTAN_MICRO_FINANCE_BANK",
  "AL_BARAKA_BANK_PAKISTAN_LIMITED",
  "ALLIED_BANK_LIMITED",
  "APNA_MICRO_FINANCE_BANK",
  "ASKARI_BANK_LIMITED",
  "BANK_AL_HABIB_LIMITED",
  "BANK_ALFALAH_LIMITED",
  "BANK_ISLAMI_PAKISTAN_LIMITED",
  "CITI_BANK_NA",
  "DUBAI_ISLAMIC_BANK_PAKISTAN_LIMITED",
  "FAYSAL_BANK_LIMITED",
  "FIRST_WOMEN_BANK_LIMITED",
  "HABIB_BANK_LIMITED",
  "HABIB_METROPOLITAN_BANK_LIMITED",
  "JS_BANK_LIMITED",
  "MCB_BANK_LIMITED",
  "MCB_ISLAMIC_BANK_LIMITED",
  "MEEZAN_BANK_LIMITED",
  "MOBILINK_MICROFINANCE_BANK",
  "NATIONAL_BANK_OF_PAKISTAN",
  "NRSP_MICROFINANCE_BANK",
  "SAMBA_BANK_LIMITED",
  "SILK_BANK_LIMITED",
  "SINDH_BANK_LIMITED",
  "SONERI_BANK_LIMITED",
  "STANDARD_CHARTERED_BANK_PAKISTAN",
  "SUMMIT_BANK_LIMITED",
  "THE_BANK_OF_KHYBER",
  "THE_BANK_OF_PUNJAB",
  "U_MICROFINANCE_BANK",
  "UNITED_BANK_LIMITED",
  "ZARAI_TARAQIATI_BANK_LIMITED",
] as const;

/** The payout request body before signing; every field is a string (spec 001). */
export type PayoutBody = {
  tradeNo: string;
  amount: string;
  name: string;
  customerCert: string;
  email: string;
  mobile: string;
  accountType: AccountType;
  bankName: string;
  bankNumber: string;
  notifyUrl: string;
  remark: string;
  timestamp: string;
};

/** Assumption (anchors.md): the payout query body is `{tradeNo, timestamp, sign}`. */
export type PayoutQueryBody = {
  tradeNo: string;
  timestamp: string;
};

/** Assumption (anchors.md): the balance query body is `{timestamp, sign}`. */
export type BalanceQueryBody = {
  timestamp: string;
};

const code = z.union([z.string(), z.number()]).transform(String);
const amountText = z.union([z.string().regex(/^\d+(?:\.\d+)?$/), z.number().nonnegative()]).transform(String);

/** Every answer: `code` "0000" means only "request accepted"; `data` carries the payout's own status. */
export const Envelope = z.object({
  msg: z.string().nullish(),
  code,
  success: z.union([z.boolean(), z.string()]).optional(),
  timestamp: z.union([z.string(), z.number()]).optional(),
  data: z.unknown().optional(),
});

/** Payout answer `data` (spec 001). `platFormTradeNo` may be missing when nothing was created. */
export const PayoutAccepted = z.object({
  platFormTradeNo: z.string().nullish(),
  status: code,
  desc: z.string().nullish(),
  remark: z.string().nullish(),
});

/** Payout query answer `data` (anchors.md: platFormTradeNo, tradeNo, amount, status). */
export const PayoutQueried = z.object({
  platFormTradeNo: z.string().min(1),
  tradeNo: z.string().min(1),
  amount: amountText,
  status: code,
  desc: z.string().nullish(),
});

/** Balance answer `data` (anchors.md: availableAmount, freezeAmount, unsettledAmount). */
export const BalanceData = z.object({
  availableAmount: amountText,
  freezeAmount: amountText.optional(),
  unsettledAmount: amountText.optional(),
});

/** The signed result notification (anchors.md). Fields beyond these are kept and signed over too. */
export const Notification = z.looseObject({
  status: code,
  message: z.string().nullish(),
  platFormTradeNo: z.string().min(1),
  tradeNo: z.string().min(1),
  amount: amountText,
  successTime: z.string().nullish(),
  timestamp: z.union([z.string(), z.number()]),
  sign: z.string().min(1),
});
