import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { APP_DIR } from "../src/deploy";

const run = promisify(execFile);
const SHOPIFY = path.join(APP_DIR, "node_modules", ".bin", "shopify");

/** `shopify app build` from @shopify/cli 3.92 (offline): validates shopify.app.toml and every extension TOML. */
async function build(dir: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(SHOPIFY, ["app", "build", "--path", dir, "--skip-dependencies-installation"], {
      env: { ...process.env, SHOPIFY_CLI_NO_ANALYTICS: "1", CI: "1", NO_COLOR: "1" },
      timeout: 240_000,
      maxBuffer: 10 * 1024 * 1024,
    });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}${e.message}` };
  }
}

/** A copy of the app's CLI project (TOMLs and package.json) in a temp dir. */
function copyApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "xpay-shopify-app-"));
  cpSync(path.join(APP_DIR, "shopify.app.toml"), path.join(dir, "shopify.app.toml"));
  cpSync(path.join(APP_DIR, "extensions"), path.join(dir, "extensions"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "xpay-connect-shopify-copy", private: true }));
  return dir;
}

describe("shopify app build (@shopify/cli 3.92)", () => {
  jest.setTimeout(600_000);

  it("builds plugins/shopify", async () => {
    const result = await build(APP_DIR);
    expect([result.ok, result.output]).toEqual([true, expect.stringContaining("built!")]);
  });

  it("refuses a copy whose merchant_label is 51 characters", async () => {
    const dir = copyApp();
    try {
      const file = path.join(dir, "extensions", "xpay-eg", "shopify.extension.toml");
      writeFileSync(file, readFileSync(file, "utf8").replace(/^merchant_label = ".*"$/m, `merchant_label = "${"X".repeat(51)}"`));
      const result = await build(dir);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/merchant_label/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a copy with a relative payment_session_url", async () => {
    const dir = copyApp();
    try {
      const file = path.join(dir, "extensions", "xpress-pay", "shopify.extension.toml");
      writeFileSync(file, readFileSync(file, "utf8").replace(/^payment_session_url = ".*"$/m, 'payment_session_url = "/shopify/sessions/payment/xpress-pay"'));
      const result = await build(dir);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/payment_session_url/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
