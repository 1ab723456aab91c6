/** Every gateway emulator: one line per gateway folder (each folder's index exports its emulator definition). */
export { xpressPay } from "./xpress-pay";
export { payPro } from "./paypro";
export { xpayPk } from "./xpay-pk";
export { xpayEg } from "./xpay-eg";
export { xpayKg } from "./xpay-kg";
