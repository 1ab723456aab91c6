/**
 * The mutation queue's decisions and the session outcome table, as pure functions: what Shopify's
 * answers mean (accepted, retried, final) and which mutation a payment's status calls for.
 * The queue's durable behaviour (restart, THROTTLED, uninstall) is tested against the emulator in sessions*.test.ts.
 */
import { judge } from "../src/mutations/queue";
import { NOT_YET_RECEIVED, retryDelaySeconds, RETRY_SCHEDULE_SECONDS } from "../src/mutations/operations";
import { PENDING_LIMIT_MS, nextStep } from "../src/events/outcome";

const EARLY = "Payment session has already been resolved with a different authentication, has already been rejected, or the response to start_payment_session request has not been received.";

describe("judge: what Shopify's answer means for a queued mutation", () => {
  it("accepts a payload without userErrors", () => {
    expect(judge({ payload: { paymentSession: { id: "gid://shopify/PaymentSession/1" }, userErrors: [] }, errorCodes: [] })).toEqual({ kind: "accepted" });
  });
  it("retries Shopify's exact 'not yet received' userError", () => {
    expect(EARLY).toContain(NOT_YET_RECEIVED);
    expect(judge({ payload: { paymentSession: null, userErrors: [{ field: ["id"], message: EARLY }] }, errorCodes: [] }).kind).toBe("retry");
  });
  it("treats any other userError as final", () => {
    const verdict = judge({ payload: { refundSession: null, userErrors: [{ field: ["id"], message: "not found", code: "REFUND_SESSION_NOT_FOUND" }] }, errorCodes: [] });
    expect(verdict).toEqual({ kind: "final", reason: "userErrors: REFUND_SESSION_NOT_FOUND: not found" });
  });
  it("retries THROTTLED, no answer, a refused token and 5xx", () => {
    expect(judge({ httpStatus: 200, errorCodes: ["THROTTLED"] }).kind).toBe("retry");
    expect(judge({ httpStatus: 0, errorCodes: [], error: "ECONNREFUSED" }).kind).toBe("retry");
    expect(judge({ httpStatus: 401, errorCodes: [] }).kind).toBe("retry");
    expect(judge({ httpStatus: 503, errorCodes: [] }).kind).toBe("retry");
  });
  it("does not retry a document Shopify refuses as invalid", () => {
    expect(judge({ httpStatus: 200, errorCodes: ['Cannot query field "status" on type "PaymentSession".'] }).kind).toBe("final");
  });
});

it("backs off: quick first retries, then up to an hour, scaled for tests", () => {
  expect(retryDelaySeconds(1)).toBe(RETRY_SCHEDULE_SECONDS[0]);
  expect(retryDelaySeconds(3)).toBeGreaterThan(retryDelaySeconds(2));
  expect(retryDelaySeconds(100)).toBe(3600);
  expect(retryDelaySeconds(1, 0.01)).toBeCloseTo(0.005);
});

describe("nextStep: the payment's status decides the session's mutation", () => {
  const open = { method: "card", outcome: null };
  const now = Date.parse("2026-11-29T10:00:00Z");
  it("resolves a succeeded payment and leaves a decided session alone", () => {
    expect(nextStep(open, { id: "pay_1", status: "succeeded" }, false, now)).toEqual({ kind: "resolve" });
    expect(nextStep({ method: "card", outcome: "resolve" }, { id: "pay_1", status: "failed" }, false, now)).toEqual({ kind: "none" });
  });
  it("rejects a declined card as CARD_DECLINED, a wallet as INSTRUMENT_DECLINED, insufficient funds as such", () => {
    expect(nextStep(open, { id: "p", status: "failed", gateway_status: "DECLINED" }, false, now)).toMatchObject({ kind: "reject", code: "CARD_DECLINED" });
    expect(nextStep({ method: "easypaisa", outcome: null }, { id: "p", status: "failed" }, false, now)).toMatchObject({ kind: "reject", code: "INSTRUMENT_DECLINED" });
    expect(nextStep(open, { id: "p", status: "failed", gateway_status: "INSUFFICIENT_FUNDS" }, false, now)).toMatchObject({ kind: "reject", code: "INSUFFICIENT_FUNDS" });
  });
  it("sends a buyer who cancelled on the gateway's page back to cancel_url without a reject; rejects once the session was pending", () => {
    expect(nextStep(open, { id: "p", status: "canceled" }, false, now)).toEqual({ kind: "buyer_cancelled" });
    expect(nextStep(open, { id: "p", status: "canceled" }, true, now)).toMatchObject({ kind: "reject", code: "CANCELLED_PAYMENT" });
    expect(nextStep(open, { id: "p", status: "expired" }, true, now)).toMatchObject({ kind: "reject", code: "CANCELLED_PAYMENT" });
  });
  it("pends an open kiosk bill or QR until the payment expires, never beyond three days", () => {
    const soon = new Date(now + 3_600_000).toISOString();
    expect(nextStep({ method: "kiosk", outcome: null }, { id: "p", status: "requires_action", next_action: { type: "kiosk", billReference: "123" }, expires_at: soon }, false, now)).toEqual({
      kind: "pending",
      pendingExpiresAt: "2026-11-29T11:00:00Z",
    });
    const late = new Date(now + 10 * 86_400_000).toISOString();
    const step = nextStep({ method: "qr", outcome: null }, { id: "p", status: "requires_action", next_action: { type: "qr", url: "u", qrData: "q" }, expires_at: late }, false, now);
    expect(step.kind === "pending" && Date.parse(step.pendingExpiresAt) - now).toBeLessThanOrEqual(PENDING_LIMIT_MS);
    // A redirect page is not a pending session: the buyer is on it.
    expect(nextStep(open, { id: "p", status: "requires_action", next_action: { type: "redirect", url: "u" } }, false, now)).toEqual({ kind: "none" });
  });
});
