import { existsSync } from "node:fs";
import path from "node:path";
import { PLUGIN_DIR, useWordPress, type WordPress } from "./env/wordpress";

/** WordPress 6.5.5 boots with the WooCommerce stand-in and our plugin (when present) and serves pages without PHP warnings. */
describe("WordPress test environment (smoke)", () => {
  let wp: WordPress | undefined;
  useWordPress("the WooCommerce plugin's WordPress smoke test", (w) => (wp = w));

  it("serves /wp-json/ and the home page over HTTP, runs PHP inside WordPress, records mail, and logs no PHP warnings", async () => {
    if (!wp) return;
    const index = await fetch(`${wp.url}/wp-json/`);
    expect(index.status).toBe(200);
    const body = (await index.json()) as { name: string; namespaces: string[] };
    expect(body.name).toBe("xpay-connect test store");

    const home = await fetch(`${wp.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("xpay-connect test store");

    // Pretty permalinks reach index.php through the router.
    expect((await fetch(`${wp.url}/wp-json/wp/v2/types/post`)).status).toBe(200);
    // Static files are served as files.
    const css = await fetch(`${wp.url}/wp-includes/css/dashicons.min.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toContain("text/css");

    // Our plugin's files are served through its symlink (the block bundle the Checkout block loads).
    if (wp.activePlugins.some((p) => p.startsWith("xpay-connect-woocommerce/")) && existsSync(path.join(PLUGIN_DIR, "build/index.js"))) {
      const bundle = await fetch(`${wp.url}/wp-content/plugins/xpay-connect-woocommerce/build/index.js`);
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get("content-type")).toContain("javascript");
    }

    // The application password authenticates REST calls as the admin.
    const me = await wp.rest("GET", "/wp/v2/users/me?context=edit");
    expect(me.status).toBe(200);
    expect((me.body as { roles: string[] }).roles).toContain("administrator");

    // The admin's cookies open wp-admin (a directory index through the router).
    const cookies = await wp.adminCookies();
    const cookieHeader = [...new Map(cookies.map((c) => [c.name, `${c.name}=${c.value}`])).values()].join("; ");
    // (Followed redirects: real WooCommerce sends the first admin visit after activation to its setup pages.)
    const dashboard = await fetch(`${wp.url}/wp-admin/`, { headers: { cookie: cookieHeader } });
    expect(dashboard.status).toBe(200);
    expect(dashboard.url).toContain("/wp-admin/");
    expect(await dashboard.text()).toContain('id="wpadminbar"');
    const pluginsPage = await fetch(`${wp.url}/wp-admin/plugins.php`, { headers: { cookie: cookieHeader }, redirect: "manual" });
    expect(pluginsPage.status).toBe(200);
    const pluginsHtml = await pluginsPage.text();
    for (const plugin of wp.activePlugins) expect(pluginsHtml).toContain(`data-plugin="${plugin}"`);

    const inside = await wp.runPhp<{ version: string; db: string; active: string[]; user: number }>(`
      global $wpdb;
      return array( 'version' => get_bloginfo( 'version' ), 'db' => $wpdb->db_server_info(), 'active' => get_option( 'active_plugins' ), 'user' => get_current_user_id() );
    `);
    expect(inside.version).toBe("6.5.5");
    expect(inside.db).toMatch(/MariaDB/i);
    expect(inside.active).toEqual(wp.activePlugins);
    expect(inside.user).toBe(wp.admin.id);

    await wp.runPhp(`return wp_mail( 'owner@store.test', 'Smoke subject', 'Smoke body' );`);
    expect(wp.mails()).toEqual([expect.objectContaining({ to: ["owner@store.test"], subject: "Smoke subject", message: "Smoke body" })]);

    expect(wp.phpProblems()).toEqual([]);
  });
});
