/**
 * `pnpm start` as a person runs it (`node plugins/shopify/dist/start.js`, its own process): the banner's rows line up,
 * and the Shopify checkout it prints is open on the emulator's demo shop, the app installed and linked to the demo
 * merchant with no setup; real Chromium pays it with EasyPaisa and ends on Shopify's "Order confirmed". A second start
 * on the same data directory reuses the install and the link (one events endpoint, the paid session still resolved)
 * and prints a new checkout.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { approveEasyPaisa, chromiumOrSkip, openBrowser, type TestBrowser } from "../../../packages/sandbox/test/browser";
import { freePort } from "./helpers/stack";

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, "../../..");
const SHOP = "xpay-demo.myshopify.com";

interface Started {
  child: ChildProcess;
  output: string;
  /** The banner's table: label -> value, and the column each value starts at. */
  rows: Map<string, { value: string; column: number }>;
}

let dataDir: string;
let ports: { service: number; sandbox: number };
let running: Started | undefined;
let opened: TestBrowser | undefined;

/** Runs `pnpm start`'s launcher on `dataDir` and resolves once its banner is printed. */
async function start(): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(ports.service), SANDBOX_PORT: String(ports.sandbox), HOST: "127.0.0.1", XPAY_CONNECT_DATA: dataDir, LOG_LEVEL: "warn", NODE_OPTIONS: "" };
  for (const name of ["DATABASE_URL", "PUBLIC_URL", "XPAY_CONNECT_KEY", "SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SHOPIFY_ORIGIN_TEMPLATE", "SHOPIFY_MTLS_PORT"]) delete env[name];
  const child = spawn(process.execPath, [path.join(ROOT, "plugins/shopify/dist/start.js")], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (c: Buffer) => {
      output += c.toString();
      if (output.includes("Ctrl-C stops everything.")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`pnpm start exited (${code}) before its banner:\n${output}`)));
  });
  const lines = output.split("\n");
  const first = lines.findIndex((l) => l.startsWith("  Demo store "));
  const end = lines.findIndex((l, i) => i > first && l.trim() === "");
  const rows = new Map<string, { value: string; column: number }>();
  for (const line of lines.slice(first, end)) {
    const m = /^ {2}(\S(?:.*?\S)?) {2,}(\S.*)$/.exec(line);
    if (!m) throw new Error(`not a banner row: ${JSON.stringify(line)}`);
    rows.set(m[1] as string, { value: m[2] as string, column: line.indexOf(m[2] as string, 2 + (m[1] as string).length) });
  }
  return { child, output, rows };
}

async function stop(started: Started | undefined): Promise<void> {
  if (!started || started.child.exitCode !== null || started.child.signalCode !== null) return;
  const exited = once(started.child, "exit");
  started.child.kill("SIGINT");
  await exited;
}

const sandboxUrl = () => `http://127.0.0.1:${ports.sandbox}`;

interface ShopJournal {
  installed: boolean;
  configuration: { ready: boolean; externalHandle: string | null };
  installations: unknown[];
  payment_sessions: { checkout: string; handle: string; state: { code: string }; mutations: { operation: string; accepted: boolean }[] }[];
}

async function shopJournal(): Promise<ShopJournal> {
  return (await (await fetch(`${sandboxUrl()}/_sandbox/shopify/shops/${SHOP}`)).json()) as ShopJournal;
}

function row(started: Started, label: string): string {
  const value = started.rows.get(label)?.value;
  if (!value) throw new Error(`no "${label}" row in the banner:\n${started.output}`);
  return value;
}

const checkoutUrlOf = (started: Started) => /^(http:\/\/\S+\/checkouts\/[A-Za-z0-9]+)/.exec(row(started, "Shopify checkout"))?.[1] ?? "";

beforeAll(() => {
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-b", path.join(ROOT, "plugins/shopify")], { stdio: "inherit" });
  dataDir = mkdtempSync(path.join(tmpdir(), "xc-shopify-start-"));
});

afterAll(async () => {
  await opened?.close();
  await stop(running);
  rmSync(dataDir, { recursive: true, force: true });
});

it("prints a Shopify checkout of the demo shop, ready with no setup, that a buyer pays through to Order confirmed; a restart reuses the install", async () => {
  ports = { service: await freePort(), sandbox: await freePort() };
  running = await start();
  // Every row of the banner's table, the Shopify ones included, starts its value in the same column.
  expect([...running.rows.keys()]).toEqual(expect.arrayContaining(["Demo store", "Sandbox", "Shopify app", "Shopify checkout", "Shopify admin"]));
  expect(new Set([...running.rows.values()].map((r) => r.column)).size).toBe(1);
  expect(row(running, "Shopify admin")).toContain("linked to the demo merchant now");
  const checkoutUrl = checkoutUrlOf(running);
  expect(checkoutUrl.startsWith(`${sandboxUrl()}/shopify/stores/${SHOP}/checkouts/`)).toBe(true);

  const journal = await shopJournal();
  expect({ installed: journal.installed, ready: journal.configuration.ready }).toEqual({ installed: true, ready: true });
  const checkoutPage = await (await fetch(checkoutUrl)).text();
  expect(checkoutPage).toContain('data-handle="xpress-pay"');
  expect(checkoutPage).toContain('data-handle="xpay-pk"');

  const token = checkoutUrl.split("/").pop() as string;
  if (chromiumOrSkip("pnpm start's Shopify checkout in a real browser")) {
    opened = await openBrowser(30_000);
    const page = await opened.context.newPage();
    await page.goto(checkoutUrl);
    await page.locator('[data-handle="xpress-pay"]').check();
    await page.click("#pay");
    await approveEasyPaisa(page, sandboxUrl());
    await page.waitForURL((url) => url.href.startsWith(`${checkoutUrl}/thank_you`));
    await page.locator("#order-status", { hasText: "Order confirmed" }).waitFor();
    const sessions = (await shopJournal()).payment_sessions.filter((s) => s.checkout === token);
    expect(sessions.map((s) => [s.handle, s.state.code, s.mutations.filter((m) => m.operation.toLowerCase() === "paymentsessionresolve" && m.accepted).length])).toEqual([["xpress-pay", "RESOLVED", 1]]);
    expect(opened.pageErrors).toEqual([]);
  }

  await stop(running);
  running = await start();
  expect(new Set([...running.rows.values()].map((r) => r.column)).size).toBe(1);
  expect(row(running, "Shopify admin")).toContain("linked to the demo merchant by an earlier run");
  expect(checkoutUrlOf(running)).not.toBe(checkoutUrl);
  const again = await shopJournal();
  expect({ installed: again.installed, ready: again.configuration.ready, installations: again.installations.length }).toEqual({ installed: true, ready: true, installations: 1 });
  if (opened) expect(again.payment_sessions.find((s) => s.checkout === token)?.state.code).toBe("RESOLVED");
  // The link was not made again: the demo merchant has one events endpoint for the shop.
  const apiKey = /Its API key: (\S+)/.exec(running.output)?.[1];
  const endpoints = (await (await fetch(`http://127.0.0.1:${ports.service}/v1/endpoints`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { data: { url: string }[] };
  expect(endpoints.data.filter((e) => e.url.endsWith(`/shopify/events/${SHOP}`))).toHaveLength(1);
});
