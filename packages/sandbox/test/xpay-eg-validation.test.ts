/**
 * XPay EG body validation (spec 003), answer by answer: the HTTP status, the first problem in the message and every
 * problem at once in the DRF-style `errors` tree, its keys in the order the gateway checks the fields (the expected
 * trees below are compared as JSON text, so their key order counts); and what a valid body parses to.
 */
import { FieldErrors, validatePay, validatePrepare, validateRefund } from "../src/gateways/xpay-eg/validation";

type Expected = { status: number; message: string; errors: unknown[] } | { valid: unknown };
type Case = [name: string, body: Record<string, unknown>, expected: Expected];

/** The answer as the sandbox sends it (status, message, errors), or the parsed request. */
function answer(result: unknown): Expected {
  if (!(result instanceof FieldErrors)) return { valid: result };
  const { status, body } = result.answer() as { status: number; body: { status: { message: string; errors: unknown[] } } };
  return { status, message: body.status.message, errors: body.status.errors };
}

function check(validate: (body: Record<string, unknown>) => unknown, cases: Case[]): void {
  it.each(cases)("%s", (_name, body, expected) => {
    const got = answer(validate(body));
    expect(got).toEqual(expected);
    expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
  });
}

describe("pay/variable-amount", () => {
  check(validatePay, [
    [
      "an empty body",
      {},
      { status: 400, message: "community_id: This field is required.", errors: [{ community_id: ["This field is required."], amount: ["This field is required."], original_amount: ["This field is required."], variable_amount_id: ["This field is required."], billing_data: ["This field is required."] }] },
    ],
    [
      "wrong types everywhere",
      { community_id: 5, amount: "100", original_amount: true, currency: 1, pay_using: [], variable_amount_id: "1", billing_data: [], language: "fr", membership_id: 5, is_recurring: "yes", custom_fields: {} },
      { status: 400, message: "community_id: This field is required.", errors: [{ community_id: ["This field is required."], amount: ["A valid number is required."], original_amount: ["A valid number is required."], currency: ["\"1\" is not a valid choice. Supported currencies are EGP, USD, EUR, SAR, AED, GBP."], pay_using: ["\"\" is not a valid choice. Use one of card, kiosk, fawry, meeza/digital, valU."], variable_amount_id: ["A valid integer is required."], billing_data: ["This field is required."], language: ["\"fr\" is not a valid choice."], membership_id: ["Not a valid string."], is_recurring: ["Must be a valid boolean."], custom_fields: ["Expected a list of {\"field_label\", \"field_value\"}."] }] },
    ],
    [
      "bad billing data",
      { community_id: "zogDmQW", amount: 100, original_amount: 95, currency: "EGP", variable_amount_id: 1, billing_data: { name: "John", email: "john@", phone_number: "01119045759" } },
      { status: 400, message: "billing_data.name: Name must contain first and last name in english letters with space between them.", errors: [{ billing_data: { name: ["Name must contain first and last name in english letters with space between them."], email: ["Enter a valid email address."], phone_number: ["Phone number must contain the country code, e.g. +201119045759."] } }] },
    ],
    [
      "blank billing data",
      { community_id: "zogDmQW", amount: 100, original_amount: 95, currency: "EGP", variable_amount_id: 1, billing_data: { name: "", email: "", phone_number: "" } },
      { status: 400, message: "billing_data.name: This field is required.", errors: [{ billing_data: { name: ["This field is required."], email: ["This field is required."], phone_number: ["This field may not be blank."] } }] },
    ],
    [
      "amounts: not positive, too precise",
      { community_id: "zogDmQW", amount: -5, original_amount: 1.005, currency: "EGP", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" } },
      { status: 400, message: "amount: Ensure this value is greater than 0.", errors: [{ amount: ["Ensure this value is greater than 0."], original_amount: ["Ensure that there are no more than 2 decimal places."] }] },
    ],
    [
      "original_amount above amount, then a bad currency",
      { community_id: "zogDmQW", amount: 100, original_amount: 150, currency: "XYZ", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" } },
      { status: 400, message: "original_amount: Ensure original_amount (the cost without fees) is not greater than amount.", errors: [{ original_amount: ["Ensure original_amount (the cost without fees) is not greater than amount."], currency: ["\"XYZ\" is not a valid choice. Supported currencies are EGP, USD, EUR, SAR, AED, GBP."] }] },
    ],
    [
      "original_amount above amount comes first when it is the first problem",
      { community_id: "zogDmQW", amount: 10, original_amount: 10.01, currency: "EGP", variable_amount_id: null, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" } },
      { status: 400, message: "original_amount: Ensure original_amount (the cost without fees) is not greater than amount.", errors: [{ original_amount: ["Ensure original_amount (the cost without fees) is not greater than amount."], variable_amount_id: ["A valid integer is required."] }] },
    ],
    [
      "kiosk in USD",
      { community_id: "zogDmQW", amount: 100, original_amount: 95, currency: "USD", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, pay_using: "kiosk" },
      { status: 400, message: "currency: Kiosk (Aman) bills are paid in EGP only.", errors: [{ currency: ["Kiosk (Aman) bills are paid in EGP only."] }] },
    ],
    [
      "kiosk in an unknown currency",
      { community_id: "zogDmQW", amount: 100, original_amount: 95, currency: "egp", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, pay_using: "kiosk" },
      { status: 400, message: "currency: \"egp\" is not a valid choice. Supported currencies are EGP, USD, EUR, SAR, AED, GBP.", errors: [{ currency: ["\"egp\" is not a valid choice. Supported currencies are EGP, USD, EUR, SAR, AED, GBP.", "Kiosk (Aman) bills are paid in EGP only."] }] },
    ],
    [
      "unknown pay_using",
      { community_id: "zogDmQW", amount: 100, original_amount: 95, currency: null, variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, pay_using: "cash" },
      { status: 400, message: "pay_using: \"cash\" is not a valid choice. Use one of card, kiosk, fawry, meeza/digital, valU.", errors: [{ pay_using: ["\"cash\" is not a valid choice. Use one of card, kiosk, fawry, meeza/digital, valU."] }] },
    ],
    [
      "amount_piasters not a positive integer",
      { community_id: "zogDmQW", original_amount: 0.001, currency: "EGP", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, amount_piasters: 1.5 },
      { status: 400, message: "amount_piasters: A valid positive integer is required.", errors: [{ amount_piasters: ["A valid positive integer is required."], original_amount: ["Ensure that there are no more than 2 decimal places."] }] },
    ],
    [
      "amount_piasters below original_amount",
      { community_id: "zogDmQW", original_amount: 95, currency: "EGP", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, amount_piasters: 9000 },
      { status: 400, message: "original_amount: Ensure original_amount (the cost without fees) is not greater than amount.", errors: [{ original_amount: ["Ensure original_amount (the cost without fees) is not greater than amount."] }] },
    ],
    [
      "recurring without its terms",
      { community_id: "zogDmQW", amount: 100, original_amount: 95, currency: "EGP", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, is_recurring: true },
      { status: 400, message: "expiry_date: This field is required for a recurring payment.", errors: [{ expiry_date: ["This field is required for a recurring payment."], minimum_days_between_payments: ["This field is required for a recurring payment."] }] },
    ],
    [
      "recurring with bad terms",
      { community_id: "zogDmQW", amount: 100, original_amount: 95, currency: "EGP", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, is_recurring: true, expiry_date: "2099-02-30", minimum_days_between_payments: 0 },
      { status: 400, message: "expiry_date: Date has wrong format. Use YYYY-MM-DD.", errors: [{ expiry_date: ["Date has wrong format. Use YYYY-MM-DD."], minimum_days_between_payments: ["Ensure this value is a whole number greater than or equal to 1."] }] },
    ],
    [
      "recurring that expired",
      { community_id: "zogDmQW", amount: 100, original_amount: 95, currency: "EGP", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, is_recurring: true, expiry_date: "2020-01-01", minimum_days_between_payments: 1.5 },
      { status: 400, message: "expiry_date: Expiry date must not be in the past.", errors: [{ expiry_date: ["Expiry date must not be in the past."], minimum_days_between_payments: ["Ensure this value is a whole number greater than or equal to 1."] }] },
    ],
    [
      "recurring terms are ignored when not recurring",
      { community_id: "zogDmQW", amount: 100, original_amount: 95, currency: "EGP", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, is_recurring: false, expiry_date: "x", minimum_days_between_payments: "x" },
      { valid: { communityId: "zogDmQW", amountMinor: 10000, originalMinor: 9500, currency: "EGP", variableAmountId: 1, payUsing: "card", billing: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, customFields: [] } },
    ],
    [
      "bad custom fields",
      { community_id: "zogDmQW", amount: 100, original_amount: 95, currency: "EGP", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, custom_fields: [{ field_label: " ", field_value: {} }, "x", { field_label: "ok", field_value: null }, { field_label: "fine", field_value: 1 }] },
      { status: 400, message: "custom_fields.0.field_label: This field is required.", errors: [{ custom_fields: { "0": { field_label: ["This field is required."], field_value: ["Must be a string, number or boolean."] }, "1": ["Expected {\"field_label\", \"field_value\"}."], "2": { field_value: ["Must be a string, number or boolean."] } } }] },
    ],
    [
      "null language",
      { community_id: "zogDmQW", amount: 100, original_amount: 95, currency: "EGP", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, language: null, membership_id: null },
      { status: 400, message: "language: \"null\" is not a valid choice.", errors: [{ language: ["\"null\" is not a valid choice."] }] },
    ],
    [
      "valid, amount",
      { community_id: "zogDmQW", amount: 100, original_amount: 95, currency: "EGP", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, language: "ar", membership_id: "M-1", custom_fields: [{ field_label: "merchant_ref", field_value: "order-1", extra: 1 }, { field_label: "n", field_value: false }] },
      { valid: { communityId: "zogDmQW", amountMinor: 10000, originalMinor: 9500, currency: "EGP", variableAmountId: 1, payUsing: "card", billing: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, language: "ar", membershipId: "M-1", customFields: [{ field_label: "merchant_ref", field_value: "order-1" }, { field_label: "n", field_value: false }] } },
    ],
    [
      "valid, amount_piasters without original_amount",
      { community_id: "1", amount_piasters: 10000, pay_using: "kiosk", variable_amount_id: 2, billing_data: { name: "Mary Ann Smith", email: "m@x.eg", phone_number: "+201000000000", note: "kept" } },
      { valid: { communityId: "1", amountMinor: 10000, originalMinor: 10000, currency: "EGP", variableAmountId: 2, payUsing: "kiosk", billing: { name: "Mary Ann Smith", email: "m@x.eg", phone_number: "+201000000000", note: "kept" }, customFields: [] } },
    ],
    [
      "valid, recurring",
      { community_id: "zogDmQW", amount: 100, original_amount: 95, currency: "USD", variable_amount_id: 1, billing_data: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, pay_using: "valU", is_recurring: true, expiry_date: "2099-12-31", minimum_days_between_payments: 30 },
      { valid: { communityId: "zogDmQW", amountMinor: 10000, originalMinor: 9500, currency: "USD", variableAmountId: 1, payUsing: "valU", billing: { name: "John Doe", email: "john@example.com", phone_number: "+201119045759" }, recurring: { expiryDate: "2099-12-31", minimumDaysBetweenPayments: 30 }, customFields: [] } },
    ],
  ]);
});

describe("prepare-amount", () => {
  check(validatePrepare, [
    [
      "an empty body",
      {},
      { status: 400, message: "community_id: This field is required.", errors: [{ community_id: ["This field is required."], amount: ["This field is required."] }] },
    ],
    [
      "bad fields and kiosk outside EGP",
      { community_id: " ", amount: 0.001, currency: "GBP", selected_payment_method: "kiosk" },
      { status: 400, message: "community_id: This field is required.", errors: [{ community_id: ["This field is required."], amount: ["Ensure that there are no more than 2 decimal places."], currency: ["Kiosk (Aman) bills are paid in EGP only."] }] },
    ],
    [
      "unknown method",
      { community_id: "c", amount: 5, selected_payment_method: "cash", currency: [] },
      { status: 400, message: "currency: \"\" is not a valid choice. Supported currencies are EGP, USD, EUR, SAR, AED, GBP.", errors: [{ currency: ["\"\" is not a valid choice. Supported currencies are EGP, USD, EUR, SAR, AED, GBP."], selected_payment_method: ["\"cash\" is not a valid choice. Use one of card, kiosk, fawry, meeza/digital, valU."] }] },
    ],
    [
      "valid, with defaults",
      { community_id: "c", amount: 99.99 },
      { valid: { amountMinor: 9999, currency: "EGP", payUsing: "card" } },
    ],
  ]);
});

describe("refund-transaction", () => {
  check(validateRefund, [
    [
      "an empty body",
      {},
      { status: 400, message: "transaction_uuid: This field is required.", errors: [{ transaction_uuid: ["This field is required."], refund_amount: ["This field is required."] }] },
    ],
    [
      "wrong types",
      { transaction_uuid: 5, refund_amount: "5" },
      { status: 400, message: "transaction_uuid: This field is required.", errors: [{ transaction_uuid: ["This field is required."], refund_amount: ["A valid number is required."] }] },
    ],
    [
      "not positive",
      { transaction_uuid: "u", refund_amount: 0 },
      { status: 400, message: "refund_amount: Ensure this value is greater than 0.", errors: [{ refund_amount: ["Ensure this value is greater than 0."] }] },
    ],
    [
      "valid",
      { transaction_uuid: "u", refund_amount: 12.5 },
      { valid: { uuid: "u", amountMinor: 1250 } },
    ],
  ]);
});
