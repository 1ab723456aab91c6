import { InvalidInputError, Money } from "../src";

describe("Money", () => {
  it.each([
    ["1500", "PKR", 150000, "1500.00"],
    ["1500.5", "PKR", 150050, "1500.50"],
    ["1000.00", "PKR", 100000, "1000.00"],
    ["0.01", "EGP", 1, "0.01"],
    ["99.99", "EGP", 9999, "99.99"],
    ["53.36", "USD", 5336, "53.36"],
    ["1500.000", "KGS", 150000, "1500.00"],
    ["  12.30 ", "GBP", 1230, "12.30"],
    ["-5.25", "EUR", -525, "-5.25"],
  ])("parses %s %s exactly", (text, currency, minor, formatted) => {
    const m = Money.parse(text, currency);
    expect(m.minor).toBe(minor);
    expect(m.format()).toBe(formatted);
  });

  it.each(["", "abc", "1,500", "1e3", "10.005", ".5", "5.", "0x10", "Infinity"])("refuses %j with an error naming the field", (text) => {
    expect(() => Money.parse(text, "PKR", "order.total")).toThrow(InvalidInputError);
    try {
      Money.parse(text, "PKR", "order.total");
    } catch (e) {
      expect((e as InvalidInputError).field).toBe("order.total");
    }
  });

  it("refuses unknown currencies and non-integer minor units", () => {
    expect(() => Money.parse("1", "XYZ")).toThrow(/amount.currency: expected one of PKR/);
    expect(() => Money.ofMinor(1.5, "PKR")).toThrow(/integer count of minor units/);
    expect(() => Money.ofMinor(Number.MAX_SAFE_INTEGER + 2, "PKR")).toThrow(InvalidInputError);
  });

  it("has no float drift where floats would have it", () => {
    // 0.1 + 0.2 !== 0.3 in floats; in minor units it is exact.
    expect(Money.parse("0.10", "PKR").plus(Money.parse("0.20", "PKR")).equals(Money.parse("0.30", "PKR"))).toBe(true);
    expect(Money.fromJsonNumber(99.99, "EGP").minor).toBe(9999);
    expect(() => Money.fromJsonNumber(1.1 + 2.2, "EGP")).toThrow(/at most 2 decimal places/);
  });

  it("formats compactly and as whole units, refusing fractions where a gateway cannot take them", () => {
    expect(Money.parse("1500.00", "PKR").formatCompact()).toBe("1500");
    expect(Money.parse("1500.50", "PKR").formatCompact()).toBe("1500.5");
    expect(Money.parse("0", "PKR").formatCompact()).toBe("0");
    expect(Money.parse("5000", "PKR").formatWhole()).toBe("5000");
    expect(() => Money.parse("5000.50", "PKR").formatWhole("amount")).toThrow(/whole number of PKR/);
    expect(Money.parse("53.36", "USD").toMajorNumber()).toBe(53.36);
  });

  it("compares and refuses arithmetic across currencies", () => {
    const a = Money.parse("10", "PKR");
    expect(a.compare(Money.parse("9.99", "PKR"))).toBe(1);
    expect(a.minus(Money.parse("0.01", "PKR")).format()).toBe("9.99");
    expect(() => a.plus(Money.parse("1", "EGP"))).toThrow(InvalidInputError);
    expect(JSON.stringify(a)).toBe('{"amount":"10.00","currency":"PKR"}');
    expect(String(a)).toBe("PKR 10.00");
  });
});
