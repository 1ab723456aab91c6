export {
  XpayKgConnector,
  STATUS_MAP as XPAY_KG_STATUS_MAP,
  type XpayKgStaticQrRequest,
  type XpayKgQr,
  type XpayKgQrStatus,
  type XpayKgCheck,
} from "./connector";
export { uuidFor as xpayKgUuid } from "./wire";
export { xpayKg, type XpayKgConfig } from "./gateway";
