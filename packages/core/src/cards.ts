/**
 * Card rules: the checks a card form or a card API makes before a card reaches a bank. Core's XPay
 * (PK) connector applies them before sending a card; the sandbox's card pages apply the same ones.
 */

/** A typed card number with the spaces and dashes people put between digit groups removed. */
export function cardDigits(input: string): string {
  return input.replace(/[\s-]/g, "");
}

/** True when the last digit of `digits` is its Luhn (mod 10) check digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** True for a card number: `minDigits` (12 unless a gateway asks for more) to 19 digits, passing the Luhn check. */
export function isCardNumber(digits: string, minDigits = 12): boolean {
  return /^\d+$/.test(digits) && digits.length >= minDigits && digits.length <= 19 && luhnValid(digits);
}

/** A two-digit expiry month, "01" to "12". */
export const CARD_EXPIRY_MONTH = /^(0[1-9]|1[0-2])$/;

/** A four-digit expiry year, "2030". */
export const CARD_EXPIRY_YEAR = /^20\d{2}$/;

/** A card verification code: 3 digits, or 4 (American Express). */
export const CARD_CVC = /^\d{3,4}$/;

/** True once the card's expiry month (1-12) has passed: a card is good through the last day of its month, in UTC. */
export function cardExpired(year: number, month: number, now: Date = new Date()): boolean {
  return year * 12 + month < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
}
