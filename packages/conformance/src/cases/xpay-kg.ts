import { Money, xpayKgUuid, type CallbackInput } from "@xpay-connect/core";
import type { ConformanceCase } from "../case";

const json = (callback: CallbackInput, body: Record<string, unknown>): CallbackInput => ({ ...callback, rawBody: JSON.stringify(body) });

/** xPay QR: unsigned callbacks, per-request callback_url, idempotent on the uuid derived from merchantRef. */
export const xpayKgCase: ConformanceCase = {
  gateway: "xpay-kg",
  flow: "pay_in",
  request: (merchantRef, callback) => ({
    merchantRef,
    amount: Money.parse("1000", "KGS"),
    method: "qr",
    customer: { name: "Aibek Asanov" },
    callbackUrl: callback.url,
    returnUrl: "https://shop.example/return",
    description: "Payment comment",
  }),
  createOperation: "qrCreate",
  declinedStatus: "failed",
  canceledStatus: "canceled",
  idempotentCreate: true,
  withAmount: (callback, body) => json(callback, { ...body, request_amount: "1.00000000", amount: "1.00000000" }),
  // A careful forger also recomputes the uuid: only the gateway's own answer can tell.
  withMerchantRef: (callback, body, merchantRef) => json(callback, { ...body, payer_id: merchantRef, transaction_uuid: xpayKgUuid(merchantRef) }),
};
