/** The test community's API key (sent as `x-api-key`); public: it only works against the sandbox. */
export const XPAY_EG_API_KEY = "xpay_eg_sandbox_key_7c1e4a9b2d5f8e03";
/** The test community: the spec's own example community id. */
export const XPAY_EG_COMMUNITY_ID = "zogDmQW";
/** The test community's API payment (`variable_amount_id`), as in the spec's EGP example. */
export const XPAY_EG_VARIABLE_AMOUNT_ID = 4;

/** Every community the sandbox knows: the test community, and community "1" of the spec's kiosk example. */
export const XPAY_EG_COMMUNITIES: readonly { communityId: string; apiKey: string; variableAmountIds: readonly number[] }[] = [
  { communityId: XPAY_EG_COMMUNITY_ID, apiKey: XPAY_EG_API_KEY, variableAmountIds: [4, 25] },
  { communityId: "1", apiKey: "xpay_eg_sandbox_key_community_1_5a0d", variableAmountIds: [4] },
];

/** Card numbers the hosted card form knows: any other Luhn-valid number is approved too. */
export const XPAY_EG_TEST_CARDS = { approved: "4111111111111111", declined: "4000000000000002" } as const;
