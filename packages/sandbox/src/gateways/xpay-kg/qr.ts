import { createHash } from "node:crypto";
import { escapeHtml } from "../../pages";

/** One EMV-style TLV field: two-digit tag, two-digit length, value. */
function tlv(tag: string, value: string): string {
  return `${tag}${String(value.length).padStart(2, "0")}${value}`;
}

/**
 * The checksum xPay puts in tag 63: the last 4 hex digits of SHA-256 over the payload before
 * "6304" (it reproduces the spec's example, where CRC-16 does not).
 */
export function emvChecksum(payloadBeforeTag63: string): string {
  return createHash("sha256").update(payloadBeforeTag63).digest("hex").slice(-4);
}

/** What a QR payload names. */
export interface QrPayloadFields {
  type: "dynamic" | "static";
  /** The QR's `identificator` (tag 33/00). */
  identificator: string;
  /** The merchant's 14-digit account at xPay (tag 32/10). */
  account: string;
  /** At most 25 characters (tag 59). */
  merchantName: string;
}

/**
 * The EMV payload after `#` in a pay.xpay.kg link, laid out like the spec's example: tag 01 is
 * "12" for dynamic and "11" for static QRs (EMV's convention; the spec's dynamic example says "11").
 */
export function emvPayload(fields: QrPayloadFields): string {
  const point = fields.type === "static" ? "11" : "12";
  const account = tlv("00", "ab2b.xpay.kg") + tlv("01", "1") + tlv("10", fields.account) + tlv("12", point);
  const body =
    tlv("00", "01") + tlv("01", point) + tlv("32", account) + tlv("33", tlv("00", fields.identificator)) + tlv("52", "5999") + tlv("53", "417") + tlv("59", fields.merchantName.slice(0, 25));
  return `${body}6304${emvChecksum(body)}`;
}

const CELLS = 25;

/**
 * A QR-looking SVG drawn from the payload's hash: three finder squares and seeded cells. Not
 * scannable; the payload text is shown next to it.
 */
export function qrSvg(payload: string): string {
  const bits: number[] = [];
  for (let round = 0; bits.length < CELLS * CELLS; round++) {
    for (const byte of createHash("sha256").update(`${round}:${payload}`).digest()) {
      for (let i = 7; i >= 0; i--) bits.push((byte >> i) & 1);
    }
  }
  const finder = (x: number, y: number) => {
    const dx = x < 7 ? x : x - (CELLS - 7);
    const dy = y < 7 ? y : y - (CELLS - 7);
    const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
    return ring === 3 || ring <= 1;
  };
  const inFinder = (x: number, y: number) => (x < 7 && y < 7) || (x >= CELLS - 7 && y < 7) || (x < 7 && y >= CELLS - 7);
  const rects: string[] = [];
  for (let y = 0; y < CELLS; y++) {
    for (let x = 0; x < CELLS; x++) {
      const dark = inFinder(x, y) ? finder(x, y) : bits[y * CELLS + x] === 1;
      if (dark) rects.push(`<rect x="${x}" y="${y}" width="1" height="1"/>`);
    }
  }
  return `<svg role="img" aria-label="${escapeHtml("QR code (sandbox, not scannable)")}" viewBox="-2 -2 ${CELLS + 4} ${CELLS + 4}" width="200" height="200" style="background:#fff;border:1px solid #ddd">${rects.join("")}</svg>`;
}
