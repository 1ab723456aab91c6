import { checkWallet, walletFormat } from "../../src/wallet";

describe("wallet number", () => {
  it("picks Pakistan's format for PK/PKR methods and Egypt's otherwise", () => {
    expect(walletFormat(["PK"], ["PKR"])).toBe("PK");
    expect(walletFormat(["EG"], ["EGP", "USD"])).toBe("EG");
  });

  it.each([
    ["03001234567", "03001234567"],
    ["0300 1234567", "03001234567"],
    ["0300-123-4567", "03001234567"],
    ["+923001234567", "03001234567"],
    ["00923451234567", "03451234567"],
    ["923001234567", "03001234567"],
  ])("accepts the Pakistani number %s as %s", (input, value) => {
    expect(checkWallet(input, "PK")).toEqual({ ok: true, value });
  });

  it.each(["0300123456", "030012345678", "04001234567", "3001234567", "0300123456a", "+203001234567", "01001234567", "abc"])(
    "refuses the Pakistani number %s with a message naming the format",
    (input) => {
      const check = checkWallet(input, "PK");
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.message).toMatch(/11 digits starting with 03/);
    },
  );

  it.each([
    ["01001234567", "01001234567"],
    ["011 2345 6789", "01123456789"],
    ["+201201234567", "01201234567"],
    ["00201512345678", "01512345678"],
  ])("accepts the Egyptian number %s as %s", (input, value) => {
    expect(checkWallet(input, "EG")).toEqual({ ok: true, value });
  });

  it.each(["01301234567", "0100123456", "03001234567", "+923001234567", "1001234567"])("refuses the Egyptian number %s", (input) => {
    const check = checkWallet(input, "EG");
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(/010, 011, 012 or 015/);
  });

  it("treats an empty or blank field as no number (the gateway's page asks for it)", () => {
    expect(checkWallet("", "PK")).toEqual({ ok: true, value: "" });
    expect(checkWallet("   ", "EG")).toEqual({ ok: true, value: "" });
  });
});
