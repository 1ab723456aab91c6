// @wordpress/scripts' own config, with WooCommerce's checkout-block globals mapped the way WooCommerce's dependency
// extraction plugin maps them (that plugin's current releases depend on an unresolvable @next version).
/* eslint-disable @typescript-eslint/no-require-imports -- webpack-cli loads this file as CommonJS, as wp-scripts expects. */
const defaultConfig = require("@wordpress/scripts/config/webpack.config");
const DependencyExtractionWebpackPlugin = require("@wordpress/dependency-extraction-webpack-plugin");

const WC = {
  "@woocommerce/blocks-registry": { external: ["wc", "wcBlocksRegistry"], handle: "wc-blocks-registry" },
  "@woocommerce/settings": { external: ["wc", "wcSettings"], handle: "wc-settings" },
};

module.exports = {
  ...defaultConfig,
  plugins: [
    ...defaultConfig.plugins.filter((p) => p.constructor.name !== "DependencyExtractionWebpackPlugin"),
    new DependencyExtractionWebpackPlugin({
      requestToExternal: (request) => WC[request]?.external,
      requestToHandle: (request) => WC[request]?.handle,
    }),
  ],
};
