import { createHash, timingSafeEqual } from "node:crypto";

/** PayPro's signing rule and lists as the emulated gateway applies them (the sandbox never imports core's code). */

/**
 * `sign`: every field but `sign`, empty values left out, sorted by key, `key=value` concatenated, the app
 * secret appended, MD5, lowercase hex. The salt placement and the empty-value rule are our assumptions
 * (docs/gateways/paypro.md), the same ones core's connector makes.
 */
export function payProSign(fields: Record<string, unknown>, appSecret: string): string {
  const base = Object.keys(fields)
    .filter((key) => key !== "sign" && fields[key] !== undefined && fields[key] !== null && fields[key] !== "")
    .sort()
    .map((key) => {
      const value = fields[key];
      return `${key}=${typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value)}`;
    })
    .join("");
  return createHash("md5").update(base + appSecret, "utf8").digest("hex");
}

/** True when `received` is the right sign for `fields` (constant-time). */
export function payProSignOk(fields: Record<string, unknown>, appSecret: string, received: unknown): boolean {
  if (typeof received !== "string") return false;
  const want = Buffer.from(payProSign(fields, appSecret));
  const got = Buffer.from(received.toLowerCase());
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Wallet `bankName` codes (accountType WALLET). */
export const PAYPRO_WALLET_CODES = ["EASYPAISA", "JAZZCASH"] as const;

/** Bank `bankName` codes the sandbox accepts (accountType BANK): the list core's connector keeps. */
export const PAYPRO_BANK_CODES = [
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
