// PLACEHOLDER: replaced by the xpay-eg emulator (helper task).
import type { Emulator, EmulatorContext } from "../../emulator";
import { json } from "../../http";
export function createXpayEgEmulator(_ctx: EmulatorContext): Emulator {
  return { id: "xpay-eg", credentials: {}, register() {}, act: () => json(501, {}), orders: () => [], reset() {} };
}
