/**
 * @jest-environment node
 */
// The built bundle (build/index.js, made by the project's global setup) in real Chromium with WordPress's own React,
// react-dom, react-jsx-runtime and wp-* scripts from @wp-playground/wordpress-builds, behind a recording stand-in for
// WooCommerce's two globals (window.wc.wcBlocksRegistry, window.wc.wcSettings). Renders every registered method's label
// and content the way the Checkout block does (content cloned with eventRegistration and emitResponse).
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import contract from "../../methods.json";

jest.setTimeout(60_000);

const pluginDir = path.resolve(__dirname, "../..");
const dist = path.join(pluginDir, "node_modules/@wp-playground/wordpress-builds/public/wp-beta/wp-includes/js/dist");

// WordPress's script handles: their file under wp-includes/js/dist and the handles they need first.
const WP_SCRIPTS: Record<string, { file: string; deps: string[] }> = {
  react: { file: "vendor/react.min.js", deps: [] },
  "react-dom": { file: "vendor/react-dom.min.js", deps: ["react"] },
  "react-jsx-runtime": { file: "vendor/react-jsx-runtime.min.js", deps: ["react"] },
  "wp-escape-html": { file: "escape-html.min.js", deps: [] },
  "wp-element": { file: "element.min.js", deps: ["react", "react-dom", "wp-escape-html"] },
  "wp-hooks": { file: "hooks.min.js", deps: [] },
  "wp-i18n": { file: "i18n.min.js", deps: ["wp-hooks"] },
  "wp-html-entities": { file: "html-entities.min.js", deps: [] },
};
// The stand-in below provides these.
const FAKED = new Set(["wc-blocks-registry", "wc-settings"]);

/** The bundle's dependencies as written by dependency extraction into build/index.asset.php. */
function assetDependencies(): string[] {
  const asset = readFileSync(path.join(pluginDir, "build/index.asset.php"), "utf8");
  const list = /'dependencies' => array\(([^)]*)\)/.exec(asset);
  if (!list) throw new Error(`no dependencies in index.asset.php: ${asset}`);
  return [...list[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

function scriptOrder(handles: string[]): string[] {
  const order: string[] = [];
  const visit = (h: string) => {
    if (FAKED.has(h) || order.includes(h)) return;
    const s = WP_SCRIPTS[h];
    if (!s) throw new Error(`the bundle depends on ${h}, which this test does not load`);
    s.deps.forEach(visit);
    order.push(h);
  };
  handles.forEach(visit);
  return order;
}

const ICON = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="24"><rect width="40" height="24" fill="#2a7"/></svg>';

function page(handles: string[]): string {
  const settings = Object.fromEntries(
    contract.methods.map((m) => [
      `${m.id}_data`,
      { title: m.title, description: m.description, icon: `/icons/${m.id}.svg`, supports: ["products"], wallet_field: m.wallet_field, currencies: m.currencies },
    ]),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>xpay-connect blocks</title></head><body>
<script>
  window.__registered = [];
  window.__settings = ${JSON.stringify(settings)};
  window.wc = {
    wcBlocksRegistry: { registerPaymentMethod: (options) => window.__registered.push(options) },
    wcSettings: { getSetting: (name, fallback) => (name in window.__settings ? window.__settings[name] : fallback) },
  };
</script>
${handles.map((h) => `<script src="/wp/${WP_SCRIPTS[h].file}"></script>`).join("\n")}
<script src="/build/index.js"></script>
<script>
  (() => {
    const { createElement: h, createRoot, cloneElement, Fragment } = window.wp.element;
    const emitResponse = { responseTypes: { SUCCESS: "success", ERROR: "error", FAIL: "failure" }, noticeContexts: { PAYMENTS: "wc/payment-area" } };
    window.__setups = {};
    for (const o of window.__registered) {
      const section = document.createElement("section");
      section.dataset.method = o.name;
      section.setAttribute("aria-label", o.ariaLabel);
      document.body.append(section);
      const eventRegistration = {
        onPaymentSetup: (cb) => {
          window.__setups[o.name] = cb;
          return () => { if (window.__setups[o.name] === cb) delete window.__setups[o.name]; };
        },
      };
      createRoot(section).render(h(Fragment, null,
        h("div", { className: "label" }, o.label),
        h("div", { className: "content" }, cloneElement(o.content, { eventRegistration, emitResponse })),
        h("div", { className: "edit" }, o.edit)));
    }
  })();
</script></body></html>`;
}

let server: http.Server;
let browser: Browser;
let pg: Page;
const problems: string[] = [];

beforeAll(async () => {
  const handles = scriptOrder(assetDependencies());
  const html = page(handles);
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const send = (status: number, type: string, body: string | Buffer) => res.writeHead(status, { "content-type": type }).end(body);
    if (url.pathname === "/") return send(200, "text/html; charset=utf-8", html);
    if (url.pathname === "/build/index.js") return send(200, "text/javascript", readFileSync(path.join(pluginDir, "build/index.js")));
    if (url.pathname === "/favicon.ico") return send(204, "image/x-icon", "");
    if (url.pathname.startsWith("/icons/")) return send(200, "image/svg+xml", ICON);
    const wp = Object.values(WP_SCRIPTS).find((s) => `/wp/${s.file}` === url.pathname);
    if (wp) return send(200, "text/javascript", readFileSync(path.join(dist, wp.file)));
    return send(404, "text/plain", "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  pg = await browser.newPage();
  pg.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  pg.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  pg.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  pg.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await pg.goto(`http://127.0.0.1:${port}/`, { waitUntil: "load" });
  await pg.locator("section[data-method]").nth(contract.methods.length - 1).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

type SetupResult = { type: string; message?: string; messageContext?: string; meta?: { paymentMethodData: Record<string, string> } };

/** Runs the method's onPaymentSetup observer (as WooCommerce does on Place Order) once React has applied the last input. */
async function setupUntil(id: string, type: "success" | "error"): Promise<SetupResult> {
  const handle = await pg.waitForFunction(
    ([name, want]) => {
      const setup = (window as unknown as { __setups: Record<string, () => SetupResult> }).__setups[name];
      const result = setup?.();
      return result?.type === want ? result : false;
    },
    [id, type] as const,
    { timeout: 5000 },
  );
  return (await handle.jsonValue()) as SetupResult;
}

describe("checkout-block payment methods in Chromium with WordPress's React", () => {
  it("registers all nine methods, labelled with title and icon, described in content and edit", async () => {
    const names = await pg.evaluate(() => (window as unknown as { __registered: { name: string; paymentMethodId: string; ariaLabel: string }[] }).__registered.map((o) => [o.name, o.paymentMethodId, o.ariaLabel]));
    expect(names).toEqual(contract.methods.map((m) => [m.id, m.id, m.title]));
    for (const m of contract.methods) {
      const section = pg.locator(`section[data-method="${m.id}"]`);
      expect(await section.locator(".label").innerText()).toBe(m.title);
      const icon = section.locator(".label img");
      expect(await icon.getAttribute("src")).toBe(`/icons/${m.id}.svg`);
      expect(await icon.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      expect(await section.locator(".content .xpay-connect-description").innerText()).toBe(m.description);
      expect(await section.locator(".edit").innerText()).toBe(m.description);
      expect(await section.locator("input").count()).toBe(m.wallet_field ? 1 : 0);
    }
    expect(problems).toEqual([]);
  });

  it("offers each method only in its currencies and countries", async () => {
    const offered = await pg.evaluate(() => {
      const carts: [string, string][] = [["PKR", "PK"], ["EGP", "EG"], ["USD", "EG"], ["USD", "PK"], ["KGS", "KG"], ["PKR", ""]];
      const list = (window as unknown as { __registered: { name: string; canMakePayment: (a: unknown) => boolean }[] }).__registered;
      return carts.map(([currency, country]) => list.filter((o) => o.canMakePayment({ cartTotals: { currency_code: currency }, billingAddress: { country } })).map((o) => o.name));
    });
    expect(offered).toEqual([
      ["xpay_easypaisa", "xpay_jazzcash", "xpay_pk_card"],
      ["xpay_eg_card", "xpay_eg_kiosk", "xpay_eg_fawry", "xpay_eg_wallet", "xpay_eg_valu"],
      ["xpay_eg_card", "xpay_eg_fawry", "xpay_eg_wallet", "xpay_eg_valu"],
      [],
      ["xpay_kg_qr"],
      ["xpay_easypaisa", "xpay_jazzcash", "xpay_pk_card"],
    ]);
  });

  it("EasyPaisa: the wallet field refuses a bad number with a clear message and passes a good one as xpay_wallet", async () => {
    const section = pg.locator('section[data-method="xpay_easypaisa"]');
    const input = section.getByLabel("EasyPaisa wallet number (optional)");
    expect(await input.getAttribute("type")).toBe("tel");
    await section.getByText("11 digits starting with 03, for example 03001234567.").waitFor();

    await input.fill("0300123");
    await input.press("Tab");
    const alert = section.getByRole("alert");
    await alert.waitFor();
    expect(await alert.innerText()).toBe("Enter your wallet number as 11 digits starting with 03, for example 03001234567, or leave it empty.");
    expect(await input.getAttribute("aria-invalid")).toBe("true");
    expect(await setupUntil("xpay_easypaisa", "error")).toEqual({ type: "error", message: await alert.innerText(), messageContext: "wc/payment-area" });

    await input.fill("+92 300 1234567");
    await alert.waitFor({ state: "detached" });
    expect(await setupUntil("xpay_easypaisa", "success")).toEqual({ type: "success", meta: { paymentMethodData: { xpay_wallet: "03001234567" } } });

    await input.fill("");
    expect(await setupUntil("xpay_easypaisa", "success")).toEqual({ type: "success", meta: { paymentMethodData: {} } });
  });

  it("Egyptian mobile wallet: Egyptian format, Pakistani numbers refused", async () => {
    const section = pg.locator('section[data-method="xpay_eg_wallet"]');
    const input = section.getByLabel("Mobile wallet (Meeza) wallet number (optional)");
    await input.fill("03001234567");
    const error = await setupUntil("xpay_eg_wallet", "error");
    expect(error.message).toBe("Enter your wallet number as 11 digits starting with 010, 011, 012 or 015, for example 01001234567, or leave it empty.");
    expect(await section.getByRole("alert").innerText()).toBe(error.message);
    await input.fill("0100 123 4567");
    expect(await setupUntil("xpay_eg_wallet", "success")).toEqual({ type: "success", meta: { paymentMethodData: { xpay_wallet: "01001234567" } } });
    expect(problems).toEqual([]);
  });
});
