import { Money, XpayKgConnector, xpayKgUuid, type CallbackInput } from "@xpay-connect/core";
import { SANDBOX_GATEWAYS } from "@xpay-connect/sandbox";
import type { ConformanceCase } from "../case";

const json = (callback: CallbackInput, body: Record<string, unknown>): CallbackInput => ({ ...callback, rawBody: JSON.stringify(body) });

/** xPay QR: unsigned callbacks, per-request callback_url, idempotent on the uuid derived from merchantRef. */
export const xpayKgCase: ConformanceCase = {
  gateway: "xpay-kg",
  flow: "pay_in",
  connector: (baseUrl, timeoutMs) =>
    new XpayKgConnector({ ...SANDBOX_GATEWAYS["xpay-kg"].testAccount(baseUrl), timeoutMs, serviceId: "1", serviceName: "MyService" }),
  request: (merchantRef, callback) => ({
    merchantRef,
    amount: Money.parse("1000", "KGS"),
    method: "qr",
    customer: { name: "Aibek Asanov" },
    callbackUrl: callback.url,
    returnUrl: "https://shop.example/return",
    description: "Payment comment",
  }),
  callbackUrl: "per_request",
  createOperation: "qrCreate",
  declinedStatus: "failed",
  canceledStatus: "canceled",
  idempotentCreate: true,
  withAmount: (callback, body) => json(callback, { ...body, request_amount: "1.00000000", amount: "1.00000000" }),
  // A careful forger also recomputes the uuid: only the gateway's own answer can tell.
  withMerchantRef: (callback, body, merchantRef) => json(callback, { ...body, payer_id: merchantRef, transaction_uuid: xpayKgUuid(merchantRef) }),
};
