import { defineEmulator } from "../../emulator";
import { XPAY_EG_API_KEY, XPAY_EG_COMMUNITY_ID, XPAY_EG_VARIABLE_AMOUNT_ID } from "./merchant";
import { xpayEgRoutes } from "./routes";

export { XPAY_EG_API_KEY, XPAY_EG_COMMUNITY_ID, XPAY_EG_VARIABLE_AMOUNT_ID, XPAY_EG_COMMUNITIES, XPAY_EG_TEST_CARDS } from "./merchant";
export { XPAY_EG_RETRY_DELAYS_MS } from "./state";

/** XPay (EG): variable-amount payments by card, kiosk, Fawry, wallets and valU; callbacks to the community's dashboard URL. */
export const xpayEg = defineEmulator({
  id: "xpay-eg",
  spec: "003_a29c0290dc1c7f13.txt",
  testAccount: (gatewayUrl: string) => ({ baseUrl: gatewayUrl, apiKey: XPAY_EG_API_KEY, communityId: XPAY_EG_COMMUNITY_ID, variableAmountId: XPAY_EG_VARIABLE_AMOUNT_ID }),
  dashboardSettings: (callbackUrl: string) => ({ callbackUrl }),
  create: xpayEgRoutes,
});
