import type { Config } from "jest";

/** One Jest project per package; sources are compiled by SWC, types are checked by `pnpm typecheck`. */
const swc: Config["transform"] = {
  "^.+\\.(t|j)sx?$": [
    "@swc/jest",
    { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
  ],
};

const project = (name: string, dir: string, extra: Partial<Config> = {}): Config => ({
  displayName: name,
  rootDir: __dirname,
  testMatch: [`<rootDir>/${dir}/test/**/*.test.ts`],
  transform: swc,
  testEnvironment: "node",
  moduleNameMapper: { "^@xpay-connect/([a-z-]+)$": "<rootDir>/packages/$1/src" },
  ...extra,
});

const config: Config = {
  reporters: ["default", "<rootDir>/jest.summary.js"],
  projects: [
    project("core", "packages/core"),
    project("sandbox", "packages/sandbox"),
    project("conformance", "packages/conformance"),
    // The Medusa providers' unit tests (against the sandbox); their Medusa-server tests run with `pnpm test:medusa`.
    project("medusa", "plugins/medusa"),
    // The checkout-block tests (TSX in jsdom, and the built bundle in Chromium): their own config. Its global setup builds
    // the bundle; the woocommerce project's builds it only when missing (when run alone).
    "<rootDir>/plugins/woocommerce/jest.blocks.config.ts",
    // The WooCommerce plugin against real WordPress 6.5.5 (php -S + MariaDB), PHPUnit, and the real service and sandbox.
    project("woocommerce", "plugins/woocommerce", {
      setupFilesAfterEnv: ["<rootDir>/packages/server/test/setup.ts"],
      globalSetup: "<rootDir>/plugins/woocommerce/test/env/global-setup.ts",
      // The in-process service (packages/server) loads the same ES-module-only dependencies as the server's tests.
      transformIgnorePatterns: ["/node_modules/\\.pnpm/(?!(pg-boss|serialize-error|non-error|rrule-temporal|temporal-spec|content-disposition)@)"],
    }),
    // The Shopify payments app mounted in the real service, against the sandbox's Shopify emulator.
    project("shopify", "plugins/shopify", {
      setupFilesAfterEnv: ["<rootDir>/packages/server/test/setup.ts"],
      // + cookie@2 (ES module only), which light-my-request loads for the mTLS listener's inject.
      transformIgnorePatterns: ["/node_modules/\\.pnpm/(?!(pg-boss|serialize-error|non-error|rrule-temporal|temporal-spec|content-disposition|cookie)@)"],
    }),
    project("server", "packages/server", {
      setupFilesAfterEnv: ["<rootDir>/packages/server/test/setup.ts"],
      // The demo's browser modules are served from their build: compile them once before the tests.
      globalSetup: "<rootDir>/packages/server/test/global-setup.ts",
      // pg-boss, @fastify/static and some of their dependencies ship only ES modules: let SWC compile them for Jest's CommonJS runtime.
      transformIgnorePatterns: ["/node_modules/\\.pnpm/(?!(pg-boss|serialize-error|non-error|rrule-temporal|temporal-spec|content-disposition)@)"],
    }),
  ],
};

export default config;
