import { execFile } from "node:child_process";
import { symlink } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { PLUGIN_DIR, startWordPress, wordpressAvailable, type WordPress } from "../env/wordpress";

/**
 * The WooCommerce stand-in (test/standin/woocommerce, a model of WooCommerce 9.4.3) on real WordPress 6.5.5 + MariaDB,
 * with only a tiny test gateway (fixtures/standin-test-gateway): its Store API checkout, classic checkout, wc/v3 refunds,
 * Action Scheduler runner and checkout block over HTTP, and its PHP behaviour through PHPUnit (tests/*Test.php).
 */
describe("WooCommerce stand-in", () => {
  let wp: WordPress | undefined;

  beforeAll(async () => {
    if (!wordpressAvailable("the WooCommerce stand-in's tests", { phpunit: true })) return;
    wp = await startWordPress({ plugin: false });
    await symlink(path.join(__dirname, "fixtures/standin-test-gateway"), path.join(wp.dir, "wp-content/plugins/standin-test-gateway"), "dir");
    await wp.runPhp(`
      require_once ABSPATH . 'wp-admin/includes/plugin.php';
      $r = activate_plugin( 'standin-test-gateway/standin-test-gateway.php' );
      if ( is_wp_error( $r ) ) { throw new Exception( $r->get_error_message() ); }
      update_option( 'woocommerce_standin_test_settings', array( 'enabled' => 'yes', 'title' => 'Test pay', 'secret' => '' ) );
      return true;
    `);
  }, 120_000);

  afterAll(async () => {
    await wp?.stop();
  });

  const productIds = async (): Promise<number[]> => (await wp!.runPhp<number[]>("return get_option( 'woocommerce_standin_product_ids' );"));

  it("is active, declares itself a model, and installs HPOS tables, pages and products", async () => {
    if (!wp) return;
    expect(wp.activePlugins).toContain("woocommerce/woocommerce.php");
    const state = await wp.runPhp<{ tables: string[]; checkout: string; classic: string; products: number; version: string; hpos: boolean }>(`
      global $wpdb;
      return array(
        'tables'   => $wpdb->get_col( "SHOW TABLES LIKE '{$wpdb->prefix}wc_%'" ),
        'checkout' => get_post( wc_get_page_id( 'checkout' ) )->post_content,
        'classic'  => get_post( get_option( 'woocommerce_standin_classic_checkout_page_id' ) )->post_content,
        'products' => count( get_option( 'woocommerce_standin_product_ids' ) ),
        'version'  => WC()->version,
        'hpos'     => \\Automattic\\WooCommerce\\Utilities\\OrderUtil::custom_orders_table_usage_is_enabled(),
      );
    `);
    expect(state.tables).toEqual(expect.arrayContaining(["wp_wc_orders", "wp_wc_orders_meta", "wp_wc_order_addresses", "wp_wc_order_operational_data"]));
    expect(state.checkout).toContain("wp:woocommerce/checkout");
    expect(state.classic).toContain("[woocommerce_checkout]");
    expect(state.products).toBe(2);
    expect(state.version).toBe("9.4.3");
    expect(state.hpos).toBe(true);
  });

  it("Store API: Cart-Token and Nonce, nonce required, guest checkout through the gateway's process_payment with payment_data", async () => {
    if (!wp) return;
    const [item] = await productIds();
    const cart = await fetch(`${wp.url}/wp-json/wc/store/v1/cart`);
    expect(cart.status).toBe(200);
    const token = cart.headers.get("Cart-Token")!;
    const nonce = cart.headers.get("Nonce")!;
    expect(token).toBeTruthy();
    expect(nonce).toBeTruthy();

    // Without a Cart-Token a write needs the Nonce; a valid (signed) Cart-Token needs none (as in WooCommerce 9.4.3).
    const noNonce = await fetch(`${wp.url}/wp-json/wc/store/v1/cart/add-item`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ id: item, quantity: 1 }) });
    expect(noNonce.status).toBe(401);
    expect(((await noNonce.json()) as { code: string }).code).toBe("woocommerce_rest_missing_nonce");
    const forgedToken = await fetch(`${wp.url}/wp-json/wc/store/v1/cart/add-item`, { method: "POST", headers: { "Content-Type": "application/json", "Cart-Token": `${token.split(".")[0]}.forged` }, body: JSON.stringify({ id: item, quantity: 1 }) });
    expect(forgedToken.status).toBe(401);
    const tokenOnly = await fetch(`${wp.url}/wp-json/wc/store/v1/cart/add-item`, { method: "POST", headers: { "Content-Type": "application/json", "Cart-Token": token }, body: JSON.stringify({ id: item, quantity: 1 }) });
    expect(tokenOnly.status).toBe(201);

    const headers = { "Content-Type": "application/json", "Cart-Token": token, Nonce: nonce };
    const added = await fetch(`${wp.url}/wp-json/wc/store/v1/cart/add-item`, { method: "POST", headers, body: JSON.stringify({ id: item, quantity: 1 }) });
    expect(added.status).toBe(201);
    const addedBody = (await added.json()) as { totals: { total_price: string; currency_code: string }; payment_methods: string[] };
    expect(addedBody.totals).toMatchObject({ total_price: "300000", currency_code: "PKR" });
    expect(addedBody.payment_methods).toEqual(["standin_test"]);

    const billing = { first_name: "Amna", last_name: "Khan", email: "amna@example.test", phone: "03001234567", country: "PK", state: "PB", address_1: "1 Mall Road", city: "Lahore" };
    const noState = await fetch(`${wp.url}/wp-json/wc/store/v1/checkout`, { method: "POST", headers, body: JSON.stringify({ billing_address: { ...billing, state: "" }, payment_method: "standin_test" }) });
    expect(noState.status).toBe(400);
    expect((await noState.json()) as { code: string; message: string }).toMatchObject({ code: "woocommerce_rest_invalid_address", message: "There was a problem with the provided billing address: State / County is required" });

    const bad = await fetch(`${wp.url}/wp-json/wc/store/v1/checkout`, { method: "POST", headers, body: JSON.stringify({ billing_address: billing, payment_method: "standin_test", payment_data: [{ key: "xpay_wallet", value: "12345" }] }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()) as { code: string; message: string }).toMatchObject({ code: "woocommerce_rest_checkout_process_payment_error", message: "Bad wallet number." });

    const unknown = await fetch(`${wp.url}/wp-json/wc/store/v1/checkout`, { method: "POST", headers, body: JSON.stringify({ billing_address: billing, payment_method: "nope" }) });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { code: string }).code).toBe("rest_invalid_param");
    await wp.runPhp("update_option( 'woocommerce_standin_test_settings', array( 'enabled' => 'no', 'title' => 'Test pay' ) ); return true;");
    const disabled = await fetch(`${wp.url}/wp-json/wc/store/v1/checkout`, { method: "POST", headers, body: JSON.stringify({ billing_address: billing, payment_method: "standin_test" }) });
    await wp.runPhp("update_option( 'woocommerce_standin_test_settings', array( 'enabled' => 'yes', 'title' => 'Test pay', 'secret' => '' ) ); return true;");
    expect(disabled.status).toBe(400);
    expect((await disabled.json()) as { code: string; message: string }).toMatchObject({ code: "woocommerce_rest_checkout_payment_method_disabled", message: "Test pay is not available for this order—please choose a different payment method" });

    const ok = await fetch(`${wp.url}/wp-json/wc/store/v1/checkout`, { method: "POST", headers, body: JSON.stringify({ billing_address: billing, payment_method: "standin_test", payment_data: [{ key: "XPAY_WALLET", value: "03001234567" }] }) });
    const body = (await ok.json()) as { order_id: number; status: string; order_key: string; payment_result: { payment_status: string; redirect_url: string } };
    expect(ok.status).toBe(200);
    expect(body.status).toBe("pending");
    expect(body.payment_result.payment_status).toBe("success");
    expect(body.payment_result.redirect_url).toBe(`${wp.url}/checkout/order-received/${body.order_id}/?key=${body.order_key}`);
    // The retry with bad data reused the same draft order (one order per cart), and sanitize_key lowercased the key.
    const order = await wp.runPhp<{ via: string; wallet: string; total: string; orders: number; placeholder: string; email: string }>(`
      $o = wc_get_order( ${body.order_id} );
      return array( 'via' => $o->get_created_via(), 'wallet' => $o->get_meta( '_standin_seen_wallet' ), 'total' => $o->get_meta( '_standin_seen_total' ),
        'orders' => count( wc_get_orders( array( 'limit' => -1 ) ) ), 'placeholder' => get_post_type( ${body.order_id} ), 'email' => $o->get_billing_email() );
    `);
    expect(order).toEqual({ via: "store-api", wallet: "03001234567", total: "3000.00", orders: 1, placeholder: "shop_order_placehold", email: "amna@example.test" });

    // The thank-you page checks the key: a wrong key gets only the plain "received" text (as in WooCommerce), no details.
    const thanks = await (await fetch(body.payment_result.redirect_url)).text();
    expect(thanks).toContain("Thank you. Your order has been received.");
    expect(thanks).toContain("woocommerce-order-overview__total");
    const forged = await (await fetch(`${wp.url}/checkout/order-received/${body.order_id}/?key=wc_order_forged`)).text();
    expect(forged).toContain("Thank you. Your order has been received.");
    expect(forged).not.toContain("woocommerce-order-overview__total");
    // Older than 10 minutes, from another session: the guest must verify the order's email first (WooCommerce 8.4+).
    await wp.runPhp(`global $wpdb; $wpdb->update( $wpdb->prefix . 'wc_orders', array( 'date_created_gmt' => gmdate( 'Y-m-d H:i:s', time() - 11 * MINUTE_IN_SECONDS ) ), array( 'id' => ${body.order_id} ) ); return true;`);
    const stranger = await (await fetch(body.payment_result.redirect_url)).text();
    expect(stranger).toContain("verify the email address associated with the order");
    expect(stranger).not.toContain("woocommerce-order-overview__total");
    // The receipt page (order-pay with the key) is the gateway's only while the order needs payment.
    const receipt = await (await fetch(`${wp.url}/checkout/order-pay/${body.order_id}/?key=${body.order_key}`)).text();
    expect(receipt).toContain("Order number:");
    await wp.runPhp(`wc_get_order( ${body.order_id} )->payment_complete( 'r' ); return true;`);
    const paid = await (await fetch(`${wp.url}/checkout/order-pay/${body.order_id}/?key=${body.order_key}`)).text();
    expect(paid).toContain("cannot be paid for");
    expect(wp.phpProblems()).toEqual([]);
  });

  it("wc/v3 refunds go through the gateway's process_refund; a WP_Error aborts and leaves no refund", async () => {
    if (!wp) return;
    const id = await wp.runPhp<number>(`
      $o = new WC_Order();
      $o->add_product( wc_get_product( get_option( 'woocommerce_standin_product_ids' )[0] ), 1 );
      $o->calculate_totals();
      $o->set_payment_method( 'standin_test' );
      $o->save();
      $o->payment_complete( 'ref-1' );
      return $o->get_id();
    `);
    const refused = await wp.rest("POST", `/wc/v3/orders/${id}/refunds`, { amount: "500", reason: "too much" });
    expect(refused.status).toBe(500);
    expect((refused.body as { message: string }).message).toBe("The gateway refused.");
    const ok = await wp.rest("POST", `/wc/v3/orders/${id}/refunds`, { amount: "50", reason: "damaged" });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ amount: "50.00", refunded_payment: true });
    const order = await wp.rest("GET", `/wc/v3/orders/${id}`);
    expect(order.body).toMatchObject({ status: "processing", transaction_id: "ref-1", total: "1500.00" });
    expect((order.body as { refunds: unknown[] }).refunds).toHaveLength(1);
  });

  it("Payments settings: a gateway section renders admin_options() in WooCommerce's form; saving needs the nonce and saves", async () => {
    if (!wp) return;
    const cookies = await wp.adminCookies();
    const cookie = [...new Map(cookies.map((c) => [c.name, `${c.name}=${c.value}`])).values()].join("; ");
    const url = `${wp.url}/wp-admin/admin.php?page=wc-settings&tab=checkout&section=standin_test`;
    const html = await (await fetch(url, { headers: { cookie } })).text();
    expect(html).toContain('id="woocommerce_standin_test_title"');
    expect(html).toContain('name="save"');
    const nonce = /name="_wpnonce" value="([0-9a-f]+)"/.exec(html)?.[1] ?? "";
    expect(nonce).not.toBe("");
    const form = (extra: Record<string, string>) => new URLSearchParams({ save: "Save changes", woocommerce_standin_test_enabled: "1", woocommerce_standin_test_title: "Renamed", _wp_http_referer: "/wp-admin/admin.php?page=wc-settings&tab=checkout&section=standin_test", ...extra });
    const forged = await fetch(url, { method: "POST", headers: { cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: form({ _wpnonce: "bad" }), redirect: "manual" });
    expect(forged.status).toBe(403);
    const saved = await fetch(url, { method: "POST", headers: { cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: form({ _wpnonce: nonce }) });
    expect(await saved.text()).toContain("Your settings have been saved.");
    expect(await wp.runPhp("return get_option( 'woocommerce_standin_test_settings' )['title'];")).toBe("Renamed");
    await wp.runPhp("update_option( 'woocommerce_standin_test_settings', array( 'enabled' => 'yes', 'title' => 'Test pay', 'secret' => '' ) ); return true;");
    expect(wp.phpProblems()).toEqual([]);
  });

  it("runs due Action Scheduler actions over REST, honouring 'now'", async () => {
    if (!wp) return;
    await wp.runPhp(`
      add_option( 'standin_as_runs', array() );
      as_schedule_single_action( time() + 300, 'standin_test_hook', array( 'order' => 7 ), 'standin' );
      return true;
    `);
    const early = await wp.rest("POST", "/wc-standin/v1/run-due-actions", {});
    expect((early.body as { ran: unknown[] }).ran).toEqual([]);
    const later = await wp.rest("POST", "/wc-standin/v1/run-due-actions", { now: Math.floor(Date.now() / 1000) + 301 });
    expect((later.body as { ran: Array<{ hook: string; status: string }> }).ran).toEqual([expect.objectContaining({ hook: "standin_test_hook", status: "complete" })]);
    const anonymous = await fetch(`${wp.url}/wp-json/wc-standin/v1/run-due-actions`, { method: "POST" });
    expect(anonymous.status).toBe(401);
  });

  it("Chromium: the checkout block renders the registered method, refuses bad input before any order, and places the order", async () => {
    if (!wp) return;
    const [item] = await productIds();
    const browser: Browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${wp.url}/?add-to-cart=${item}`);
      const before = await wp.runPhp<number>("return count( wc_get_orders( array( 'limit' => -1 ) ) );");
      await page.goto(`${wp.url}/checkout/`);
      await page.locator(".standin-label", { hasText: "Test pay" }).waitFor();
      for (const [id, value] of [["email", "bilal@example.test"], ["first_name", "Bilal"], ["last_name", "Ahmed"], ["address_1", "2 Canal Road"], ["city", "Lahore"], ["state", "PB"], ["phone", "03001112223"]] as const) {
        await page.fill(id === "email" ? "#email" : `#billing-${id}`, value);
      }
      await page.fill("#billing-country", "EG");
      await page.fill("#standin-wallet", "0300");
      await page.click("button.wc-block-components-checkout-place-order-button");
      await page.locator("[role=alert]", { hasText: "Enter the wallet as 03XXXXXXXXX." }).waitFor();
      expect(await wp.runPhp<number>("return count( wc_get_orders( array( 'limit' => -1 ) ) );")).toBe(before);
      await page.fill("#standin-wallet", "03001112223");
      await Promise.all([page.waitForURL(/\/checkout\/order-received\/\d+\/\?key=wc_order_/), page.click("button.wc-block-components-checkout-place-order-button")]);
      expect(await page.textContent(".woocommerce-thankyou-order-received")).toContain("Thank you. Your order has been received.");
      const id = Number(/order-received\/(\d+)/.exec(page.url())![1]);
      expect(await wp.runPhp(`$o = wc_get_order( ${id} ); return array( $o->get_meta( '_standin_seen_wallet' ), $o->get_billing_first_name(), $o->get_total() );`)).toEqual(["03001112223", "Bilal", "1500.00"]);
      expect(errors).toEqual([]);

      // The classic (shortcode) checkout: same gateway, posted form, order created via 'checkout'.
      await wp.runPhp("update_option( 'woocommerce_checkout_page_id', get_option( 'woocommerce_standin_classic_checkout_page_id' ) ); return true;");
      try {
        await page.goto(`${wp.url}/?add-to-cart=${item}`);
        await page.goto(`${wp.url}/classic-checkout/`);
        for (const [id, value] of [["billing_first_name", "Sara"], ["billing_last_name", "Ali"], ["billing_country", "PK"], ["billing_address_1", "3 Mall Road"], ["billing_city", "Lahore"], ["billing_state", "PB"], ["billing_phone", "03001112224"], ["billing_email", "sara@example.test"]] as const) {
          await page.fill(`#${id}`, value);
        }
        await page.check("#payment_method_standin_test");
        await Promise.all([page.waitForURL(/\/classic-checkout\/order-received\/\d+\/\?key=wc_order_/), page.click("#place_order")]);
        expect(await page.textContent(".woocommerce-thankyou-order-received")).toContain("Thank you. Your order has been received.");
        const classic = Number(/order-received\/(\d+)/.exec(page.url())![1]);
        expect(await wp.runPhp(`return wc_get_order( ${classic} )->get_created_via();`)).toBe("checkout");
      } finally {
        await wp.runPhp("update_option( 'woocommerce_checkout_page_id', get_option( 'woocommerce_standin_block_checkout_page_id' ) ); return true;");
      }
      expect(wp.phpProblems()).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it("passes its PHPUnit tests (tests/*Test.php) with no PHP warnings or notices", async () => {
    if (!wp) return;
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile("phpunit", ["-c", path.join(__dirname, "phpunit.xml.dist")], { cwd: PLUGIN_DIR, env: { ...process.env, ...wp!.env() }, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}\n${stderr}` });
      });
    });
    if (result.code !== 0) throw new Error(`phpunit exited ${result.code}:\n${result.output.slice(-20_000)}\ndebug.log:\n${wp.debugLog(6000)}`);
    const ok = /OK \((\d+) tests?, \d+ assertions?\)/.exec(result.output);
    expect(Number(ok?.[1])).toBe(13);
    expect(wp.phpProblems()).toEqual([]);
  }, 320_000);
});
