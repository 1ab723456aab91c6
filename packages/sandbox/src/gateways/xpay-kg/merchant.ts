/** The sandbox test merchant's `client_id`. */
export const XPAY_KG_CLIENT_ID = "xpay-kg-sandbox-merchant";
/** The sandbox test merchant's `client_secret` (public: it only works against the sandbox). */
export const XPAY_KG_CLIENT_SECRET = "xkg_sandbox_5f1c2a9e7b3d4c60";
/** The test merchant as its QRs name it (tags 32/10 and 59). */
export const XPAY_KG_MERCHANT = { account: "00407202310247", name: "XpaySandbox" } as const;
