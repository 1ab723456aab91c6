// PLACEHOLDER: replaced by the xpay-pk emulator (helper task).
import type { Emulator, EmulatorContext } from "../../emulator";
import { json } from "../../http";
export function createXpayPkEmulator(_ctx: EmulatorContext): Emulator {
  return { id: "xpay-pk", credentials: {}, register() {}, act: () => json(501, {}), orders: () => [], reset() {} };
}
