import { Money, XPAY_EG_MERCHANT_REF_LABEL, type CallbackInput } from "@xpay-connect/core";
import type { ConformanceCase } from "../case";

const json = (callback: CallbackInput, body: Record<string, unknown>): CallbackInput => ({ ...callback, rawBody: JSON.stringify(body) });

/**
 * XPay EG: unsigned callbacks to one dashboard URL, the token and merchant reference echoed as custom
 * fields, verified by transaction lookup; no merchant reference on the wire, so a retry is a new transaction.
 */
export const xpayEgCase: ConformanceCase = {
  gateway: "xpay-eg",
  flow: "pay_in",
  request: (merchantRef, callback) => ({
    merchantRef,
    amount: Money.parse("1500", "EGP"),
    method: "card",
    customer: { name: "Islam Rostom", email: "irostom@xpay.app", phone: "+201119045759" },
    callbackUrl: callback.url,
    callbackToken: callback.token,
  }),
  createOperation: "payVariableAmount",
  declinedStatus: "failed",
  // XPay knows SUCCESSFUL and FAILED only: a shopper's cancel is a FAILED transaction.
  canceledStatus: "failed",
  idempotentCreate: false,
  withAmount: (callback, body) => json(callback, { ...body, total_amount: 1, total_amount_piasters: 100 }),
  withMerchantRef: (callback, body, merchantRef) => json(callback, { ...body, [XPAY_EG_MERCHANT_REF_LABEL]: merchantRef }),
};
