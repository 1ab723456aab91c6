import { Money, hmacSha256Hex, type CallbackInput } from "@xpay-connect/core";
import { XPAY_PK_WEBHOOK_SECRET } from "@xpay-connect/sandbox";
import type { ConformanceCase } from "../case";

/** The callback with a new body, re-signed with the test merchant's real webhook secret (a forger holding the secret). */
const resigned = (callback: CallbackInput, body: Record<string, unknown>): CallbackInput => {
  const rawBody = JSON.stringify(body);
  const headers = Object.fromEntries(Object.entries(callback.headers ?? {}).filter(([k]) => k.toLowerCase() !== "x-signature"));
  return { ...callback, rawBody, headers: { ...headers, "x-signature": hmacSha256Hex(XPAY_PK_WEBHOOK_SECRET, rawBody) } };
};

/** XPay (PK): HMAC-signed webhooks to one dashboard URL; the per-payment token rides in the intent's metadata; create is not idempotent. */
export const xpayPkCase: ConformanceCase = {
  gateway: "xpay-pk",
  flow: "pay_in",
  request: (merchantRef, callback) => ({
    merchantRef,
    amount: Money.parse("1500", "PKR"),
    method: "card",
    customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" },
    callbackUrl: callback.url,
    callbackToken: callback.token,
    returnUrl: "https://shop.example/return",
  }),
  createOperation: "createIntent",
  declinedStatus: "failed",
  canceledStatus: "canceled",
  idempotentCreate: false,
  withAmount: (callback, body) => resigned(callback, { ...body, amount: 100 }),
  withMerchantRef: (callback, body, merchantRef) =>
    resigned(callback, { ...body, metadata: { ...(body.metadata as Record<string, unknown> | undefined), order_reference: merchantRef } }),
  withBadSignature: (callback) => ({
    ...callback,
    headers: { ...Object.fromEntries(Object.entries(callback.headers ?? {}).filter(([k]) => k.toLowerCase() !== "x-signature")), "x-signature": "0".repeat(64) },
  }),
};
