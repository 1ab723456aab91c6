/** The sandbox test merchant's number (the `merchantNo` header). Sandbox-only: worthless against PayPro. */
export const PAYPRO_MERCHANT_NO = "PP2024000001";

/** The sandbox test merchant's app secret, the salt of every `sign`. Sandbox-only: worthless against PayPro. */
export const PAYPRO_APP_SECRET = "sandbox-paypro-app-secret-3f9a2c7e81d4";

/** The test merchant's balances after a reset, in whole rupees (payouts draw `available` down). */
export const PAYPRO_START_BALANCE = { available: 1_000_000, unsettled: 25_000 } as const;

/** Test values: a BANK payout to this account number is created already failed (ACCOUNT_NOT_FOUND). */
export const PAYPRO_TEST_ACCOUNTS = { notFound: "0000000000" } as const;
