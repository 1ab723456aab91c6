import type { Emulator, EmulatorContext } from "../emulator";
import { createXpressPayEmulator } from "./xpress-pay/emulator";
import { createPayProEmulator } from "./paypro/emulator";
import { createXpayPkEmulator } from "./xpay-pk/emulator";
import { createXpayEgEmulator } from "./xpay-eg/emulator";
import { createXpayKgEmulator } from "./xpay-kg/emulator";

/** One emulator per gateway, in the order of the spec files. */
export function createEmulators(ctx: EmulatorContext): Emulator[] {
  return [createXpressPayEmulator(ctx), createPayProEmulator(ctx), createXpayPkEmulator(ctx), createXpayEgEmulator(ctx), createXpayKgEmulator(ctx)];
}
