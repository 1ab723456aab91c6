import { createHash } from "node:crypto";
import { signPayPro } from "../../src";
import { payProSign } from "../../../sandbox/src/gateways/paypro";
import * as spec from "./fixtures";

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");
const SECRET = "test-app-secret";
const { sign: _placeholder, ...specFields } = spec.payoutRequest;

describe("paypro sign", () => {
  it("is the lowercase MD5 of every field but sign, sorted by key as key=value, with the app secret appended", () => {
    const base =
      "accountType=BANK" +
      "amount=5000" +
      "bankName=ALLIED_BANK_LIMITED" +
      "bankNumber=9876543210" +
      "customerCert=1730123456789" +
      `email=${spec.payoutRequest.email}` +
      "mobile=3115112345" +
      "name=Jane Doe" +
      "notifyUrl=https://yourcallbackurl.com/notify" +
      "remark=Payment for invoice #1001" +
      "timestamp=1730057564" +
      "tradeNo=order67890";
    expect(signPayPro(spec.payoutRequest, SECRET)).toBe(md5(base + SECRET));
    expect(signPayPro(spec.payoutRequest, SECRET)).toMatch(/^[0-9a-f]{32}$/);
    expect(signPayPro(spec.payoutRequest, SECRET)).not.toBe(md5(SECRET + base));
  });

  it("ignores the sign field, the key order and empty values; writes numbers as their JSON text", () => {
    expect(signPayPro({ ...specFields, sign: "anything" }, SECRET)).toBe(signPayPro(specFields, SECRET));
    const reversed = Object.fromEntries(Object.entries(specFields).reverse());
    expect(signPayPro(reversed, SECRET)).toBe(signPayPro(specFields, SECRET));
    expect(signPayPro({ ...specFields, successTime: "", extra: null, gone: undefined }, SECRET)).toBe(signPayPro(specFields, SECRET));
    expect(signPayPro({ ...specFields, amount: 5000 }, SECRET)).toBe(signPayPro(specFields, SECRET));
  });

  it("changes with any value and with the secret", () => {
    expect(signPayPro({ ...specFields, amount: "5001" }, SECRET)).not.toBe(signPayPro(specFields, SECRET));
    expect(signPayPro(specFields, `${SECRET}x`)).not.toBe(signPayPro(specFields, SECRET));
  });

  it("agrees with the sandbox's own signer", () => {
    expect(payProSign(specFields, SECRET)).toBe(signPayPro(specFields, SECRET));
    const notification = { ...spec.notification, successTime: undefined, status: "00029" };
    expect(payProSign(notification, SECRET)).toBe(signPayPro(notification, SECRET));
  });
});
