import type { Config } from "jest";

/**
 * The checkout-block tests (test/blocks/*.test.tsx): TSX compiled by SWC with React's automatic runtime, run in jsdom
 * (the browser test switches itself to node). Runs on its own (`pnpm --filter xpay-connect-woocommerce test:blocks`)
 * or as a project of the root Jest config. The global setup builds the bundle the browser test loads.
 */
const config: Config = {
  displayName: "woocommerce-blocks",
  rootDir: __dirname,
  testMatch: ["<rootDir>/test/blocks/**/*.test.tsx"],
  testEnvironment: "jsdom",
  transform: {
    "^.+\\.(t|j)sx?$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript", tsx: true }, transform: { react: { runtime: "automatic" } }, target: "es2022" },
        module: { type: "commonjs" },
      },
    ],
  },
  globalSetup: "<rootDir>/test/blocks/global-setup.ts",
};

export default config;
