export { PayProConnector, STATUS_MAP as PAYPRO_STATUS_MAP } from "./connector";
export { payPro, type PayProConfig } from "./gateway";
export { sign as signPayPro, BANKS as PAYPRO_BANKS, WALLETS as PAYPRO_WALLETS } from "./wire";
