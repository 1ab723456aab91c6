// Every connector's conformance case, one line per gateway; src/registry.ts collects them.
export { xpressPayCase } from "./xpress-pay";
export { payProCase } from "./paypro";
export { xpayPkCase } from "./xpay-pk";
export { xpayEgCase } from "./xpay-eg";
export { xpayKgCase } from "./xpay-kg";
