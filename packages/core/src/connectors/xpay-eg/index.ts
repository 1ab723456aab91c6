export {
  XpayEgConnector,
  STATUS_MAP as XPAY_EG_STATUS_MAP,
  type XpayEgCustomField,
  type XpayEgPayInOptions,
  type XpayEgRecurring,
  type XpayEgRedirect,
} from "./connector";
export {
  MERCHANT_REF_LABEL as XPAY_EG_MERCHANT_REF_LABEL,
  CALLBACK_TOKEN_LABEL as XPAY_EG_CALLBACK_TOKEN_LABEL,
  PAY_USING as XPAY_EG_PAY_USING,
} from "./wire";
export { xpayEg, type XpayEgConfig } from "./gateway";
