export { XpressPayConnector, STATUS_MAP as XPRESS_PAY_STATUS_MAP, type XpressPayConfig } from "./connector";
