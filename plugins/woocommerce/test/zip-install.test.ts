import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { eventually, startStack, type Stack } from "../../../packages/server/test/harness";
import { PLUGIN_DIR, startWordPress, wordpressAvailable, type WordPress } from "./env/wordpress";

const run = promisify(execFile);
const SLUG = "xpay-connect-woocommerce";

interface Method {
  id: string;
  gateway: string;
  method: string;
  currencies: string[];
  countries: string[];
  wallet_field: boolean;
  refunds: boolean;
}
const METHODS = (JSON.parse(readFileSync(path.join(PLUGIN_DIR, "methods.json"), "utf8")) as { methods: Method[] }).methods;

/** A billing address the Store API takes for each country (PK and EG need a state). */
const BILLING: Record<string, Record<string, string>> = {
  PK: { city: "Lahore", state: "PB", postcode: "54000", phone: "03001234567" },
  EG: { city: "Cairo", state: "EGC", postcode: "11511", phone: "01012345678" },
  KG: { city: "Bishkek", state: "", postcode: "720000", phone: "+996555123456" },
};
const WALLET: Record<string, string> = { PK: "03001234567", EG: "01012345678" };

/** A logged-in admin browsing wp-admin with cookies, as a store owner's browser would (no redirects followed). */
class AdminBrowser {
  constructor(
    private readonly wp: WordPress,
    private readonly cookie: string,
  ) {}

  async get(pathAndQuery: string): Promise<{ status: number; location: string | null; html: string }> {
    const res = await fetch(`${this.wp.url}${pathAndQuery}`, { headers: { cookie: this.cookie }, redirect: "manual" });
    return { status: res.status, location: res.headers.get("location"), html: await res.text() };
  }

  async post(pathAndQuery: string, body: FormData | URLSearchParams): Promise<{ status: number; location: string | null; html: string }> {
    const res = await fetch(`${this.wp.url}${pathAndQuery}`, { method: "POST", headers: { cookie: this.cookie, referer: `${this.wp.url}${pathAndQuery}` }, body, redirect: "manual" });
    return { status: res.status, location: res.headers.get("location"), html: await res.text() };
  }
}

function field(html: string, name: string): string {
  const tag = new RegExp(`<input[^>]*name="${name.replace(/[[\]]/g, "\\$&")}"[^>]*>`).exec(html)?.[0];
  const value = tag && /value="([^"]*)"/.exec(tag)?.[1];
  if (!value) throw new Error(`no ${name} field in the page:\n${html.slice(0, 3000)}`);
  return value;
}

const decode = (s: string): string => s.replace(/&amp;/g, "&").replace(/&#038;/g, "&");

/**
 * The Done-when of issue 10, end to end as a store owner and shoppers would go: the built zip is uploaded through
 * WordPress's own Plugin_Upgrader into a clean WordPress with (the stand-in of) WooCommerce, activated from the plugins
 * page, connected to the real connector service from the settings page; an order paid through each of the nine methods
 * in the sandbox turns processing by the service's event alone; a partial refund from the admin REST API reaches the
 * gateway through the service.
 */
describe("the zip as a store owner installs it: upload, activate, connect, nine methods paid, an admin refund", () => {
  let wp: WordPress | undefined;
  let stack: Stack | undefined;
  let admin: AdminBrowser;
  let zip: string;

  beforeAll(async () => {
    if (!wordpressAvailable("the WooCommerce zip install test")) return;
    stack = await startStack({ allowPrivateEndpoints: true });
    // A clean WordPress with WooCommerce only: our plugin is not there until the owner uploads it.
    wp = await startWordPress({ plugin: false });
    zip = path.join(path.dirname(wp.dir), `${SLUG}.zip`);
    await run("node", [path.join(PLUGIN_DIR, "scripts/zip.mjs"), "--out", zip], { cwd: PLUGIN_DIR });
    const cookies = await wp.adminCookies();
    admin = new AdminBrowser(wp, [...new Map(cookies.map((c) => [c.name, `${c.name}=${c.value}`])).values()].join("; "));
  }, 120_000);

  afterAll(async () => {
    await wp?.stop();
    await stack?.stop();
  });

  it("installs from the zip, connects, settles every method's order by itself and sends an admin refund to the gateway", async () => {
    if (!wp || !stack) return;
    const w = wp;
    const s = stack;
    expect(w.activePlugins).toEqual(["woocommerce/woocommerce.php"]);

    // Upload: Plugins -> Add New -> Upload Plugin (WordPress's own Plugin_Upgrader unpacks the zip).
    const uploadPage = await admin.get("/wp-admin/plugin-install.php?tab=upload");
    expect(uploadPage.status).toBe(200);
    const form = new FormData();
    form.set("_wpnonce", field(uploadPage.html, "_wpnonce"));
    form.set("_wp_http_referer", "/wp-admin/plugin-install.php?tab=upload");
    form.set("pluginzip", new Blob([readFileSync(zip)], { type: "application/zip" }), `${SLUG}.zip`);
    form.set("install-plugin-submit", "Install Now");
    const installed = await admin.post("/wp-admin/update.php?action=upload-plugin", form);
    expect(installed.status).toBe(200);
    expect(installed.html).toContain("Plugin installed successfully.");
    const main = `${SLUG}/${SLUG}.php`;
    const activateHref = [...installed.html.matchAll(/href="([^"]*plugins\.php\?action=activate[^"]*)"/g)].map((h) => new URL(decode(h[1] ?? ""), `${w.url}/wp-admin/`)).find((u) => u.searchParams.get("plugin") === main);
    expect(activateHref?.searchParams.get("_wpnonce")).toBeTruthy();

    // Activate: the link on the result page (its nonce), as the owner clicks it.
    const activated = await admin.get(activateHref!.pathname + activateHref!.search);
    expect(activated.status).toBe(302);
    expect(activated.location).toContain("activate=true");
    expect(await w.runPhp<string[]>(`return get_option( 'active_plugins' );`)).toContain(main);
    // What WordPress unpacked is what the zip holds: a real folder, not the repository's.
    expect(await w.runPhp<boolean>(`return is_dir( WP_PLUGIN_DIR . '/${SLUG}/includes' ) && ! is_link( WP_PLUGIN_DIR . '/${SLUG}' ) && ! file_exists( WP_PLUGIN_DIR . '/${SLUG}/src' );`)).toBe(true);

    // Connect: WooCommerce -> Settings -> Payments -> xpay-connect, service URL and API key, Connect.
    const section = "/wp-admin/admin.php?page=wc-settings&tab=checkout&section=xpay-connect";
    const settings = await admin.get(section);
    expect(settings.status).toBe(200);
    expect(settings.html).toContain("Not connected yet.");
    const connect = new URLSearchParams({
      xpay_connect_nonce: field(settings.html, "xpay_connect_nonce"),
      _wp_http_referer: section,
      xpay_connect_service_url: s.service.url,
      xpay_connect_api_key: s.apiKey,
    });
    const connected = await admin.post("/wp-admin/admin-post.php?action=xpay_connect_connect", connect);
    expect(connected.status).toBe(302);
    const after = await admin.get(section);
    expect(after.html).toContain("Connected");
    expect(after.html).toContain("Events arrive at");
    expect(after.html).not.toContain(s.apiKey);

    // Enable each method on its own settings section (the owner ticks "Enable" and saves).
    for (const m of METHODS) {
      const page = `/wp-admin/admin.php?page=wc-settings&tab=checkout&section=${m.id}`;
      const html = (await admin.get(page)).html;
      const saved = await admin.post(
        page,
        new URLSearchParams({ _wpnonce: field(html, "_wpnonce"), _wp_http_referer: page, [`woocommerce_${m.id}_enabled`]: "1", [`woocommerce_${m.id}_title`]: field(html, `woocommerce_${m.id}_title`), save: "Save changes" }),
      );
      expect(saved.status).toBe(200);
    }
    expect(await w.runPhp<string[]>(`return array_values( array_filter( array_keys( WC()->payment_gateways()->payment_gateways() ), static fn( $id ) => 'yes' === WC()->payment_gateways()->payment_gateways()[ $id ]->enabled ) );`)).toEqual(
      expect.arrayContaining(METHODS.map((m) => m.id)),
    );
    const product = (await w.runPhp<number[]>(`return array_map( 'intval', (array) get_option( 'woocommerce_standin_product_ids' ) );`))[0];

    const paid: Record<string, { orderId: number; paymentId: string; total: string }> = {};
    expect(METHODS).toHaveLength(9);
    for (const m of METHODS) {
      const country = m.countries[0] ?? "";
      const currency = m.currencies[0] ?? "";
      // The store's currency and base country (WooCommerce -> Settings -> General) for this method.
      await w.runPhp(`update_option( 'woocommerce_currency', '${currency}' ); update_option( 'woocommerce_default_country', '${country}' ); return true;`);

      // A shopper's Store API checkout (what the Checkout block sends).
      const cart = await fetch(`${w.url}/wp-json/wc/store/v1/cart`);
      expect(cart.status).toBe(200);
      const headers = { "Content-Type": "application/json", "Cart-Token": cart.headers.get("Cart-Token")!, Nonce: cart.headers.get("Nonce")! };
      const added = await fetch(`${w.url}/wp-json/wc/store/v1/cart/add-item`, { method: "POST", headers, body: JSON.stringify({ id: product, quantity: 1 }) });
      expect(added.status).toBe(201);
      const billing = { first_name: "Sara", last_name: "Ali", address_1: "3 Main Road", country, email: "sara@example.test", ...(BILLING[country] ?? {}) };
      const checkout = await fetch(`${w.url}/wp-json/wc/store/v1/checkout`, {
        method: "POST",
        headers,
        body: JSON.stringify({ billing_address: billing, payment_method: m.id, ...(m.wallet_field ? { payment_data: [{ key: "xpay_wallet", value: WALLET[country] ?? "" }] } : {}) }),
      });
      const placed = (await checkout.json()) as { order_id: number; status: string; payment_result: { payment_status: string; redirect_url: string } };
      expect({ method: m.id, status: checkout.status }).toEqual({ method: m.id, status: 200 });
      expect(placed.payment_result.payment_status).toBe("success");
      const orderId = placed.order_id;

      // The service holds the payment for this order; the sandbox's shopper approves it at the gateway.
      const list = await s.api("GET", `/v1/payments?order_ref=${orderId}`);
      const payments = list.body.data as Array<{ id: string; gateway: string; method: string; gateway_ref: string; amount: string }>;
      expect(payments).toHaveLength(1);
      const payment = payments[0]!;
      expect(payment).toMatchObject({ gateway: m.gateway, method: m.method, amount: "1500.00" });
      // Not paid before the gateway says so (kiosk bills wait on-hold, the rest pending).
      const before = (await w.rest("GET", `/wc/v3/orders/${orderId}`)).body as { status: string };
      expect({ method: m.id, status: before.status }).toEqual({ method: m.id, status: m.id === "xpay_eg_kiosk" ? "on-hold" : "pending" });
      const approved = await s.act(m.gateway, payment.gateway_ref, "approve");
      expect({ method: m.id, status: approved.status, body: approved.status === 200 ? "" : await approved.text() }).toEqual({ method: m.id, status: 200, body: "" });

      // Processing by itself: the service's signed event, no Action Scheduler run.
      const order = await eventually(
        async () => (await w.rest("GET", `/wc/v3/orders/${orderId}`)).body as { status: string; payment_method: string; total: string },
        (o) => o.status === "processing",
        20_000,
      );
      expect(order.payment_method).toBe(m.id);
      paid[m.id] = { orderId, paymentId: payment.id, total: order.total };
    }

    // An admin refund of part of the XPay EG card order reaches the gateway through the service.
    const eg = paid.xpay_eg_card;
    if (!eg) throw new Error("no XPay EG card order was paid");
    const refund = await w.rest("POST", `/wc/v3/orders/${eg.orderId}/refunds`, { amount: "400.00", reason: "One item back", api_refund: true });
    expect(refund.status).toBe(201);
    const refundedPayment = await eventually(
      async () => (await s.api("GET", `/v1/payments/${eg.paymentId}`)).body as { refunded_amount: string; status: string },
      (p) => p.refunded_amount === "400.00",
      20_000,
    );
    expect(refundedPayment.status).toBe("partially_refunded");
    const refunded = (await w.rest("GET", `/wc/v3/orders/${eg.orderId}`)).body as { status: string; refunds: Array<{ total: string }> };
    // One refund record (no echo duplicate from the service's refund event), the order still processing.
    expect(refunded.status).toBe("processing");
    expect(refunded.refunds).toHaveLength(1);

    expect(w.phpProblems()).toEqual([]);
  }, 110_000);
});
