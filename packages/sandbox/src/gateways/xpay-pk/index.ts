import { defineEmulator } from "../../emulator";
import { XPAY_PK_ACCOUNT_ID, XPAY_PK_API_KEY, XPAY_PK_HMAC_SECRET, XPAY_PK_WEBHOOK_SECRET } from "./merchant";
import { xpayPkRoutes } from "./routes";

export { XPAY_PK_API_KEY, XPAY_PK_ACCOUNT_ID, XPAY_PK_HMAC_SECRET, XPAY_PK_WEBHOOK_SECRET, XPAY_PK_TEST_CARDS, XPAY_PK_TEST_OTP } from "./merchant";
export { XPAY_PK_WEBHOOK_RETRY_DELAYS_MS } from "./state";

/** XPay (PK): card payment intents with 3-D Secure, capture and saved cards; HMAC-signed webhooks to a dashboard URL. */
export const xpayPk = defineEmulator({
  id: "xpay-pk",
  spec: "002_b193c00cbe800968.txt",
  testAccount: (gatewayUrl: string) => ({
    baseUrl: gatewayUrl,
    apiKey: XPAY_PK_API_KEY,
    accountId: XPAY_PK_ACCOUNT_ID,
    hmacSecret: XPAY_PK_HMAC_SECRET,
    webhookSecret: XPAY_PK_WEBHOOK_SECRET,
  }),
  dashboardSettings: (callbackUrl: string) => ({ webhookUrl: callbackUrl }),
  create: xpayPkRoutes,
});
