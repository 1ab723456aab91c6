/** The PayPro spec's own example payloads (spec 001), verbatim, and the public notification shape (anchors.md). */

/**
 * Spec 001, "Example of Request Parameters" (its `sign` is a placeholder, and its email was mangled into
 * "[email protected]" by the page it was copied from: tests that send it use `emailStandIn`).
 */
export const payoutRequest = {
  amount: "5000",
  tradeNo: "order67890",
  name: "Jane Doe",
  customerCert: "1730123456789",
  email: "[email protected]",
  mobile: "3115112345",
  accountType: "BANK",
  bankName: "ALLIED_BANK_LIMITED",
  bankNumber: "9876543210",
  notifyUrl: "https://yourcallbackurl.com/notify",
  remark: "Payment for invoice #1001",
  timestamp: "1730057564",
  sign: "xxxx",
};

/** A valid address standing in for the spec example's mangled email. */
export const emailStandIn = "jane.doe@example.com";

/** Spec 001, "Example of Successful Return". */
export const payoutAnswer = {
  msg: "success",
  code: "0000",
  data: {
    platFormTradeNo: "dxy6779lhk4vofur",
    remark: "Payment for invoice #1001",
    status: "0015",
    desc: "CREATED",
  },
  success: true,
  timestamp: 1731656734898,
};

/**
 * The notification's fields as anchors.md lists them ({status, message, platFormTradeNo, tradeNo,
 * amount, successTime, timestamp, sign}), with the public docs' example values; `sign` is re-made in tests.
 */
export const notification = {
  platFormTradeNo: "5286e98841194687a95d25b5f3be346d",
  tradeNo: "00000020",
  amount: "30000",
  status: "0000",
  message: "SUCCESS",
  successTime: "2024-07-01 18:34:31",
  timestamp: "1724740395968",
  sign: "12222222222",
};

/** The payout query body's shape (anchors.md: tradeNo, timestamp, sign). */
export const payoutQueryRequest = { tradeNo: "PKFORM_out002", timestamp: "1724142308374", sign: "000000000" };

/** The balance answer's shape (anchors.md: availableAmount, freezeAmount, unsettledAmount; `success` as a string). */
export const balanceAnswer = {
  msg: "success",
  code: "0000",
  timestamp: "1719830171485",
  success: "true",
  data: { availableAmount: "125000", freezeAmount: "5000", unsettledAmount: "30000.50" },
};
