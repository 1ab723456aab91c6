import { __ } from "@wordpress/i18n";

/** Which national mobile-number format a wallet method takes. */
export type WalletFormat = "PK" | "EG";

export type WalletCheck = { ok: true; value: string } | { ok: false; message: string };

/** Pakistan's wallets (EasyPaisa, JazzCash) for PKR/PK methods; otherwise Egypt's (Meeza and the other EG wallets). */
export function walletFormat(countries: readonly string[], currencies: readonly string[]): WalletFormat {
  return countries.includes("PK") || currencies.includes("PKR") ? "PK" : "EG";
}

// Pakistan: 03XXXXXXXXX (or +92 3XXXXXXXXX). Egypt: 010/011/012/015 + 8 digits (or +20 1XXXXXXXXX).
const FORMATS: Record<WalletFormat, { local: RegExp; intl: RegExp }> = {
  PK: { local: /^03\d{9}$/, intl: /^(?:\+|00)?92(3\d{9})$/ },
  EG: { local: /^01[0125]\d{8}$/, intl: /^(?:\+|00)?20(1[0125]\d{8})$/ },
};

/**
 * Checks the optional wallet number a shopper typed. Spaces, dashes, dots and brackets are ignored and an international
 * prefix is turned into the national form; an empty field is fine (the gateway's page asks for the number instead).
 */
export function checkWallet(input: string, format: WalletFormat): WalletCheck {
  const compact = input.replace(/[\s\-().]/g, "");
  if (compact === "") return { ok: true, value: "" };
  const { local, intl } = FORMATS[format];
  if (local.test(compact)) return { ok: true, value: compact };
  const m = intl.exec(compact);
  if (m) return { ok: true, value: `0${m[1]}` };
  return { ok: false, message: walletHint(format, true) };
}

/** The format hint shown under the field, or (when `invalid`) the error for a number that does not fit it. */
export function walletHint(format: WalletFormat, invalid = false): string {
  if (format === "PK") {
    return invalid
      ? __("Enter your wallet number as 11 digits starting with 03, for example 03001234567, or leave it empty.", "xpay-connect-woocommerce")
      : __("11 digits starting with 03, for example 03001234567.", "xpay-connect-woocommerce");
  }
  return invalid
    ? __("Enter your wallet number as 11 digits starting with 010, 011, 012 or 015, for example 01001234567, or leave it empty.", "xpay-connect-woocommerce")
    : __("11 digits starting with 010, 011, 012 or 015, for example 01001234567.", "xpay-connect-woocommerce");
}
