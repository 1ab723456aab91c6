/**
 * Real-browser tests that reach the sandbox's hosted payment pages (the demo store's, the Shopify app's, `pnpm start`'s):
 * Debian's Chromium on a fresh profile, and what a buyer does on each page (wait for it, fill it, approve).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const CHROMIUM = process.env.XPAY_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Whether Chromium is installed; when it is not, throws under CI=true and elsewhere says loudly that `what` is skipped. */
export function chromiumOrSkip(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === "true") throw new Error(`chromium is required under CI=true and is missing at ${CHROMIUM} (apt-get install -y chromium)`);
  console.warn(`\n*** SKIPPING ${what}: no chromium at ${CHROMIUM} (apt-get install -y chromium, or set XPAY_CHROMIUM) ***\n`);
  return false;
}

/** A browser for one test file: its pages' uncaught errors collect in `pageErrors`; `close()` also removes the profile. */
export interface TestBrowser {
  context: BrowserContext;
  pageErrors: string[];
  close(): Promise<void>;
}

/** Chromium on a new, empty profile directory (a persistent context: Playwright passes it as --user-data-dir). */
export async function openBrowser(timeoutMs = 20_000): Promise<TestBrowser> {
  const profileDir = mkdtempSync(path.join(tmpdir(), "xc-browser-"));
  const context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(timeoutMs);
  const pageErrors: string[] = [];
  context.on("page", (p) => p.on("pageerror", (e) => pageErrors.push(`${p.url()}: ${e.message}`)));
  return {
    context,
    pageErrors,
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Xpress Pay's EasyPaisa page: the wallet's mobile number (when the page asks for it), then Approve. */
export async function approveEasyPaisa(page: Page, sandboxUrl: string, mobile = "03001234567"): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(`${sandboxUrl}/xpress-pay/checkout/`));
  if (await page.locator("#mobile").count()) await page.fill("#mobile", mobile);
  await page.click("button[value=approve]");
}

/** XPay PK's card page with a card that asks for 3-D Secure, then the 3-D Secure page's one-time code. */
export async function payXpayPkCard(page: Page, sandboxUrl: string): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(`${sandboxUrl}/xpay-pk/checkout/`));
  await page.fill("#number", "4000000000003220");
  await page.fill("#expiry_month", "12");
  await page.fill("#expiry_year", "2030");
  await page.fill("#cvc", "123");
  await page.fill("#name", "Ayesha Khan");
  await page.click("button[value=pay]");
  await page.waitForURL((url) => url.pathname.startsWith("/xpay-pk/3ds/"));
  await page.fill("#otp", "123456");
  await page.click("button[value=approve]");
}

/** XPay EG's iframe page with a card that pays. */
export async function payXpayEgCard(page: Page, sandboxUrl: string): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(`${sandboxUrl}/xpay-eg/core/payment_iframe/`));
  await page.fill("#card_number", "4111111111111111");
  await page.fill("#expiry", "12/30");
  await page.fill("#cvv", "123");
  await page.click("button[value=pay]");
}
