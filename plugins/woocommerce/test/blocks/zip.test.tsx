/**
 * @jest-environment node
 */
// scripts/zip.mjs on a fixture plugin tree: exactly the run-time files, under xpay-connect-woocommerce/, and a refusal
// when a file the plugin needs is missing. The listing is read back with Debian's unzip.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const script = path.resolve(__dirname, "../../scripts/zip.mjs");
let tree: string;

function write(rel: string, body = "x") {
  mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
  writeFileSync(path.join(tree, rel), body);
}

beforeEach(() => {
  tree = mkdtempSync(path.join(os.tmpdir(), "xpay-zip-"));
  for (const f of [
    "xpay-connect-woocommerce.php", "methods.json", "readme.txt", "uninstall.php", "includes/class-xpay-connect-plugin.php",
    "build/index.js", "build/index.asset.php", "build/index.js.map", "assets/easypaisa.svg", "languages/xpay-connect-woocommerce.pot",
    "languages/xpay-connect-woocommerce-ur.mo", "languages/xpay-connect-woocommerce-ur-0123abcd.json", "languages/xpay-connect-woocommerce-ar.l10n.php",
    // Not run-time files: none of these may be shipped.
    "src/index.tsx", "test/blocks/x.test.tsx", "node_modules/react/index.js", "package.json", "tsconfig.json", "webpack.config.js",
    "jest.blocks.config.ts", "phpunit.xml.dist", "scripts/zip.mjs", "includes/.DS_Store", ".gitignore", "languages/make-pot.php", "includes/node_modules/x.js",
  ]) write(f);
});
afterEach(() => rmSync(tree, { recursive: true, force: true }));

it("ships exactly the plugin's run-time files under xpay-connect-woocommerce/", () => {
  const out = path.join(tree, "out.zip");
  execFileSync(process.execPath, [script, "--dir", tree, "--out", out]);
  const entries = execFileSync("unzip", ["-Z1", out], { encoding: "utf8" }).trim().split("\n");
  expect(entries.filter((e) => !e.endsWith("/")).sort()).toEqual(
    [
      "assets/easypaisa.svg", "build/index.asset.php", "build/index.js", "includes/class-xpay-connect-plugin.php",
      "languages/xpay-connect-woocommerce-ar.l10n.php", "languages/xpay-connect-woocommerce-ur-0123abcd.json", "languages/xpay-connect-woocommerce-ur.mo",
      "languages/xpay-connect-woocommerce.pot", "methods.json", "readme.txt", "uninstall.php", "xpay-connect-woocommerce.php",
    ].map((f) => `xpay-connect-woocommerce/${f}`),
  );
  expect(entries).toContain("xpay-connect-woocommerce/");
  expect(execFileSync("unzip", ["-p", out, "xpay-connect-woocommerce/readme.txt"], { encoding: "utf8" })).toBe("x");
  // The same files make the same zip.
  const again = path.join(tree, "again.zip");
  execFileSync(process.execPath, [script, "--dir", tree, "--out", again]);
  expect(readFileSync(again).equals(readFileSync(out))).toBe(true);
});

it("refuses to pack a plugin without its built script", () => {
  rmSync(path.join(tree, "build/index.asset.php"));
  const run = spawnSync(process.execPath, [script, "--dir", tree, "--out", path.join(tree, "out.zip")], { encoding: "utf8" });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/missing build\/index\.asset\.php/);
});

it("packs this plugin: its main file, includes/, the built script and no development files", () => {
  const plugin = path.resolve(__dirname, "../..");
  const out = path.join(tree, "plugin.zip");
  execFileSync(process.execPath, [script, "--out", out]);
  const entries = execFileSync("unzip", ["-Z1", out], { encoding: "utf8" }).trim().split("\n");
  const includes = execFileSync("find", ["includes", "-type", "f", "-name", "*.php"], { cwd: plugin, encoding: "utf8" }).trim().split("\n");
  for (const f of ["xpay-connect-woocommerce.php", "methods.json", "readme.txt", "uninstall.php", "build/index.js", "build/index.asset.php", ...includes]) {
    expect(entries).toContain(`xpay-connect-woocommerce/${f}`);
  }
  expect(entries.filter((e) => !e.startsWith("xpay-connect-woocommerce/"))).toEqual([]);
  expect(entries.filter((e) => /\/(src|test|node_modules|scripts)\/|\.map$|\.tsx?$|package\.json$|phpunit/.test(e))).toEqual([]);
  expect(JSON.parse(execFileSync("unzip", ["-p", out, "xpay-connect-woocommerce/methods.json"], { encoding: "utf8" })).methods).toHaveLength(9);
});
