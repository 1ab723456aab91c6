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
<script src="/demo/assets/app.js" defer></script>
</body></html>`;
}

/** What /demo shows in a service started without the demo (e.g. `node dist/main.js` in production). */
export function notSetUpPage(): string {
  return `${head("Demo store not running")}<body>${header(null)}<main class="order-layout"><section class="card">
<h1>The demo store is not set up here</h1>
<p>It runs with <code>pnpm start</code>, which starts the gateway sandbox, creates a demo merchant wired to it, and serves the store at <code>/demo</code>.</p>
</section></main></body></html>`;
}

/** The demo's stylesheet. */
export const STYLES = `
:root{--ink:#1c2333;--muted:#5b6478;--line:#e3e6ee;--bg:#f5f6fa;--card:#fff;--brand:#0f5d4a;--brand2:#13795f;--amber:#9a6700;--amberbg:#fff6d6;--red:#b42318;--redbg:#fde8e6;--green:#116329;--greenbg:#dcf5e3;--grey:#4b5563;--greybg:#eceef2}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--brand2)}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--greybg);padding:.05rem .3rem;border-radius:4px}
.top{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding:.8rem 1.5rem;background:#12202f;color:#fff}
.top a{color:#d7e3f4;text-decoration:none;margin-left:1rem;font-size:.9rem}.top a:hover{color:#fff}
.top .brand{margin:0;color:#fff;font-weight:650;font-size:1.1rem}.brand small{font-weight:400;color:#9fb0c8;margin-left:.4rem;font-size:.8rem}
.logo{display:inline-grid;place-items:center;width:1.6rem;height:1.6rem;border-radius:6px;background:var(--brand2);margin-right:.3rem;font-weight:800}
.sandbox-note{margin:0;padding:.45rem 1.5rem;background:var(--amberbg);border-bottom:1px solid #edd27a;color:#5c4300;font-size:.88rem}
.layout{display:grid;grid-template-columns:minmax(0,1.5fr) minmax(300px,1fr);gap:1.5rem;max-width:1180px;margin:1.5rem auto;padding:0 1.5rem}
@media (max-width:900px){.layout{grid-template-columns:1fr}}
.order-layout{max-width:760px;margin:1.5rem auto;padding:0 1.5rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.1rem;margin:.2rem 0 .8rem}h2 small{color:var(--muted);font-weight:400;font-size:.85rem;margin-left:.3rem}
h3{font-size:1rem;margin:0 0 .6rem;display:flex;align-items:center;justify-content:space-between}
.lead{color:var(--muted);margin:.2rem 0 1rem}.muted{color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.1rem 1.2rem;margin-bottom:1rem;box-shadow:0 1px 2px rgba(16,24,40,.04)}
.products{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:1rem;margin-bottom:1rem}
.product{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1rem;display:flex;flex-direction:column;gap:.4rem}
.product.selected{border-color:var(--brand2);box-shadow:0 0 0 2px rgba(19,121,95,.2)}
.picture{background:linear-gradient(135deg,#f3efe6,#e8eef3);border-radius:10px;display:grid;place-items:center;height:110px}.picture img{height:92px;width:auto}
.product h3{margin:.3rem 0 0}.product p{margin:0;color:var(--muted);font-size:.9rem}
.prices{display:flex;flex-wrap:wrap;gap:.3rem;margin:.3rem 0}.price{font-size:.8rem;background:var(--greybg);border-radius:999px;padding:.1rem .55rem;white-space:nowrap}
button,.button{font:inherit;border-radius:8px;border:1px solid var(--line);background:#fff;padding:.5rem .9rem;cursor:pointer;color:var(--ink);text-decoration:none;display:inline-block}
button.primary,.button.primary{background:var(--brand2);border-color:var(--brand2);color:#fff;font-weight:600}
button.primary:hover,.button.primary:hover{background:var(--brand)}
button:disabled{opacity:.6;cursor:progress}
button.sandbox{border:1px dashed var(--amber);color:#5c4300;background:var(--amberbg);font-size:.85rem;padding:.3rem .6rem}
.choices{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:.5rem;margin:.3rem 0 .8rem}
.choice{display:flex;gap:.5rem;align-items:flex-start;border:1px solid var(--line);border-radius:10px;padding:.55rem .7rem;cursor:pointer;background:#fff}
.choice:has(input:checked){border-color:var(--brand2);background:#f0faf6}
.choice input{margin-top:.25rem}.choice small{display:block;color:var(--muted)}
fieldset{border:0;padding:0;margin:0 0 .4rem}legend{font-weight:600;margin-bottom:.2rem}
label.field{display:block;margin:.5rem 0 .15rem;font-size:.9rem;font-weight:550}
input[type=text],input[type=email],input[type=tel],select{width:100%;font:inherit;padding:.5rem .6rem;border:1px solid #cfd4de;border-radius:8px;background:#fff}
.row{display:grid;grid-template-columns:1fr 1fr;gap:.8rem}@media (max-width:560px){.row{grid-template-columns:1fr}}
.total{display:flex;justify-content:space-between;align-items:center;border-top:1px solid var(--line);margin-top:1rem;padding-top:.9rem;gap:1rem;flex-wrap:wrap}
.total strong{font-size:1.25rem}
.error{color:var(--red);background:var(--redbg);border-radius:8px;padding:.5rem .7rem;margin:.6rem 0 0}
.badge{display:inline-block;font-size:.78rem;font-weight:650;border-radius:999px;padding:.12rem .6rem;background:var(--greybg);color:var(--grey);white-space:nowrap}
.badge.big{font-size:1rem;padding:.3rem .9rem}
.s-succeeded{background:var(--greenbg);color:var(--green)}.s-failed,.s-reversed{background:var(--redbg);color:var(--red)}
.s-requires_action,.s-pending,.s-authorized{background:var(--amberbg);color:var(--amber)}.s-refunded,.s-partially_refunded{background:#ece6fb;color:#5b3cc4}
.live{font-size:.75rem;font-weight:500;color:var(--muted)}.live.on::before{content:"";display:inline-block;width:.5rem;height:.5rem;border-radius:50%;background:#22a06b;margin-right:.3rem;animation:pulse 2s infinite}
@keyframes pulse{50%{opacity:.35}}
table{width:100%;border-collapse:collapse;font-size:.88rem}td,th{text-align:left;padding:.35rem .3rem;border-bottom:1px solid var(--line);vertical-align:top}th{color:var(--muted);font-weight:550}
.balance{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}.balance div{background:var(--bg);border-radius:8px;padding:.5rem .7rem}.balance div:first-child{grid-column:1/-1}.balance small{display:block;color:var(--muted);font-size:.78rem}.balance strong{font-size:1rem;white-space:nowrap}.balance div:first-child strong{font-size:1.35rem}
.order-head{display:grid;grid-template-columns:1fr auto;align-items:start;gap:1rem}
.order-head .picture{width:84px;height:70px;flex:none}.order-head .picture img{height:58px}
.next{background:var(--bg);border-radius:10px;padding:.9rem 1rem;margin:1rem 0}
.next .ref{font:600 1.6rem ui-monospace,monospace;letter-spacing:.08em}
.paid{background:var(--greenbg);color:var(--green);border-radius:10px;padding:.9rem 1rem;margin:1rem 0;font-weight:600}
.failed{background:var(--redbg);color:var(--red);border-radius:10px;padding:.9rem 1rem;margin:1rem 0;font-weight:600}
.timeline{list-style:none;padding:0;margin:.3rem 0 0}.timeline li{display:grid;grid-template-columns:4.5rem 1fr;gap:.6rem;padding:.35rem 0;border-bottom:1px dashed var(--line);font-size:.9rem}
.timeline time{color:var(--muted);font-variant-numeric:tabular-nums}
.back{margin:1rem 0}
footer{max-width:1180px;margin:2rem auto;padding:0 1.5rem;color:var(--muted);font-size:.82rem}
td.amount,strong.amount{white-space:nowrap}.actions{display:flex;flex-wrap:wrap;gap:.3rem;margin-top:.3rem}
.hint{font-size:.8rem;color:var(--muted);margin:.3rem 0 0}
.how ol{margin:0;padding-left:1.2rem;color:var(--muted);font-size:.9rem}.how li{margin:.25rem 0}.how strong,.how em{color:var(--ink)}
`;
