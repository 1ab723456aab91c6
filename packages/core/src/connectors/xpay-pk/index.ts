export {
  XpayPkConnector,
  STATUS_MAP as XPAY_PK_STATUS_MAP,
  PAYMENT_STATUS_MAP as XPAY_PK_PAYMENT_STATUS_MAP,
  FAILURES as XPAY_PK_FAILURES,
  type XpayPkIntentRequest,
  type XpayPkIntent,
  type XpayPkIntentRef,
  type XpayPkCard,
  type XpayPkConfirmRequest,
  type XpayPkConfirmation,
  type XpayPkTokenPaymentRequest,
} from "./connector";
export { xpayPk, type XpayPkConfig } from "./gateway";
