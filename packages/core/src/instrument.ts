import type { Capabilities, PayInMethod } from "./connector";

/**
 * What a shopper is handed to pay with, which decides how long a pay-in stays payable:
 * "page" a redirect or card page, "bill" a kiosk or Fawry bill reference paid in cash later,
 * "qr" a QR code scanned with a banking app.
 */
export type PayInInstrumentKind = "page" | "bill" | "qr";

/** A method's instrument and, when the gateway says (or we assume, see its docs page), how long it stays payable. */
export interface PayInInstrument {
  readonly kind: PayInInstrumentKind;
  /** Milliseconds from creation during which the gateway takes payment; absent when the gateway does not say. */
  readonly payableForMs?: number;
}

/** The instrument of a pay-in method as its gateway declares it; a method the gateway does not list is a page. */
export function payInInstrument(capabilities: Pick<Capabilities, "payInInstruments">, method: PayInMethod): PayInInstrument {
  return capabilities.payInInstruments?.[method] ?? { kind: "page" };
}
