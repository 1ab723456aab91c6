/**
 * @xpay-connect/sandbox: faithful local emulators of the five gateways.
 *
 *   const sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
 *   // point a connector at `${sandbox.url}/xpress-pay`, then approve like a shopper:
 *   await fetch(`${sandbox.url}/_sandbox/xpress-pay/orders/ORDER-1/approve`, { method: "POST" });
 */
export { startSandbox, type ReceivedRequest, type SandboxHandle, type SandboxOptions } from "./sandbox";
export type { CallbackMode, DeliveryRecord } from "./callbacks";
export type { Fault } from "./faults";
export type { Emulator, EmulatorDefinition, OrderAction } from "./emulator";
export { ShopifyEmulator, paymentsAppsSchema, PAYMENTS_APPS_API_VERSION } from "./shopify";
export { SANDBOX_GATEWAYS, type SandboxGateway, type SandboxGatewayId } from "./registry";
export { XPRESS_PAY_APP_ID } from "./gateways/xpress-pay";
export { XPAY_KG_CLIENT_ID, XPAY_KG_CLIENT_SECRET } from "./gateways/xpay-kg";
export {
  XPAY_PK_API_KEY,
  XPAY_PK_ACCOUNT_ID,
  XPAY_PK_HMAC_SECRET,
  XPAY_PK_WEBHOOK_SECRET,
  XPAY_PK_TEST_CARDS,
  XPAY_PK_TEST_OTP,
} from "./gateways/xpay-pk";
export { XPAY_EG_API_KEY, XPAY_EG_COMMUNITY_ID, XPAY_EG_VARIABLE_AMOUNT_ID, XPAY_EG_COMMUNITIES, XPAY_EG_TEST_CARDS } from "./gateways/xpay-eg";
export { PAYPRO_MERCHANT_NO, PAYPRO_APP_SECRET, PAYPRO_TEST_ACCOUNTS, PAYPRO_START_BALANCE, PAYPRO_ERRORS } from "./gateways/paypro";
