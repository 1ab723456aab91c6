import { defineEmulator } from "../../emulator";
import { XPAY_KG_CLIENT_ID, XPAY_KG_CLIENT_SECRET } from "./merchant";
import { xpayKgRoutes } from "./routes";

export { XPAY_KG_CLIENT_ID, XPAY_KG_CLIENT_SECRET } from "./merchant";
export { XPAY_KG_RETRY_DELAYS_MS } from "./state";
export { emvChecksum } from "./qr";

/** xPay QR (KG): bearer-token login, dynamic and static QRs, status, check_url; callback URL per QR. */
export const xpayKg = defineEmulator({
  id: "xpay-kg",
  spec: "004_78c48945796b6b63.txt",
  testAccount: (gatewayUrl: string) => ({ baseUrl: gatewayUrl, clientId: XPAY_KG_CLIENT_ID, clientSecret: XPAY_KG_CLIENT_SECRET }),
  create: xpayKgRoutes,
});
