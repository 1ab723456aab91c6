import { Money, signPayPro, type CallbackInput } from "@xpay-connect/core";
import { PAYPRO_APP_SECRET } from "@xpay-connect/sandbox";
import type { ConformanceCase } from "../case";

/** The notification body re-signed with the test merchant's real app secret: only the integrity check can catch the edit. */
const resigned = (callback: CallbackInput, body: Record<string, unknown>): CallbackInput => {
  const { sign: _sign, ...fields } = body;
  return { ...callback, rawBody: JSON.stringify({ ...fields, sign: signPayPro(fields, PAYPRO_APP_SECRET) }) };
};

/**
 * Each payout of the suite gets its own amount (1500, 1501, ...), the same every time its reference is
 * asked for, so a real notification moved onto another payout fails the amount check.
 */
const amounts = new Map<string, Money>();
const amountFor = (merchantRef: string): Money => {
  const known = amounts.get(merchantRef);
  if (known) return known;
  const amount = Money.parse(String(1500 + amounts.size), "PKR");
  amounts.set(merchantRef, amount);
  return amount;
};

/** PayPro: payouts only, MD5-signed notifications, per-request notifyUrl, idempotent on tradeNo. */
export const payProCase: ConformanceCase = {
  gateway: "paypro",
  flow: "payout",
  request: (merchantRef, callback) => ({
    merchantRef,
    amount: amountFor(merchantRef),
    method: "bank",
    recipient: {
      name: "Jane Doe",
      mobile: "03115112345",
      email: "jane.doe@example.com",
      nationalId: "17301-2345678-9",
      bankCode: "ALLIED_BANK_LIMITED",
      accountNumber: "9876543210",
    },
    callbackUrl: callback.url,
    remark: "Conformance payout",
  }),
  createOperation: "payout",
  declinedStatus: "failed",
  canceledStatus: "failed",
  idempotentCreate: true,
  withAmount: (callback, body) => resigned(callback, { ...body, amount: "1" }),
  withMerchantRef: (callback, body, merchantRef) => resigned(callback, { ...body, tradeNo: merchantRef }),
  withBadSignature: (callback) => {
    const body = JSON.parse(String(callback.rawBody)) as Record<string, unknown>;
    const sign = String(body.sign);
    return { ...callback, rawBody: JSON.stringify({ ...body, sign: (sign[0] === "0" ? "1" : "0") + sign.slice(1) }) };
  },
};
