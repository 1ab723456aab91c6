// A minimal Medusa 2 app with the four xpay-connect payment providers in test mode (pointed at the
// xpay-connect sandbox). The integration tests boot it (medusaIntegrationTestRunner({ cwd: this dir }));
// docs/platforms/medusa.md shows the same configuration for a real store.
const { loadEnv, defineConfig } = require("@medusajs/framework/utils");

loadEnv(process.env.NODE_ENV || "development", process.cwd());

// Test mode: every provider talks to the sandbox (`pnpm sandbox` serves it on 4010).
const SANDBOX = process.env.XPAY_SANDBOX_URL || "http://127.0.0.1:4010";
// The public URL of this Medusa server: gateways post their callbacks to /hooks/payment/<provider>.
const MEDUSA_URL = process.env.MEDUSA_BACKEND_URL || `http://localhost:${process.env.PORT || 9000}`;
const STOREFRONT_URL = process.env.STOREFRONT_URL || "http://localhost:8000";
// The package's published entry points, as a store lists them (`pnpm build` makes dist/).
const provider = (gateway) => `@xpay-connect/medusa/providers/${gateway}`;
const hook = (gateway) => `${MEDUSA_URL}/hooks/payment/${gateway}_default`;
const env = (name, fallback) => process.env[name] || fallback;
// The sandbox's test merchants (public test values); a live store sets the environment variables instead.
const test = require("@xpay-connect/sandbox");

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      jwtSecret: env("JWT_SECRET", "test"),
      cookieSecret: env("COOKIE_SECRET", "test"),
      storeCors: env("STORE_CORS", STOREFRONT_URL),
      adminCors: env("ADMIN_CORS", "http://localhost:9000"),
      authCors: env("AUTH_CORS", STOREFRONT_URL),
    },
  },
  admin: { disable: true },
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: provider("xpress-pay"),
            id: "default",
            options: {
              testMode: true,
              sandboxUrl: SANDBOX,
              appId: env("XPRESS_PAY_APP_ID", test.XPRESS_PAY_APP_ID),
              webhookUrl: hook("xpress-pay"),
              returnUrl: `${STOREFRONT_URL}/checkout/return`,
            },
          },
          {
            resolve: provider("xpay-pk"),
            id: "default",
            options: {
              testMode: true,
              sandboxUrl: SANDBOX,
              apiKey: env("XPAY_PK_API_KEY", test.XPAY_PK_API_KEY),
              accountId: env("XPAY_PK_ACCOUNT_ID", test.XPAY_PK_ACCOUNT_ID),
              hmacSecret: env("XPAY_PK_HMAC_SECRET", test.XPAY_PK_HMAC_SECRET),
              webhookSecret: env("XPAY_PK_WEBHOOK_SECRET", test.XPAY_PK_WEBHOOK_SECRET),
              returnUrl: `${STOREFRONT_URL}/checkout/return`,
            },
          },
          {
            resolve: provider("xpay-eg"),
            id: "default",
            options: {
              testMode: true,
              sandboxUrl: SANDBOX,
              apiKey: env("XPAY_EG_API_KEY", test.XPAY_EG_API_KEY),
              communityId: env("XPAY_EG_COMMUNITY_ID", test.XPAY_EG_COMMUNITY_ID),
              variableAmountId: Number(env("XPAY_EG_VARIABLE_AMOUNT_ID", test.XPAY_EG_VARIABLE_AMOUNT_ID)),
              methods: ["card", "kiosk", "fawry", "wallet", "valu"],
            },
          },
          {
            resolve: provider("xpay-kg"),
            id: "default",
            options: {
              testMode: true,
              sandboxUrl: SANDBOX,
              clientId: env("XPAY_KG_CLIENT_ID", test.XPAY_KG_CLIENT_ID),
              clientSecret: env("XPAY_KG_CLIENT_SECRET", test.XPAY_KG_CLIENT_SECRET),
              webhookUrl: hook("xpay-kg"),
              returnUrl: `${STOREFRONT_URL}/checkout/return`,
            },
          },
        ],
      },
    },
  ],
});
