/** What each extension handle sells through: the gateway and the pay-in method the service creates. */
export const HANDLE_GATEWAYS = {
  "xpress-pay": { gateway: "xpress-pay", method: "easypaisa" },
  "xpay-pk": { gateway: "xpay-pk", method: "card" },
  "xpay-eg": { gateway: "xpay-eg", method: "card" },
  "xpay-kg": { gateway: "xpay-kg", method: "qr" },
} as const satisfies Record<string, { gateway: string; method: string }>;

/** An extension handle the app serves. */
export type Handle = keyof typeof HANDLE_GATEWAYS;

/** Whether `handle` is one of the app's extensions. */
export function isHandle(handle: string): handle is Handle {
  return Object.hasOwn(HANDLE_GATEWAYS, handle);
}

/** Gateways whose payments are captured when paid: a capture session resolves at once. */
export const CAPTURED_ON_PAYMENT = new Set(["xpress-pay", "xpay-pk", "xpay-eg", "xpay-kg"]);
