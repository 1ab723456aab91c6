/**
 * End to end in a real browser (Debian's chromium, driven by playwright-core) for every pay-in
 * gateway: the buyer opens the Shopify emulator's checkout, picks the method, pays on the sandbox's
 * page (or, for xPay KG, while the app's QR page waits) and ends on Shopify's "Order confirmed"
 * page, with exactly one resolve per session.
 * Under CI=true a missing chromium is a failure; elsewhere these tests say loudly that they skipped.
 */
import type { BrowserContext, Page } from "playwright-core";
import { approveEasyPaisa, chromiumOrSkip, openBrowser, payXpayEgCard, payXpayPkCard, type TestBrowser } from "../../../packages/sandbox/test/browser";
import { configureSessions } from "../src/sessions";
import { deployToEmulator, eventually, startShopifyStack, type ShopifyStack } from "./helpers/stack";
import { journal, readyShop, serviceApi } from "./helpers/shop";

jest.setTimeout(120_000);

const SHOP = "browser-shop.myshopify.com";
const CUSTOMER = { email: "buyer@example.com", phone_number: "+923001234567", billing_address: { given_name: "Ayesha", family_name: "Khan", country_code: "PK" } };

let stack: ShopifyStack | undefined;
let opened: TestBrowser | undefined;
let browser: BrowserContext | undefined;

beforeAll(async () => {
  if (!chromiumOrSkip("the Shopify real-browser tests")) return;
  configureSessions({ pollMs: 100, retryScale: 0.02, fallbackPollMs: 500, quietMs: 1000 });
  stack = await startShopifyStack();
  if (!(await deployToEmulator(stack))) return;
  await readyShop(stack, SHOP);
  opened = await openBrowser();
  browser = opened.context;
});

afterAll(async () => {
  configureSessions({});
  await opened?.close();
  await stack?.stop();
});

afterEach(() => {
  expect(opened?.pageErrors ?? []).toEqual([]);
});

/** Opens a new checkout in the browser and pays with the extension `handle`. */
async function payWith(handle: string, amount: string, currency: string): Promise<{ page: Page; token: string }> {
  if (!stack || !browser) throw new Error("no browser");
  const created = await stack.control<{ token: string; checkout_url: string }>("/checkouts", { shop: SHOP, amount, currency, test: true, customer: CUSTOMER });
  const page = await browser.newPage();
  await page.goto(created.body.checkout_url);
  await page.locator(`[data-handle="${handle}"]`).check();
  await page.click("#pay");
  return { page, token: created.body.token };
}

/** The buyer lands on Shopify's thank-you page, the order confirmed, and the session was resolved exactly once. */
async function confirmed(page: Page, token: string): Promise<void> {
  if (!stack) throw new Error("no stack");
  await page.waitForURL((url) => url.href.startsWith(`${stack?.origin(SHOP)}/checkouts/${token}/thank_you`));
  await page.locator("#order-status", { hasText: "Order confirmed" }).waitFor();
  const sessions = (await journal(stack, SHOP)).payment_sessions.filter((s) => (s as unknown as { checkout: string }).checkout === token);
  expect(sessions).toHaveLength(1);
  expect(sessions[0]?.state.code).toBe("RESOLVED");
  expect(sessions[0]?.mutations.filter((m) => m.operation.toLowerCase() === "paymentsessionresolve" && m.accepted)).toHaveLength(1);
  await page.close();
}

it("Xpress Pay: EasyPaisa on the sandbox's wallet page, then Shopify's Order confirmed", async () => {
  if (!browser || !stack) return;
  const { page, token } = await payWith("xpress-pay", "1500.00", "PKR");
  await page.getByText("PKR 1500.00").waitFor();
  await approveEasyPaisa(page, stack.sandbox.url);
  await confirmed(page, token);
});

it("XPay PK: a card through 3-D Secure, then Shopify's Order confirmed", async () => {
  if (!browser || !stack) return;
  const { page, token } = await payWith("xpay-pk", "450.50", "PKR");
  await payXpayPkCard(page, stack.sandbox.url);
  await confirmed(page, token);
});

it("XPay EG: a card on the iframe page, back through the dashboard's return URL, then Shopify's Order confirmed", async () => {
  if (!browser || !stack) return;
  const { page, token } = await payWith("xpay-eg", "250.00", "EGP");
  await payXpayEgCard(page, stack.sandbox.url);
  await confirmed(page, token);
});

it("xPay KG: the app's QR page goes pending with Shopify, and turns to Order confirmed when the QR is paid", async () => {
  if (!browser || !stack) return;
  const { page, token } = await payWith("xpay-kg", "500.00", "KGS");
  await page.waitForURL((url) => url.href.startsWith(`${stack?.appUrl}/shopify/pay/`));
  const image = page.locator("img#qr-image");
  await image.waitFor();
  expect(await image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
  // Shopify has the session pending: the way back to the shop appears.
  await page.locator("#back:not([hidden])").waitFor();
  const ofCheckout = (j: Awaited<ReturnType<typeof journal>>) => j.payment_sessions.find((s) => (s as unknown as { checkout: string }).checkout === token);
  const pending = ofCheckout(await eventually(() => journal(stack as ShopifyStack, SHOP), (j) => ofCheckout(j)?.state.code === "PENDING"));
  const [payment] = (await serviceApi(stack, "GET", `/v1/payments?order_ref=${encodeURIComponent(String(pending?.id))}`)).body.data as { id: string }[];
  const res = await fetch(`${stack.sandbox.url}/_sandbox/xpay-kg/orders/${payment?.id}/approve`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  expect(res.status).toBe(200);
  await confirmed(page, token);
});
