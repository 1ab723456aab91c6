/** The Xpress Pay spec's own example payloads (spec 000), verbatim. */
export const SPEC_APP_ID = "c551c980b045d827f3d910fbdf8c1ddb";

export const payInCreateBody = {
  appId: "c551c980b045d827f3d910fbdf8c1ddb",
  merOrderNo: "PAYIN_ORDER_991823908",
  amount: "1500",
  channel: "EASYPAISA",
  customerMobile: "03001234567",
  customerName: "John Doe",
  customerEmail: "buyer@gmail.com",
  notifyUrl: "https://yourwebsite.com/api/payment-callback",
  returnUrl: "https://yourwebsite.com/payment-result",
};

export const payInCreateResponse = {
  code: 0,
  msg: "success",
  data: { orderNo: "EP918203901", params: { paymentLink: "https://gateway-pakistan.com/checkout/sandbox-demo?merchantId=..." } },
};

export const payoutCreateBody = {
  appId: "c551c980b045d827f3d910fbdf8c1ddb",
  merOrderNo: "PAYOUT_ORDER_1882",
  amount: "1000.00",
  channel: "EASYPAISA",
  recipientMobile: "03112233445",
  recipientName: "Receiver Name",
  recipientEmail: "recipient@gmail.com",
  notifyUrl: "https://yourwebsite.com/api/payout-callback",
};

export const balanceResponse = {
  code: 200,
  data: { currency: "PKR", payinValue: 150000, payoutValue: 130000, disableValue: 10000 },
  msg: "success",
};

export const resultCallback = {
  appId: "c551c980b045d827f3d910fbdf8c1ddb",
  merOrderNo: "PAYIN_ORDER_991823908",
  orderNo: "EP918203901",
  amount: "1500.00",
  currency: "PKR",
  orderStatus: "2",
};

export const recallCallback = {
  appId: "c551c980b045d827f3d910fbdf8c1ddb",
  merOrderNo: "PAYIN_ORDER_991823908",
  orderNo: "EP918203901",
  recallAmount: "1500.00",
  currency: "PKR",
  reason: "Customer dispute / account unauthorized charge",
};
