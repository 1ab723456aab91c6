import { Money } from "@xpay-connect/core";

/**
 * Medusa hands amounts in MAJOR units as a BigNumberInput: a number, a decimal string, a Medusa
 * BigNumber (with `.bigNumber` from bignumber.js and `.raw.value`), or a raw `{ value }` object.
 * Converted exactly through the decimal text; never float arithmetic.
 */
export function toMoney(amount: unknown, currencyCode: string, field = "amount"): Money {
  const currency = String(currencyCode ?? "").toUpperCase();
  if (typeof amount === "string") return Money.parse(amount, currency, field);
  if (typeof amount === "number") return Money.fromJsonNumber(amount, currency, field);
  if (amount && typeof amount === "object") {
    const o = amount as { bigNumber?: { toFixed(): string }; raw?: { value?: unknown }; value?: unknown; toFixed?: () => string };
    // bignumber.js toFixed() without digits is the number's exact decimal text (no rounding, no exponent).
    // eslint-disable-next-line no-restricted-properties
    if (o.bigNumber && typeof o.bigNumber.toFixed === "function") return Money.parse(o.bigNumber.toFixed(), currency, field);
    if (o.raw && typeof o.raw.value === "string") return Money.parse(o.raw.value, currency, field);
    if (typeof o.value === "string") return Money.parse(o.value, currency, field);
    // eslint-disable-next-line no-restricted-properties -- a bignumber.js value: exact decimal text, as above
    if (typeof o.toFixed === "function") return Money.parse(o.toFixed(), currency, field);
  }
  return Money.parse(amount as string, currency, field); // throws InvalidInputError naming the field
}

/** Money back to Medusa: the major-unit decimal string ("1500.00"); Medusa accepts strings as BigNumberInput. */
export function toMajor(money: Money): string {
  return money.format();
}
