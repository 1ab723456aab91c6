/** Exact decimal <-> minor-unit helpers for the emulators (2-digit currencies only). */

const DECIMAL = /^\d+(?:\.\d{1,2})?$/;

/** Minor units of a decimal string with at most two fraction digits; undefined when malformed. */
export function decimalToMinor(text: unknown): number | undefined {
  if (typeof text !== "string" || !DECIMAL.test(text)) return undefined;
  const [whole = "0", frac = ""] = text.split(".");
  const minor = Number(whole + frac.padEnd(2, "0"));
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** Minor units of a JSON number of major units (53.36 -> 5336) read through its decimal text. */
export function numberToMinor(value: unknown): number | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return undefined;
  return decimalToMinor(String(value));
}

/** "1500.00". */
export function minorToDecimal(minor: number): string {
  const digits = String(Math.abs(minor)).padStart(3, "0");
  return `${minor < 0 ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** The JSON number of major units some gateways send (150000, 99.99). */
export function minorToNumber(minor: number): number {
  return Number(minorToDecimal(minor));
}
