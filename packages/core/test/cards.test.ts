import { CARD_CVC, CARD_EXPIRY_MONTH, CARD_EXPIRY_YEAR, cardDigits, cardExpired, isCardNumber, luhnValid } from "../src";

describe("card rules", () => {
  it("reads a typed number without its spaces and dashes, and checks its Luhn digit", () => {
    expect(cardDigits("4242 4242-4242 4242")).toBe("4242424242424242");
    expect(luhnValid("4242424242424242")).toBe(true);
    expect(luhnValid("4242424242424241")).toBe(false);
  });

  it("takes 12 to 19 digits by default, more when a gateway asks", () => {
    expect(isCardNumber("4111111111111111")).toBe(true);
    expect(isCardNumber("000000000000")).toBe(true);
    expect(isCardNumber("000000000000", 13)).toBe(false);
    expect(isCardNumber("00000000000")).toBe(false);
    expect(isCardNumber("0".repeat(20))).toBe(false);
    expect(isCardNumber("4111 1111 1111 1111")).toBe(false);
  });

  it("knows month, year and CVC shapes", () => {
    expect(["01", "12"].every((m) => CARD_EXPIRY_MONTH.test(m))).toBe(true);
    expect(["1", "13", "00"].some((m) => CARD_EXPIRY_MONTH.test(m))).toBe(false);
    expect(CARD_EXPIRY_YEAR.test("2030")).toBe(true);
    expect(CARD_EXPIRY_YEAR.test("30")).toBe(false);
    expect(["123", "1234"].every((c) => CARD_CVC.test(c))).toBe(true);
    expect(["12", "12345"].some((c) => CARD_CVC.test(c))).toBe(false);
  });

  it("keeps a card good through the last day of its expiry month", () => {
    const now = new Date(Date.UTC(2026, 4, 31, 23, 59));
    expect(cardExpired(2026, 5, now)).toBe(false);
    expect(cardExpired(2026, 4, now)).toBe(true);
    expect(cardExpired(2025, 12, now)).toBe(true);
    expect(cardExpired(2027, 1, now)).toBe(false);
  });
});
