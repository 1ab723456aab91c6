// PLACEHOLDER: replaced by the xpay-kg emulator (helper task).
import type { Emulator, EmulatorContext } from "../../emulator";
import { json } from "../../http";
export function createXpayKgEmulator(_ctx: EmulatorContext): Emulator {
  return { id: "xpay-kg", credentials: {}, register() {}, act: () => json(501, {}), orders: () => [], reset() {} };
}
