/**
 * Pay-in expiry by method: the configuration reads the overrides (EXPIRE_BILL_AFTER_MS,
 * EXPIRE_QR_AFTER_MS) through its zod schema, and a pay-in's lifetime is its instrument's: a page
 * lasts EXPIRE_AFTER_MS, a bill or a QR its override, else its gateway's declared validity.
 * (The lifetimes over real HTTP are in late-payments.test.ts.)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gatewayDefinition } from "@xpay-connect/core";
import { loadConfig } from "../src";
import { payInLifetimeMs } from "../src/payins/expiry";

const KEY = "ab".repeat(32);

describe("expiry configuration", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "xc-expiry-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = (vars: Record<string, string>) => ({ XPAY_CONNECT_DATA: dir, XPAY_CONNECT_KEY: KEY, ...vars });

  it("leaves bill and QR lifetimes to the gateways unless set, and reads them when set", () => {
    const unset = loadConfig(env({ EXPIRE_BILL_AFTER_MS: "" }));
    expect(unset.expireBillAfterMs).toBeUndefined();
    expect(unset.expireQrAfterMs).toBeUndefined();
    expect(loadConfig(env({ EXPIRE_BILL_AFTER_MS: "172800000", EXPIRE_QR_AFTER_MS: "600000" }))).toMatchObject({ expireBillAfterMs: 172_800_000, expireQrAfterMs: 600_000 });
  });

  it.each([
    ["EXPIRE_BILL_AFTER_MS", "0", "at least 1"],
    ["EXPIRE_BILL_AFTER_MS", "3 days", "expected a whole number of milliseconds"],
    ["EXPIRE_QR_AFTER_MS", "1.5", "expected a whole number of milliseconds"],
  ])("%s=%s stops start-up naming the variable", (name, value, expected) => {
    expect(() => loadConfig(env({ [name]: value }))).toThrow(new RegExp(`^${name}: .*${expected}`));
  });
});

describe("payInLifetimeMs", () => {
  const eg = gatewayDefinition("xpay-eg").capabilities;
  const kg = gatewayDefinition("xpay-kg").capabilities;
  const pk = gatewayDefinition("xpress-pay").capabilities;
  const defaults = { expireAfterMs: 86_400_000 };

  it("a page lasts EXPIRE_AFTER_MS, whatever the overrides", () => {
    expect(payInLifetimeMs(defaults, eg, "card")).toBe(86_400_000);
    expect(payInLifetimeMs({ expireAfterMs: 5_000, expireBillAfterMs: 1, expireQrAfterMs: 1 }, pk, "easypaisa")).toBe(5_000);
  });

  it("a bill or a QR lasts its gateway's validity, or the override when set", () => {
    expect(payInLifetimeMs(defaults, eg, "kiosk")).toBe(72 * 3_600_000);
    expect(payInLifetimeMs(defaults, eg, "fawry")).toBe(72 * 3_600_000);
    expect(payInLifetimeMs(defaults, kg, "qr")).toBe(30 * 60_000);
    expect(payInLifetimeMs({ ...defaults, expireBillAfterMs: 1_000, expireQrAfterMs: 2_000 }, eg, "kiosk")).toBe(1_000);
    expect(payInLifetimeMs({ ...defaults, expireBillAfterMs: 1_000, expireQrAfterMs: 2_000 }, kg, "qr")).toBe(2_000);
  });

  it("a bill or a QR whose gateway declares no validity lasts EXPIRE_AFTER_MS", () => {
    expect(payInLifetimeMs({ expireAfterMs: 9_000 }, { payInInstruments: { kiosk: { kind: "bill" } } }, "kiosk")).toBe(9_000);
    expect(payInLifetimeMs({ expireAfterMs: 9_000 }, { payInInstruments: { qr: { kind: "qr" } } }, "qr")).toBe(9_000);
  });
});
