import {
  CapabilityError,
  DeclinedError,
  InvalidInputError,
  Money,
  OutcomeUnknownError,
  VerificationError,
  checkCallbackToken,
  checkIntegrity,
  createCallbackToken,
  createConnector,
  callbackReplyFor,
  hmacSha256Hex,
  isXpayError,
  redact,
  requireRefund,
  safeEqual,
} from "../src";

describe("typed errors", () => {
  it("say what to do, with the field and value", () => {
    const e = new InvalidInputError("customer.phone", 'a wallet number like "03001234567"', "12");
    expect(e.message).toBe('customer.phone: expected a wallet number like "03001234567", got "12"');
    expect(e.code).toBe("invalid_input");
    expect(e.name).toBe("InvalidInputError");
    expect(new DeclinedError("no", "1003").code).toBe("declined");
    expect(new OutcomeUnknownError("?", "R1").merchantRef).toBe("R1");
    expect(new VerificationError("x", "bad_token").reason).toBe("bad_token");
    expect(isXpayError(new CapabilityError("xpay-kg", "payouts"))).toBe(true);
    expect(isXpayError(new Error("plain"))).toBe(false);
  });

  it("a missing capability is a CapabilityError at run time", () => {
    const xp = createConnector("xpress-pay", { baseUrl: "http://127.0.0.1:9", appId: "app" });
    expect(() => requireRefund(xp)).toThrow(new CapabilityError("xpress-pay", "refunds").message);
  });
});

describe("callbackReplyFor", () => {
  it("answers each gateway as its connector does, without credentials", () => {
    expect(callbackReplyFor("xpress-pay", true)).toEqual({ status: 200, contentType: "text/plain", body: "SUCCESS" });
    expect(callbackReplyFor("paypro", true).body).toBe("OK");
    for (const g of ["xpress-pay", "paypro", "xpay-pk", "xpay-eg", "xpay-kg"] as const) {
      expect(callbackReplyFor(g, true).status).toBe(200);
      expect(callbackReplyFor(g, false).status).toBeGreaterThanOrEqual(400);
    }
  });
});

describe("callback helpers", () => {
  const amount = Money.parse("1500", "PKR");
  const expected = { merchantRef: "R1", amount };

  it("tokens are unguessable and compared in constant time", () => {
    const a = createCallbackToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createCallbackToken()).not.toBe(a);
    expect(safeEqual(a, a)).toBe(true);
    expect(safeEqual(a, a.slice(1))).toBe(false);
    expect(() => checkCallbackToken("xpress-pay", { expected: a, received: a })).not.toThrow();
    expect(() => checkCallbackToken("xpress-pay", { expected: a, received: undefined })).toThrow(VerificationError);
    expect(() => checkCallbackToken("xpress-pay", { expected: a, received: "x" + a.slice(1) })).toThrow(/URL token/);
  });

  it("integrity: reference, amount and currency must match", () => {
    expect(() => checkIntegrity({ gateway: "xpress-pay", merchantRef: "R1", amount }, expected)).not.toThrow();
    expect(() => checkIntegrity({ gateway: "xpress-pay", merchantRef: "R2", amount }, expected)).toThrow(/names "R2"/);
    expect(() => checkIntegrity({ gateway: "xpress-pay", merchantRef: "R1", amount: Money.parse("1499.99", "PKR") }, expected)).toThrow(
      expect.objectContaining({ reason: "amount_mismatch" }),
    );
    expect(() => checkIntegrity({ gateway: "xpay-eg", merchantRef: "R1", amount: Money.parse("1500", "EGP") }, expected)).toThrow(
      expect.objectContaining({ reason: "currency_mismatch" }),
    );
  });

  it("hmac is the standard hex HMAC-SHA256", () => {
    // RFC 4231 test case 2.
    expect(hmacSha256Hex("Jefe", "what do ya want for nothing?")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });

  it("redact hides secret fields and secret values inside strings", () => {
    const out = redact(
      { appId: "c551c980b045d827f3d910fbdf8c1ddb", url: "/q?appId=c551c980b045d827f3d910fbdf8c1ddb&x=1", nested: [{ client_secret: "s3cr3t" }], amount: "1500" },
      ["c551c980b045d827f3d910fbdf8c1ddb"],
    );
    expect(JSON.stringify(out)).not.toContain("c551c980b045d827f3d910fbdf8c1ddb");
    expect(JSON.stringify(out)).not.toContain("s3cr3t");
    expect(out).toMatchObject({ amount: "1500", url: "/q?appId=[redacted]&x=1" });
  });

  it("redact hides the shopper's and the recipient's personal data in every gateway's wire shape", () => {
    const out = redact({
      customerName: "Amina Shah", customerMobile: "03001234567", customerEmail: "amina@example.pk",
      billing_data: { name: "Omar Adel", email: "omar@example.eg", phone_number: "+201119045759" },
      customer: { name: "John Doe", phone: "03001234567", email: "j@d.pk" },
      name: "Jane Doe", customerCert: "1730123456789", mobile: "03115112345", bankNumber: "9876543210", bankName: "ALLIED_BANK_LIMITED",
      amount: "1500", merOrderNo: "ORD-1",
    });
    const text = JSON.stringify(out);
    for (const personal of ["Amina", "03001234567", "amina@", "Omar", "omar@", "+2011", "John", "j@d.pk", "Jane", "1730123456789", "03115112345", "9876543210"]) expect(text).not.toContain(personal);
    expect(out).toMatchObject({ amount: "1500", merOrderNo: "ORD-1", bankName: "ALLIED_BANK_LIMITED", customer: { name: "[redacted]" } });
  });

  it("redact keeps only the last four digits of a card number and hides CVCs and saved-card tokens", () => {
    const out = redact({ card: { number: "4242424242424242", cvc: "123", expiry: "12/30" }, pm_token: "pm_abc" });
    expect(out).toEqual({ card: { number: "************4242", cvc: "[redacted]", expiry: "12/30" }, pm_token: "[redacted]" });
  });

  it("redact hides per-payment callback tokens that travel through a gateway", () => {
    const out = redact({
      metadata: { order_reference: "R1", callback_token: "tok-secret-1" },
      custom_fields: [{ field_label: "merchant_ref", field_value: "R1" }, { field_label: "xc_token", field_value: "tok-secret-2" }],
    });
    expect(JSON.stringify(out)).not.toMatch(/tok-secret/);
    expect(JSON.stringify(out)).toContain('"field_value":"R1"');
  });
});
