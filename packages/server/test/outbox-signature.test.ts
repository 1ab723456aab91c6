/**
 * verifyStorefrontSignature, the check storefronts (and our adapters) run on every delivery:
 * Stripe's scheme, HMAC-SHA256 over "t.body", several v1 values during a rotation, 5-minute tolerance.
 */
import { createHmac } from "node:crypto";
import { parseStorefrontSignature, signStorefrontPayload, verifyStorefrontSignature } from "../src/outbox/signature";
import { verifyStorefrontSignature as fromPackage } from "../src";

const SECRET = "whsec_test_secret_for_unit_tests_only_0123456789";
const OTHER = "whsec_another_secret_for_unit_tests_9876543210";
const BODY = '{"id":"evt_1","type":"payment.succeeded","data":{"id":"pay_1","amount":"1500.00"}}';
const T = 1_760_000_000;
const NOW = T * 1000;

/** The scheme written out by hand, independent of the code under test. */
function hand(secret: string, t: number, body: string): string {
  return createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
}

describe("verifyStorefrontSignature", () => {
  it("accepts a good signature (and is the one the package exports)", () => {
    const header = `t=${T},v1=${hand(SECRET, T, BODY)}`;
    expect(signStorefrontPayload(BODY, [SECRET], T)).toBe(header);
    expect(verifyStorefrontSignature(header, BODY, SECRET, 300, NOW)).toBe(true);
    expect(fromPackage(header, Buffer.from(BODY), SECRET, 300, new Date(NOW))).toBe(true);
  });

  it("refuses a tampered body", () => {
    const header = signStorefrontPayload(BODY, [SECRET], T);
    expect(verifyStorefrontSignature(header, BODY.replace("1500.00", "1.00"), SECRET, 300, NOW)).toBe(false);
    expect(verifyStorefrontSignature(header, `${BODY} `, SECRET, 300, NOW)).toBe(false);
  });

  it("refuses the wrong secret, and a signature moved to another timestamp", () => {
    const header = signStorefrontPayload(BODY, [SECRET], T);
    expect(verifyStorefrontSignature(header, BODY, OTHER, 300, NOW)).toBe(false);
    expect(verifyStorefrontSignature(header.replace(`t=${T}`, `t=${T + 1}`), BODY, SECRET, 300, NOW)).toBe(false);
  });

  it("refuses a stale or future timestamp outside the tolerance, accepts one inside", () => {
    const header = signStorefrontPayload(BODY, [SECRET], T);
    expect(verifyStorefrontSignature(header, BODY, SECRET, 300, NOW + 300_000)).toBe(true);
    expect(verifyStorefrontSignature(header, BODY, SECRET, 300, NOW + 301_000)).toBe(false);
    expect(verifyStorefrontSignature(header, BODY, SECRET, 300, NOW - 301_000)).toBe(false);
    expect(verifyStorefrontSignature(header, BODY, SECRET, undefined, NOW + 299_000)).toBe(true);
    expect(verifyStorefrontSignature(header, BODY, SECRET, 3600, NOW + 3_000_000)).toBe(true);
    // The default clock is now: a signature made years ago is stale.
    expect(verifyStorefrontSignature(signStorefrontPayload(BODY, [SECRET], 1_000_000_000), BODY, SECRET)).toBe(false);
    expect(verifyStorefrontSignature(signStorefrontPayload(BODY, [SECRET], Math.floor(Date.now() / 1000)), BODY, SECRET)).toBe(true);
  });

  it("accepts any of several v1 values (rotation) and any of several secrets", () => {
    const header = signStorefrontPayload(BODY, [SECRET, OTHER], T);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifyStorefrontSignature(header, BODY, SECRET, 300, NOW)).toBe(true);
    expect(verifyStorefrontSignature(header, BODY, OTHER, 300, NOW)).toBe(true);
    expect(verifyStorefrontSignature(header, BODY, "whsec_third", 300, NOW)).toBe(false);
    const onlyNew = signStorefrontPayload(BODY, [OTHER], T);
    expect(verifyStorefrontSignature(onlyNew, BODY, [SECRET, OTHER], 300, NOW)).toBe(true);
    expect(verifyStorefrontSignature(onlyNew, BODY, [SECRET], 300, NOW)).toBe(false);
    // Unknown schemes and a bad value next to a good one are ignored, the good one still counts.
    expect(verifyStorefrontSignature(`t=${T},v0=abc,v1=${"0".repeat(64)},v1=${hand(SECRET, T, BODY)}`, BODY, SECRET, 300, NOW)).toBe(true);
  });

  it("refuses malformed headers", () => {
    const good = hand(SECRET, T, BODY);
    for (const header of [undefined, null, "", "garbage", `v1=${good}`, `t=${T}`, `t=abc,v1=${good}`, `t=${T},t=${T},v1=${good}`, `t=${T},v1=${good.slice(0, 63)}`, `t=${T},v1=${good}x`]) {
      expect(verifyStorefrontSignature(header, BODY, SECRET, 300, NOW)).toBe(false);
    }
    expect(verifyStorefrontSignature(`t=${T},v1=${good}`, BODY, "", 300, NOW)).toBe(false);
    expect(verifyStorefrontSignature(`t=${T},v1=${good}`, BODY, [], 300, NOW)).toBe(false);
    expect(parseStorefrontSignature(` t=${T} , v1=${good.toUpperCase()} `)).toEqual({ timestamp: T, signatures: [good] });
  });
});
