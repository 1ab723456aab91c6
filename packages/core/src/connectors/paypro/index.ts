export { PayProConnector, STATUS_MAP as PAYPRO_STATUS_MAP, type PayProConfig } from "./connector";
export { sign as signPayPro, BANKS as PAYPRO_BANKS, WALLETS as PAYPRO_WALLETS } from "./wire";
