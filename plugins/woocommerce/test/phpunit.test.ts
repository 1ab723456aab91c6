import { execFile } from "node:child_process";
import path from "node:path";
import { startStack, type Stack } from "../../../packages/server/test/harness";
import { PLUGIN_DIR, startWordPress, wordpressAvailable, type WordPress } from "./env/wordpress";

/**
 * Runs Debian's `phpunit` (plugins/woocommerce/phpunit.xml.dist: test/env/php and test/php) against a
 * real WordPress 6.5.5 on MariaDB with the WooCommerce stand-in and our plugin, and the real connector
 * service and sandbox in this process on 127.0.0.1. Fails with PHPUnit's output when PHPUnit fails.
 */
describe("PHPUnit against real WordPress, the connector service and the sandbox", () => {
  let wp: WordPress | undefined;
  let stack: Stack | undefined;

  beforeAll(async () => {
    if (!wordpressAvailable("the WooCommerce plugin's PHPUnit tests", { phpunit: true })) return;
    stack = await startStack({ allowPrivateEndpoints: true });
    wp = await startWordPress();
  }, 120_000);

  afterAll(async () => {
    await wp?.stop();
    await stack?.stop();
  });

  it("passes every PHP test, with no PHP warnings or notices in debug.log", async () => {
    if (!wp || !stack) return;
    const env = {
      ...process.env,
      ...wp.env(),
      XPAY_TEST_SERVICE_URL: stack.service.url,
      XPAY_TEST_API_KEY: stack.apiKey,
      XPAY_TEST_SANDBOX_URL: stack.sandbox.url,
      XPAY_TEST_MERCHANT_ID: stack.merchantId,
    };
    const args = ["-c", path.join(PLUGIN_DIR, "phpunit.xml.dist"), "--log-junit", path.join(path.dirname(wp.dir), "phpunit.xml")];
    // A local convenience only: CI always runs every PHP test.
    if (process.env.XPAY_PHPUNIT_FILTER && process.env.CI !== "true") args.push("--filter", process.env.XPAY_PHPUNIT_FILTER);
    // Asynchronous on purpose: the service and sandbox PHPUnit talks to run in this process's event loop.
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile("phpunit", args, { cwd: PLUGIN_DIR, env, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      });
    });
    if (result.code !== 0) throw new Error(`phpunit exited ${result.code}:\n${result.output.slice(-30_000)}\ndebug.log:\n${wp.debugLog(8000)}`);
    expect(result.output).toMatch(/OK \(\d+ tests?, \d+ assertions?\)/);
    expect(wp.phpProblems()).toEqual([]);
  }, 660_000);
});
