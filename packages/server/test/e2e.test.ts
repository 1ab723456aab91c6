/**
 * End to end in a real browser: Debian's chromium, driven by playwright-core, shops in the demo store
 * of a stack started the way `pnpm start` starts it (sandbox, service on PGlite on disk, demo
 * merchant), pays on the sandbox's hosted pages and sees the order paid, live.
 * Under CI=true a missing chromium is a failure; elsewhere these tests say loudly that they skipped.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pino from "pino";
import type { BrowserContext, Page } from "playwright-core";
import { launch, type Launched } from "../src/demo/launch";
import { qrImage } from "../src/demo/qr-image";
import { chromiumOrSkip, openBrowser, payXpayPkCard, type TestBrowser } from "../../sandbox/test/browser";

jest.setTimeout(120_000);

let running: Launched | undefined;
let opened: TestBrowser | undefined;
let browser: BrowserContext | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  if (!chromiumOrSkip("the real-browser tests")) return;
  dataDir = mkdtempSync(path.join(tmpdir(), "xc-e2e-data-"));
  running = await launch({
    sandboxPort: 0,
    service: { port: 0, dataDir, databaseUrl: undefined, masterKey: randomBytes(32).toString("hex") },
    log: pino({ level: process.env.LOG_LEVEL ?? "silent" }),
  });
  opened = await openBrowser();
  browser = opened.context;
});

afterAll(async () => {
  await opened?.close();
  await running?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  expect(opened?.pageErrors ?? []).toEqual([]);
});

async function openStore(): Promise<{ page: Page; base: string; sandbox: string }> {
  if (!browser || !running) throw new Error("no browser");
  const page = await browser.newPage();
  const base = running.service.url;
  await page.goto(`${base}/demo`);
  await page.locator("#live.on").waitFor();
  return { page, base, sandbox: running.sandbox.url };
}

/** The payment behind an order, read through the API as the demo merchant. */
async function paymentOf(ref: string): Promise<Record<string, unknown>> {
  if (!running) throw new Error("not running");
  const res = await fetch(`${running.service.url}/v1/payments?order_ref=${ref}`, { headers: { authorization: `Bearer ${running.demo.apiKey}` } });
  const list = (await res.json()) as { data: Record<string, unknown>[] };
  return list.data[0] ?? {};
}

function refOf(url: string): string {
  const ref = /\/demo\/order\/(DEMO-[A-Z0-9]{8})/.exec(url)?.[1];
  if (!ref) throw new Error(`not an order page: ${url}`);
  return ref;
}

it("buys a scarf with EasyPaisa on the sandbox's wallet page and sees the order paid", async () => {
  if (!browser) return;
  const { page, base, sandbox } = await openStore();
  await page.click("[data-product=scarf] button");
  await page.locator("input[name=gateway][value=xpress-pay]").check();
  await page.locator("input[name=method][value=easypaisa]").check();
  // No wallet number here: the wallet page asks for it.
  await page.fill("#phone", "");
  await page.click("#place-order");

  await page.waitForURL((url) => url.href.startsWith(`${sandbox}/xpress-pay/checkout/`));
  await page.getByText("Pay with EasyPaisa").waitFor();
  await page.getByText("PKR 1500.00").waitFor();
  await page.fill("#mobile", "03001234567");
  await page.click("button[value=approve]");

  await page.waitForURL((url) => url.href.startsWith(`${base}/demo/order/`));
  const ref = refOf(page.url());
  await page.locator('#order-status[data-status="succeeded"]').waitFor();
  expect(await page.locator("#paid").textContent()).toContain("this order is paid");
  expect(await page.locator("#timeline").textContent()).toContain("Awaiting payment → Paid (gateway callback, verified)");
  expect(await paymentOf(ref)).toMatchObject({ status: "succeeded", gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR" });

  // The store owner's side lists it as paid.
  await page.click("text=Back to the store");
  await page.locator(`tr[data-order="${ref}"] .badge[data-status="succeeded"]`).waitFor();
  await page.close();
});

it("pays for tea by card on XPay PK through 3-D Secure and sees the order paid", async () => {
  if (!browser) return;
  const { page, base, sandbox } = await openStore();
  await page.click("[data-product=tea] button");
  await page.locator("input[name=gateway][value=xpay-pk]").check();
  expect(await page.locator("#total").textContent()).toBe("PKR 450.50");
  await page.click("#place-order");

  await payXpayPkCard(page, sandbox);

  await page.waitForURL((url) => url.href.startsWith(`${base}/demo/order/`));
  await page.locator('#order-status[data-status="succeeded"]').waitFor();
  expect(await paymentOf(refOf(page.url()))).toMatchObject({ status: "succeeded", gateway: "xpay-pk", amount: "450.50" });
  await page.close();
});

it("shows an XPay EG kiosk bill reference and turns the order paid live while the kiosk is paid in another tab", async () => {
  if (!browser) return;
  const { page, base } = await openStore();
  await page.click("[data-product=scarf] button");
  await page.locator("input[name=gateway][value=xpay-eg]").check();
  await page.locator("input[name=method][value=kiosk]").check();
  expect(await page.locator("#total").textContent()).toBe("EGP 250.00");
  await page.click("#place-order");

  await page.waitForURL((url) => url.href.startsWith(`${base}/demo/order/`));
  const ref = refOf(page.url());
  const bill = await page.locator("#bill-reference").textContent();
  expect(bill).toMatch(/^\d+$/);
  await page.locator('#order-status[data-status="requires_action"]').waitFor();
  await page.locator("#live.on").waitFor();

  const [kiosk] = await Promise.all([page.context().waitForEvent("page"), page.click("text=Play the kiosk in the sandbox")]);
  await kiosk.locator("#bill-reference").waitFor();
  expect(await kiosk.locator("#bill-reference").textContent()).toBe(bill);
  await kiosk.click("button[value=approve]");
  // XPay EG sends the shopper to the dashboard's redirect URL: the demo's return page finds the order.
  await kiosk.waitForURL(`${base}/demo/order/${ref}`);

  // The first tab never reloaded: the status arrived over the event stream.
  await page.locator('#order-status[data-status="succeeded"]').waitFor();
  expect(await page.locator("#timeline").textContent()).toContain("Paid (gateway callback, verified)");
  await kiosk.close();
  await page.close();
});

it("sends an Xpress Pay payout, sees the balance drop, and settles it with the sandbox action", async () => {
  if (!browser) return;
  const { page } = await openStore();
  const available = page.locator("#balance-available");
  await available.waitFor();
  expect(await available.textContent()).toBe("PKR 130,000.00");
  await page.fill("#payout-amount", "250.00");
  await page.fill("#payout-mobile", "03112233445");
  await page.click("#send-payout");

  const row = page.locator("tr[data-payout]").first();
  await row.locator('.badge[data-status="pending"]').waitFor();
  await page.locator("#balance-available", { hasText: "PKR 129,750.00" }).waitFor();
  await row.locator("text=Settle in sandbox").click();
  await row.locator('.badge[data-status="succeeded"]').waitFor();
  expect(await row.locator(".badge").textContent()).toBe("Settled");
  await page.close();
});

it("opens / into the store, shows an xPay KG order's QR as an image, and turns the order paid when the QR is paid", async () => {
  if (!browser || !running) return;
  const page = await browser.newPage();
  const base = running.service.url;
  // A newcomer types the bare address.
  await page.goto(`${base}/`);
  expect(page.url()).toBe(`${base}/demo`);
  await page.locator("#live.on").waitFor();
  await page.click("[data-product=scarf] button");
  await page.locator("input[name=gateway][value=xpay-kg]").check();
  await page.click("#place-order");

  await page.waitForURL((url) => url.href.startsWith(`${base}/demo/order/`));
  const ref = refOf(page.url());
  const image = page.locator("img#qr-image");
  await image.waitFor();
  // The browser decoded the picture, and it is the one drawn from the payment's QR link.
  const decoded = await image.evaluate((img: unknown) => {
    const picture = img as { complete: boolean; naturalWidth: number };
    return picture.complete && picture.naturalWidth > 0;
  });
  expect(decoded).toBe(true);
  const payment = (await paymentOf(ref)) as { next_action: { qrData: string } };
  expect(await image.getAttribute("src")).toBe(await qrImage(payment.next_action.qrData));

  const [qrPage] = await Promise.all([page.context().waitForEvent("page"), page.click("text=Pay this QR in the sandbox")]);
  await qrPage.click('button[value="approve:MBank"]');
  await page.locator('#order-status[data-status="succeeded"]').waitFor();
  await qrPage.close();
  await page.close();
});
