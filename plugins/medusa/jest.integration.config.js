/**
 * Medusa integration tests (real Medusa server, real PostgreSQL, the sandbox).
 * Run through `pnpm test:medusa` (scripts/integration.mjs), which sets NODE_OPTIONS=--experimental-vm-modules,
 * DB_HOST=localhost and DB_USERNAME=postgres, and skips loudly without PostgreSQL (never under CI=true).
 */
module.exports = {
  displayName: "medusa-server",
  reporters: ["default", ["<rootDir>/../../jest.summary.js", { label: "medusa server" }]],
  rootDir: __dirname,
  testMatch: ["<rootDir>/integration-tests/http/**/*.spec.ts"],
  testEnvironment: "node",
  transform: {
    "^.+\\.(t|j)sx?$": ["@swc/jest", { jsc: { parser: { syntax: "typescript", decorators: true }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  moduleNameMapper: { "^@xpay-connect/([a-z-]+)$": "<rootDir>/../../packages/$1/src" },
};
