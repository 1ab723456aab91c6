import { Money, type CallbackInput } from "@xpay-connect/core";
import type { ConformanceCase } from "../case";

const json = (callback: CallbackInput, body: Record<string, unknown>): CallbackInput => ({ ...callback, rawBody: JSON.stringify(body) });

/** Xpress Pay: unsigned callbacks, per-request notifyUrl, idempotent on merOrderNo. */
export const xpressPayCase: ConformanceCase = {
  gateway: "xpress-pay",
  flow: "pay_in",
  request: (merchantRef, callback) => ({
    merchantRef,
    amount: Money.parse("1500", "PKR"),
    method: "easypaisa",
    customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" },
    callbackUrl: callback.url,
    returnUrl: "https://shop.example/return",
  }),
  createOperation: "payInCreate",
  declinedStatus: "failed",
  canceledStatus: "failed",
  idempotentCreate: true,
  withAmount: (callback, body) => json(callback, { ...body, amount: "1.00" }),
  withMerchantRef: (callback, body, merchantRef) => json(callback, { ...body, merOrderNo: merchantRef }),
};
