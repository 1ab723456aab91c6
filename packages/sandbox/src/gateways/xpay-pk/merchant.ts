/** The sandbox test merchant's secret API key (`x-api-key`). Works only against the sandbox. */
export const XPAY_PK_API_KEY = "xpay_sk_test_sandbox_5f0c3a9e1b7d4c28a6e2";
/** The sandbox test merchant's account id (`x-account-id`). */
export const XPAY_PK_ACCOUNT_ID = "0a1b2c3d4e5f6071";
/** The sandbox test merchant's API HMAC secret: `x-signature` = hex HMAC-SHA256(body, this). */
export const XPAY_PK_HMAC_SECRET = "sandbox_api_hmac_7c2e91d04b6a3f58e1d0c9b7";
/** The sandbox test merchant's webhook secret: the webhook's `X-Signature` = hex HMAC-SHA256(raw body, this). */
export const XPAY_PK_WEBHOOK_SECRET = "sandbox_webhook_hmac_3b8f0e6a2d94c71e5f08";

/** Test cards (any future expiry, any 3-digit CVC). Any other number is refused as an invalid card. */
export const XPAY_PK_TEST_CARDS = {
  approve: "4242424242424242",
  decline: "4000000000000002",
  threeDSecure: "4000000000003220",
} as const;

/** The one-time password the 3-D Secure page accepts. */
export const XPAY_PK_TEST_OTP = "123456";
