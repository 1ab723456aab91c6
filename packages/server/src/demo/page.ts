/** HTML escaping for the few values put into the demo's pages. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/** What a demo page is about: the store, or one order. */
export interface ShellOptions {
  view: "store" | "order";
  ref?: string;
  sandboxUrl: string | null;
}

const head = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/demo/assets/app.css">
<link rel="icon" href="data:,">
</head>`;

const header = (sandboxUrl: string | null) => `<header class="top">
  <a class="brand" href="/demo"><span class="logo">x</span> Corner Bazaar <small>an xpay-connect demo store</small></a>
  <nav>
    <a href="/openapi.json">API (OpenAPI)</a>
    <a href="/metrics">Metrics</a>
    ${sandboxUrl ? `<a href="${escapeHtml(sandboxUrl)}/">Sandbox</a>` : ""}
  </nav>
</header>
<p class="sandbox-note"><strong>Sandbox mode.</strong> Every gateway here is the local sandbox: no real money moves and no card is charged.</p>`;

/** The store or order page: a static frame that /demo/assets/app.js fills in. Carries no key and no secret. */
export function shellPage(options: ShellOptions): string {
  const main =
    options.view === "order"
      ? `<main class="order-layout"><section id="order" class="card" aria-live="polite"><p class="muted">Loading order…</p></section>
         <p class="back"><a href="/demo">← Back to the store</a></p></main>`
      : `<main class="layout">
  <div class="shop">
    <section>
      <h1>Shop</h1>
      <p class="lead">Pick something, pay through a sandbox gateway page, and watch the order turn paid live.</p>
      <div id="products" class="products"></div>
    </section>
    <section id="checkout" class="card checkout" hidden></section>
    <section class="card how">
      <h3>How this demo works</h3>
      <ol>
        <li><strong>Buy</strong> something and pick a gateway and a method: wallets, cards, a kiosk bill or a QR code.</li>
        <li>The store asks the xpay-connect service for a payment (server side, with the store's API key) and sends you to the gateway's page: here, the sandbox's.</li>
        <li>Approve or decline there as a shopper would. The gateway calls the service back; the service stores the callback, verifies it with the gateway, and the order turns <em>Paid</em> here, live.</li>
      </ol>
    </section>
  </div>
  <aside class="merchant">
    <h2>Behind the counter <small>what the store owner sees</small></h2>
    <section class="card"><h3>Recent orders <span id="live" class="live">connecting…</span></h3><div id="orders"><p class="muted">No orders yet.</p></div></section>
    <section class="card"><h3>Xpress Pay balance</h3><div id="balance"><p class="muted">Loading…</p></div></section>
    <section class="card"><h3>Send a payout</h3><div id="payouts"></div></section>
  </aside>
</main>`;
  return `${head(options.view === "order" ? `Order ${options.ref ?? ""} · Corner Bazaar` : "Corner Bazaar · xpay-connect demo")}
<body data-view="${options.view}" data-ref="${escapeHtml(options.ref ?? "")}">
${header(options.sandboxUrl)}
${main}
<footer>Running on your machine: the xpay-connect service, PGlite, and the gateway sandbox. Read <code>docs/server.md</code> to connect real gateway accounts.</footer>
<script src="/demo/assets/app.js" type="module"></script>
</body></html>`;
}

/** What /demo shows in a service started without the demo (e.g. `node dist/main.js` in production). */
export function notSetUpPage(): string {
  return `${head("Demo store not running")}<body>${header(null)}<main class="order-layout"><section class="card">
<h1>The demo store is not set up here</h1>
<p>It runs with <code>pnpm start</code>, which starts the gateway sandbox, creates a demo merchant wired to it, and serves the store at <code>/demo</code>.</p>
</section></main></body></html>`;
}
