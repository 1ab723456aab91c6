import { Money, XpayPkConnector, hmacSha256Hex, type CallbackInput } from "@xpay-connect/core";
import { SANDBOX_GATEWAYS, XPAY_PK_WEBHOOK_SECRET } from "@xpay-connect/sandbox";
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
  connector: (baseUrl, timeoutMs) => new XpayPkConnector({ ...SANDBOX_GATEWAYS["xpay-pk"].testAccount(baseUrl), timeoutMs }),
  request: (merchantRef, callback) => ({
    merchantRef,
    amount: Money.parse("1500", "PKR"),
    method: "card",
    customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" },
    callbackUrl: callback.url,
    callbackToken: callback.token,
    returnUrl: "https://shop.example/return",
  }),
  callbackUrl: "dashboard",
  setup: async (sandboxUrl, dashboardCallbackUrl) => {
    const res = await fetch(`${sandboxUrl}/_sandbox/xpay-pk/settings`, {
      method: "POST",
      body: JSON.stringify(SANDBOX_GATEWAYS["xpay-pk"].dashboardSettings(dashboardCallbackUrl)),
      headers: { "content-type": "application/json" },
    });
    if (res.status !== 200) throw new Error(`xpay-pk sandbox refused the webhook URL: HTTP ${res.status} ${await res.text()}`);
  },
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
