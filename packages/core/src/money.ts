import { InvalidInputError } from "./errors";

/** ISO 4217 currencies the five gateways settle in, with their number of minor-unit digits. */
export const CURRENCY_EXPONENTS = {
  PKR: 2,
  EGP: 2,
  KGS: 2,
  USD: 2,
  EUR: 2,
  SAR: 2,
  AED: 2,
  GBP: 2,
} as const;

/** A currency code xpay-connect knows how to count. */
export type Currency = keyof typeof CURRENCY_EXPONENTS;

/** True when `code` is a currency xpay-connect supports. */
export function isCurrency(code: unknown): code is Currency {
  return typeof code === "string" && Object.prototype.hasOwnProperty.call(CURRENCY_EXPONENTS, code);
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * An amount of money: an integer count of minor units (paisa, piasters, tyiyn, cents) and a currency.
 * Immutable. Never built from or turned into a float.
 */
export class Money {
  private constructor(
    /** Integer count of minor units (150000 for PKR 1500.00). */
    readonly minor: number,
    /** ISO 4217 code. */
    readonly currency: Currency,
  ) {}

  /** Money from an integer count of minor units. Throws InvalidInputError on a fraction or unsafe integer. */
  static ofMinor(minor: number, currency: string, field = "amount"): Money {
    const cur = Money.currency(currency, field);
    if (!Number.isSafeInteger(minor)) {
      throw new InvalidInputError(field, "an integer count of minor units", minor);
    }
    return new Money(minor, cur);
  }

  /**
   * Parses a decimal string ("1500", "1500.5", "1500.00") exactly. More fraction digits than the
   * currency has are accepted only when they are zeros ("1500.000" is fine, "10.005" is not).
   */
  static parse(decimal: string, currency: string, field = "amount"): Money {
    const cur = Money.currency(currency, field);
    const text = typeof decimal === "string" ? decimal.trim() : decimal;
    const m = typeof text === "string" ? DECIMAL.exec(text) : null;
    if (!m) throw new InvalidInputError(field, `a decimal string such as "1500.00" (${cur})`, decimal);
    const exp = CURRENCY_EXPONENTS[cur];
    const [, sign, whole, frac = ""] = m;
    if (frac.length > exp && !/^0*$/.test(frac.slice(exp))) {
      throw new InvalidInputError(field, `at most ${exp} decimal places for ${cur}`, decimal);
    }
    const digits = (whole ?? "") + frac.slice(0, exp).padEnd(exp, "0");
    const minor = Number(digits);
    if (!Number.isSafeInteger(minor)) throw new InvalidInputError(field, "an amount small enough to count exactly", decimal);
    return new Money(sign && minor !== 0 ? -minor : minor, cur);
  }

  /**
   * Reads a JSON number a gateway sent (XPay EG's `total_amount: 99.99`) through its shortest decimal
   * text, which is exact for every amount a gateway can mean; rejects exponents and sub-minor digits.
   */
  static fromJsonNumber(value: number, currency: string, field = "amount"): Money {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new InvalidInputError(field, "a finite number", value);
    }
    return Money.parse(String(value), currency, field);
  }

  /** Zero in a currency. */
  static zero(currency: string): Money {
    return Money.ofMinor(0, currency);
  }

  private static currency(code: string, field: string): Currency {
    if (!isCurrency(code)) {
      throw new InvalidInputError(`${field}.currency`, `one of ${Object.keys(CURRENCY_EXPONENTS).join(", ")}`, code);
    }
    return code;
  }

  /** Number of minor-unit digits of this currency. */
  get exponent(): number {
    return CURRENCY_EXPONENTS[this.currency];
  }

  /** Decimal string with exactly `exponent` fraction digits: "1500.00". */
  format(): string {
    const neg = this.minor < 0;
    const digits = String(Math.abs(this.minor)).padStart(this.exponent + 1, "0");
    const whole = digits.slice(0, digits.length - this.exponent);
    const frac = digits.slice(digits.length - this.exponent);
    return `${neg ? "-" : ""}${whole}${this.exponent ? "." + frac : ""}`;
  }

  /** Shortest decimal string: "1500", "1500.5". */
  formatCompact(): string {
    const full = this.format();
    return this.exponent ? full.replace(/\.?0+$/, "") || "0" : full;
  }

  /** True when the amount has no minor part (PKR 1500.00 but not 1500.50). */
  isWhole(): boolean {
    return this.minor % 10 ** this.exponent === 0;
  }

  /** Whole major units as a string ("1500"); throws InvalidInputError when there is a fraction. */
  formatWhole(field = "amount"): string {
    if (!this.isWhole()) throw new InvalidInputError(field, `a whole number of ${this.currency} (no decimals)`, this.format());
    return String(this.minor / 10 ** this.exponent);
  }

  /** The amount as a JSON number of major units for wire formats that insist on one (exact for 2 digits). */
  toMajorNumber(): number {
    return Number(this.format());
  }

  /** Same currency and same count. */
  equals(other: Money): boolean {
    return this.currency === other.currency && this.minor === other.minor;
  }

  /** Sum of two amounts of the same currency. */
  plus(other: Money): Money {
    this.sameCurrency(other);
    return Money.ofMinor(this.minor + other.minor, this.currency);
  }

  /** Difference of two amounts of the same currency. */
  minus(other: Money): Money {
    this.sameCurrency(other);
    return Money.ofMinor(this.minor - other.minor, this.currency);
  }

  /** -1, 0 or 1. */
  compare(other: Money): number {
    this.sameCurrency(other);
    return Math.sign(this.minor - other.minor);
  }

  private sameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new InvalidInputError("amount.currency", this.currency, other.currency);
    }
  }

  /** "PKR 1500.00". */
  toString(): string {
    return `${this.currency} ${this.format()}`;
  }

  /** JSON form: `{ "amount": "1500.00", "currency": "PKR" }`. */
  toJSON(): { amount: string; currency: Currency } {
    return { amount: this.format(), currency: this.currency };
  }
}
