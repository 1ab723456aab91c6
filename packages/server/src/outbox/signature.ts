/**
 * The storefront signature scheme, as Stripe's webhooks do it:
 *
 *   X-Xpay-Connect-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">[,v1=...]
 *
 * keyed by the endpoint's whole signing secret ("whsec_...") as UTF-8. Several v1 values appear
 * while a rotated secret's grace period runs (one per secret). Only node:crypto is used so a
 * storefront adapter can copy this file as it is.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** The name of the signature header (HTTP header names are case-insensitive). */
export const SIGNATURE_HEADER = "X-Xpay-Connect-Signature";
/** The name of the header carrying the event id (the same on every retry: dedupe on it). */
export const EVENT_ID_HEADER = "X-Xpay-Connect-Event-Id";
/** How far a signature's timestamp may be from the receiver's clock, by default (5 minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Hex HMAC-SHA256 of "<t>.<body>" with `secret`. */
export function storefrontSignature(secret: string, timestamp: number, rawBody: string | Uint8Array): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest("hex");
}

/** The signature header for `rawBody` at `timestamp` (unix seconds), one v1 per secret (current first). */
export function signStorefrontPayload(rawBody: string | Uint8Array, secrets: readonly string[], timestamp: number): string {
  if (!secrets.length) throw new Error("signStorefrontPayload: expected at least one secret");
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new Error("signStorefrontPayload: expected the timestamp in whole unix seconds");
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${storefrontSignature(s, timestamp, rawBody)}`)].join(",");
}

/** The parts of a signature header: its timestamp and every v1 signature; undefined when malformed. */
export function parseStorefrontSignature(header: string): { timestamp: number; signatures: string[] } | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") {
      // Two timestamps make the header ambiguous: refuse rather than pick one.
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === "v1" && /^[0-9a-f]{64}$/i.test(value)) {
      signatures.push(value.toLowerCase());
    }
  }
  return timestamp === undefined || !signatures.length ? undefined : { timestamp, signatures };
}

/**
 * Verifies a storefront delivery: true when one v1 signature in `header` is the HMAC of
 * "<t>.<rawBody>" under `secret` (or under one of several secrets, mid-rotation) and `t` is within
 * `toleranceSeconds` of `now` (milliseconds since the epoch, or a Date; the clock by default).
 * Pass the body exactly as received, before any JSON parsing. Comparisons are constant-time.
 */
export function verifyStorefrontSignature(
  header: string | string[] | undefined | null,
  rawBody: string | Uint8Array,
  secret: string | readonly string[],
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
  now: number | Date = Date.now(),
): boolean {
  const text = Array.isArray(header) ? header.join(",") : header;
  if (typeof text !== "string" || !text) return false;
  const parsed = parseStorefrontSignature(text);
  if (!parsed) return false;
  const nowSeconds = Math.floor((typeof now === "number" ? now : now.getTime()) / 1000);
  if (!(toleranceSeconds >= 0) || Math.abs(nowSeconds - parsed.timestamp) > toleranceSeconds) return false;
  const secrets = (typeof secret === "string" ? [secret] : secret).filter((s) => typeof s === "string" && s.length > 0);
  let ok = false;
  for (const s of secrets) {
    const expected = Buffer.from(storefrontSignature(s, parsed.timestamp, rawBody), "utf8");
    // Every candidate is compared (no early exit) so timing says nothing about which one matched.
    for (const candidate of parsed.signatures) ok = timingSafeEqual(expected, Buffer.from(candidate, "utf8")) || ok;
  }
  return ok;
}
