export { XpressPayConnector, STATUS_MAP as XPRESS_PAY_STATUS_MAP } from "./connector";
export { xpressPay, type XpressPayConfig } from "./gateway";
