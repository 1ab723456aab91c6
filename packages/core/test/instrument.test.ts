import { GATEWAY_IDS, gatewayDefinition, payInInstrument } from "../src";

describe("payInInstrument: what each pay-in method hands the shopper, as its gateway declares it", () => {
  it("kiosk and Fawry bills (XPay EG) and QR codes (xPay KG) carry their own validity; other methods are pages", () => {
    const eg = gatewayDefinition("xpay-eg").capabilities;
    expect(payInInstrument(eg, "kiosk")).toEqual({ kind: "bill", payableForMs: 72 * 3600_000 });
    expect(payInInstrument(eg, "fawry")).toEqual({ kind: "bill", payableForMs: 72 * 3600_000 });
    expect(payInInstrument(eg, "card")).toEqual({ kind: "page" });
    expect(payInInstrument(eg, "wallet")).toEqual({ kind: "page" });
    expect(payInInstrument(gatewayDefinition("xpay-kg").capabilities, "qr")).toEqual({ kind: "qr", payableForMs: 30 * 60_000 });
    expect(payInInstrument(gatewayDefinition("xpress-pay").capabilities, "easypaisa")).toEqual({ kind: "page" });
    expect(payInInstrument(gatewayDefinition("xpay-pk").capabilities, "card")).toEqual({ kind: "page" });
  });

  it("declares instruments only for methods the gateway takes, each with a positive whole validity", () => {
    for (const id of GATEWAY_IDS) {
      const caps = gatewayDefinition(id).capabilities;
      for (const [method, instrument] of Object.entries(caps.payInInstruments ?? {})) {
        expect(caps.payInMethods).toContain(method);
        if (instrument.payableForMs !== undefined) {
          expect(Number.isInteger(instrument.payableForMs)).toBe(true);
          expect(instrument.payableForMs).toBeGreaterThan(0);
        }
      }
    }
  });
});
