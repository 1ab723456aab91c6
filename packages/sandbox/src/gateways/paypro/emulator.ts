// PLACEHOLDER: replaced by the paypro emulator (helper task).
import type { Emulator, EmulatorContext } from "../../emulator";
import { json } from "../../http";
export function createPayProEmulator(_ctx: EmulatorContext): Emulator {
  return { id: "paypro", credentials: {}, register() {}, act: () => json(501, {}), orders: () => [], reset() {} };
}
