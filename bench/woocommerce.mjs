// The WooCommerce checkout-block bundle: builds plugins/woocommerce/build/index.js as the zip ships it (wp-scripts,
// production) and reports its size, gzipped at level 9 (what a shopper's browser downloads) and raw. KB = 1024 bytes.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const plugin = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), "plugins/woocommerce");

export function woocommerceBench() {
  execFileSync(path.join(plugin, "node_modules/.bin/wp-scripts"), ["build"], {
    cwd: plugin,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  const js = readFileSync(path.join(plugin, "build/index.js"));
  const kb = (n) => (n / 1024).toFixed(2);
  return [`woocommerce_block_kb: ${kb(gzipSync(js, { level: 9 }).length)}`, `woocommerce_block_raw_kb: ${kb(js.length)}`];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) for (const line of woocommerceBench()) console.log(line);
