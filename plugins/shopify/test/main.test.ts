/**
 * How an operator turns the app on: `node plugins/shopify/dist/main.js` runs the service with the app mounted from the
 * SHOPIFY_* variables (the install route answers with Shopify's authorize redirect for the configured app and URL), and
 * refuses to start, naming the variable, when one is missing.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { kill, spawnService, type ServiceProcess } from "../../../packages/server/test/process";
import { BROWSER_UA } from "./helpers/stack";

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, "../../..");
const MAIN = "plugins/shopify/dist/main.js";
let dataDir: string;
let running: ServiceProcess | undefined;

beforeAll(() => {
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-b", path.join(ROOT, "plugins/shopify")], { stdio: "inherit" });
  dataDir = mkdtempSync(path.join(tmpdir(), "xc-shopify-main-"));
});

afterAll(async () => {
  if (running) await kill(running, "SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
});

const base = () => ({ XPAY_CONNECT_DATA: dataDir, HOST: "127.0.0.1" });

it("serves the service and the app configured from SHOPIFY_* variables", async () => {
  running = await spawnService({ ...base(), SHOPIFY_API_KEY: "operator-client-id", SHOPIFY_API_SECRET: "operator-secret", SHOPIFY_APP_URL: "https://pay.example.com" }, MAIN);
  const install = await fetch(`${running.url}/shopify/auth?shop=corner.myshopify.com`, { redirect: "manual", headers: { "user-agent": BROWSER_UA } });
  expect(install.status).toBe(302);
  const authorize = new URL(install.headers.get("location") ?? "");
  expect(`${authorize.origin}${authorize.pathname}`).toBe("https://corner.myshopify.com/admin/oauth/authorize");
  expect(authorize.searchParams.get("client_id")).toBe("operator-client-id");
  expect(authorize.searchParams.get("redirect_uri")).toBe("https://pay.example.com/shopify/auth/callback");
  expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  await kill(running, "SIGTERM");
  running = undefined;
});

it.each([
  [{ SHOPIFY_API_KEY: "", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://pay.example.com" }, "SHOPIFY_API_KEY: required"],
  [{ SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "", SHOPIFY_APP_URL: "https://pay.example.com" }, "SHOPIFY_API_SECRET: required when SHOPIFY_API_KEY is set"],
  [{ SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://pay.example.com/shop" }, "SHOPIFY_APP_URL: expected an http(s) origin without a path"],
])("refuses to start without a usable configuration: %j", async (env, message) => {
  // Empty values: the runner's own SHOPIFY_* variables (if any) must not fill the gap.
  await expect(spawnService({ ...base(), ...env }, MAIN)).rejects.toThrow(message);
});
