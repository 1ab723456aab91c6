import { h, type Props } from "./dom.js";

/** A payment status as the shopper reads it. */
export const WORDS: Record<string, string> = {
  pending: "Pending",
  requires_action: "Awaiting payment",
  authorized: "Authorized",
  succeeded: "Paid",
  failed: "Failed",
  canceled: "Canceled",
  expired: "Expired",
  refunded: "Refunded",
  partially_refunded: "Partly refunded",
  reversed: "Reversed",
};

/** A payout status as the store owner reads it. */
export const PAYOUT_WORDS: Record<string, string> = { pending: "Processing", requires_action: "Processing", succeeded: "Settled", failed: "Failed", canceled: "Canceled", reversed: "Reversed" };

export const METHODS: Record<string, string> = { easypaisa: "EasyPaisa", jazzcash: "JazzCash", card: "card", kiosk: "kiosk", fawry: "Fawry", wallet: "wallet", valu: "valU", qr: "QR" };

/** "1500.00" and "PKR" as "PKR 1,500.00": string work only, the amount is never a float. */
export function money(amount: string, currency: string): string {
  const [whole = "", fraction] = amount.split(".");
  return `${currency} ${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** A time of day, 24-hour, with seconds. */
export function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
}

/** A status badge; `data-status` is what tests and styles key on. */
export function badge(status: string, words: Record<string, string> = WORDS, extra: Props = {}): HTMLSpanElement {
  return h("span", { class: `badge s-${status}`, "data-status": status, text: words[status] ?? status, ...extra });
}
