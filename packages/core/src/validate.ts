import { InvalidInputError } from "./errors";
import { Money } from "./money";

/** A non-empty string, trimmed, at most `max` characters; InvalidInputError naming `field` otherwise. */
export function text(field: string, value: unknown, max = 255): string {
  if (typeof value !== "string" || value.trim() === "") throw new InvalidInputError(field, "a non-empty string", value);
  const t = value.trim();
  if (t.length > max) throw new InvalidInputError(field, `at most ${max} characters`, t);
  return t;
}

/** Like `text`, but `undefined` and "" pass as undefined. */
export function optionalText(field: string, value: unknown, max = 255): string | undefined {
  return value === undefined || value === null || value === "" ? undefined : text(field, value, max);
}

/** A string matching `pattern`, described to the caller as `expected`. */
export function matching(field: string, value: unknown, pattern: RegExp, expected: string): string {
  if (typeof value !== "string" || !pattern.test(value)) throw new InvalidInputError(field, expected, value);
  return value;
}

/** An absolute http(s) URL. */
export function url(field: string, value: unknown): string {
  if (typeof value === "string") {
    try {
      const u = new URL(value);
      if (u.protocol === "http:" || u.protocol === "https:") return value;
    } catch {
      // falls through to the error below
    }
  }
  throw new InvalidInputError(field, "an absolute http(s) URL", value);
}

/** An email address (a pragmatic check: something@domain.tld). */
export function email(field: string, value: unknown): string {
  return matching(field, value, /^[^\s@]+@[^\s@]+\.[^\s@]+$/, "an email address");
}

/** One of `allowed`. */
export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidInputError(field, `one of ${allowed.join(", ")}`, value);
  }
  return value as T;
}

/** A positive Money in one of `currencies`. */
export function positiveAmount(field: string, amount: unknown, currencies: readonly string[]): Money {
  if (!(amount instanceof Money)) throw new InvalidInputError(field, "a Money value (Money.parse(\"1500.00\", \"PKR\"))", amount);
  if (!currencies.includes(amount.currency)) throw new InvalidInputError(`${field}.currency`, `one of ${currencies.join(", ")}`, amount.currency);
  if (amount.minor <= 0) throw new InvalidInputError(field, "more than zero", amount.format());
  return amount;
}
