// Every connector folder, one line each: its connector class, its types and its gateway definition.
// The registry collects the definitions from here; adding a gateway adds its line.
export * from "./xpress-pay";
export * from "./paypro";
export * from "./xpay-pk";
export * from "./xpay-eg";
export * from "./xpay-kg";
