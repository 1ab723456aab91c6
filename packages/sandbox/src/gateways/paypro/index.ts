import { defineEmulator } from "../../emulator";
import { PAYPRO_APP_SECRET, PAYPRO_MERCHANT_NO } from "./merchant";
import { payProRoutes } from "./routes";

export { PAYPRO_MERCHANT_NO, PAYPRO_APP_SECRET, PAYPRO_START_BALANCE, PAYPRO_TEST_ACCOUNTS } from "./merchant";
export { PAYPRO_RETRY_DELAYS_MS } from "./state";
export { PAYPRO_ERRORS } from "./validation";
export { payProSign } from "./sign";

/** PayPro (PK): MD5-signed payouts to banks and wallets, payout query, balance; callback URL per request. */
export const payPro = defineEmulator({
  id: "paypro",
  spec: "001_5d68cbd7d8179910.txt",
  testAccount: (gatewayUrl: string) => ({ baseUrl: gatewayUrl, merchantNo: PAYPRO_MERCHANT_NO, appSecret: PAYPRO_APP_SECRET }),
  create: payProRoutes,
});
