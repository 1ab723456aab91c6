/**
 * The Shopify emulator's checkout in real Chromium (playwright-core): pick the method, Pay now, the app's page,
 * back on Shopify's thank-you page; and a pending payment whose page turns "Order confirmed" by itself.
 * The app side is a tiny test double. Under CI=true a missing chromium is a failure; elsewhere the tests say loudly that they skipped.
 */
import type { BrowserContext } from "playwright-core";
import { chromiumOrSkip, openBrowser, type TestBrowser } from "./browser";
import { startSandbox, type SandboxHandle } from "../src";
import { CONFIGURE, FakeApp, type AppReply, PENDING, RESOLVE, call, deployedApp, graphql, install } from "./shopify-helpers";

jest.setTimeout(60_000);

const SHOP = "browser-shop.myshopify.com";

let sandbox: SandboxHandle;
let app: FakeApp;
let opened: TestBrowser | undefined;
let browser: BrowserContext | undefined;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  app = await new FakeApp().start();
  await call(sandbox, "/_sandbox/shopify/apps", deployedApp(app.url));
  token = (await install(sandbox, SHOP, app.url)).access_token;
  await graphql(sandbox, SHOP, token, CONFIGURE, { ready: true, externalHandle: "m-1" });
  // The app: answers the session request with its own page, whose buttons resolve or pend the session and follow nextAction.
  app.reply = async (req): Promise<AppReply> => {
    const url = new URL(req.path, app.url);
    if (url.pathname === "/sessions/payment") return { status: 200, body: JSON.stringify({ redirect_url: `${app.url}/pay/${encodeURIComponent(JSON.parse(req.body).gid)}` }) };
    const [, , gid, action] = url.pathname.split("/");
    if (url.pathname.startsWith("/pay/") && req.method === "GET") {
      return {
        status: 200,
        headers: { "content-type": "text/html" },
        body: `<h1>Gateway</h1><form method="post" action="/pay/${gid}/pay"><button id="approve">Approve</button></form><form method="post" action="/pay/${gid}/later"><button id="later">Pay at a kiosk</button></form>`,
      };
    }
    if (req.method !== "POST" || !gid || !["pay", "later"].includes(action ?? "")) return { status: 404 }; // e.g. the browser's /favicon.ico
    const id = decodeURIComponent(gid);
    const answer =
      action === "pay"
        ? (await graphql(sandbox, SHOP, token, RESOLVE, { id })).body.data.paymentSessionResolve
        : (await graphql(sandbox, SHOP, token, PENDING, { id, pendingExpiresAt: new Date(Date.now() + 3600_000).toISOString(), reason: "BUYER_ACTION_REQUIRED" })).body.data
            .paymentSessionPending;
    return { status: 302, headers: { location: answer.paymentSession.nextAction.context.redirectUrl } };
  };
  if (!chromiumOrSkip("the Shopify checkout browser tests")) return;
  opened = await openBrowser(15_000);
  browser = opened.context;
});

afterAll(async () => {
  await opened?.close();
  await sandbox.close();
  await app.close();
});

afterEach(() => expect(opened?.pageErrors ?? []).toEqual([]));

async function checkoutPage() {
  const checkout = (await call(sandbox, "/_sandbox/shopify/checkouts", { shop: SHOP, amount: "2500.00", currency: "PKR", test: true })).body;
  const page = await (browser as BrowserContext).newPage();
  await page.goto(checkout.checkout_url);
  await page.click('[data-handle="xpay-pk"]');
  await page.click("#pay");
  await page.waitForSelector("#approve");
  return page;
}

it("a buyer picks the method, pays on the app's page and lands on Order confirmed", async () => {
  if (!browser) return;
  const page = await checkoutPage();
  await page.click("#approve");
  await page.waitForURL(/\/thank_you$/);
  expect(await page.textContent("#order-status")).toBe("Order confirmed");
  await page.close();
});

it("a pending payment shows Payment pending, then the page turns Order confirmed once the app resolves", async () => {
  if (!browser) return;
  const page = await checkoutPage();
  await page.click("#later");
  await page.waitForURL(/\/thank_you$/);
  expect(await page.textContent("#order-status")).toBe("Payment pending");
  const gid = `gid://shopify/PaymentSession/${await page.textContent("#session-id")}`;
  expect((await graphql(sandbox, SHOP, token, RESOLVE, { id: gid })).body.data.paymentSessionResolve.userErrors).toEqual([]);
  // The page's own poll script changes the text: no reload here.
  await page.locator("#order-status", { hasText: "Order confirmed" }).waitFor();
  await page.close();
});
