import { createHash, timingSafeEqual } from "node:crypto";

/** PayPro's signing rule as the emulated gateway applies it: written apart from core's signer, so each checks the other. */

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
