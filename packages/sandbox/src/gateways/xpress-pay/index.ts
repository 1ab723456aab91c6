import { defineEmulator } from "../../emulator";
import { XPRESS_PAY_APP_ID } from "./merchant";
import { xpressPayRoutes } from "./routes";

export { XPRESS_PAY_APP_ID } from "./merchant";

/** Xpress Pay (PK): EasyPaisa/JazzCash pay-ins, payouts, queries, balance; callback URL per request. */
export const xpressPay = defineEmulator({
  id: "xpress-pay",
  spec: "000_64f404967d27e95a.txt",
  testAccount: (gatewayUrl: string) => ({ baseUrl: gatewayUrl, appId: XPRESS_PAY_APP_ID }),
  create: xpressPayRoutes,
});
