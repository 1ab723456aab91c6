/**
 * How a payout's recipient numbers are shown and kept: never whole. A wallet (mobile) number keeps
 * its first four characters (the network prefix, `0311`) and its last three; an account number or
 * IBAN at most its last four, and at most half of it. Short values show less.
 */

/** `0311****445`; a number under 10 characters keeps at most its last three, and a third of it. */
export function maskMobile(mobile: string): string {
  if (mobile.length >= 10) return `${mobile.slice(0, 4)}${"*".repeat(mobile.length - 7)}${mobile.slice(-3)}`;
  return `****${mobile.slice(mobile.length - Math.min(3, Math.floor(mobile.length / 3)))}`;
}

/** `****6789`: at most the last four characters, and at most half of them. */
export function maskAccountNumber(account: string): string {
  return `****${account.slice(account.length - Math.min(4, Math.floor(account.length / 2)))}`;
}

/** A stored recipient as shown: numbers stored before they were masked (older rows) are masked now; masked ones are left as they are. */
export function maskedRecipient<T extends { mobile?: string; account_number?: string }>(recipient: T): T {
  const unmasked = (v: string | undefined): v is string => typeof v === "string" && !v.includes("*");
  return {
    ...recipient,
    ...(unmasked(recipient.mobile) ? { mobile: maskMobile(recipient.mobile) } : {}),
    ...(unmasked(recipient.account_number) ? { account_number: maskAccountNumber(recipient.account_number) } : {}),
  };
}
