import { payInInstrument, type Capabilities, type PayInMethod } from "@xpay-connect/core";
import type { ServerConfig } from "../config";

/**
 * How long a new pay-in stays payable before reconciliation may expire it, by what the shopper is
 * handed: a page lasts EXPIRE_AFTER_MS; a kiosk or Fawry bill and a QR code last their configured
 * override (EXPIRE_BILL_AFTER_MS, EXPIRE_QR_AFTER_MS), else the validity their gateway declares,
 * else EXPIRE_AFTER_MS.
 */
export function payInLifetimeMs(
  config: Pick<ServerConfig, "expireAfterMs" | "expireBillAfterMs" | "expireQrAfterMs">,
  capabilities: Pick<Capabilities, "payInInstruments">,
  method: PayInMethod,
): number {
  const instrument = payInInstrument(capabilities, method);
  if (instrument.kind === "page") return config.expireAfterMs;
  const override = instrument.kind === "bill" ? config.expireBillAfterMs : config.expireQrAfterMs;
  return override ?? instrument.payableForMs ?? config.expireAfterMs;
}
