import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/coverage/**", "plugins/**/vendor/**", "plugins/woocommerce/build/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "Number", property: "parseFloat", message: "Money is integer minor units: use Money.parse." },
        { property: "toFixed", message: "Money is integer minor units: use Money.format." },
      ],
      "no-restricted-globals": ["error", { name: "parseFloat", message: "Money is integer minor units: use Money.parse." }],
    },
  },
  {
    // Benchmarks format timings, not money.
    files: ["bench/**"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // Medusa's HTTP answers and container are untyped JSON / awilix in its test utilities.
    files: ["plugins/medusa/test/**", "plugins/medusa/integration-tests/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // medusa-config.js is CommonJS, as Medusa loads it.
    files: ["**/medusa-config.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The demo store's browser code: the browser's globals, not Node's.
    files: ["packages/server/demo-web/**"],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ["**/*.mjs", "**/*.cjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", fetch: "readonly", Buffer: "readonly", require: "readonly", module: "writable", __dirname: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly" } },
  },
);
