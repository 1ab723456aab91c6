import { html, type SandboxResponse } from "../http";
import { escapeHtml, page } from "../pages";
import type { Checkout, DeployedApp, DeployedExtension, Installation, PaymentSessionRecord } from "./state";

/** 302 Found, as Shopify redirects. */
export function found(location: string): SandboxResponse {
  return { status: 302, body: "", headers: { location } };
}

/** A page on a shop's origin. */
export function shopPage(shop: string, title: string, body: string, status = 200): SandboxResponse {
  return html(page(title, `<p class="shop">Shopify (emulated) · <code>${escapeHtml(shop)}</code></p>${body}`), status);
}

/** An error page naming what was wrong. */
export function errorPage(status: number, title: string, message: string): SandboxResponse {
  return html(page(title, `<p class="error" id="error">${escapeHtml(message)}</p>`), status);
}

/** The admin's page of a payments app on a shop: installed, ready, external handle, and the way back to the app. */
export function settingsPage(shop: string, app: DeployedApp, installation: Installation | undefined): SandboxResponse {
  const ready = installation?.configuration.ready ?? false;
  return shopPage(
    shop,
    `${app.name} · Payments`,
    `<table>
       <tr><th>Installed</th><td id="installed">${installation?.installed ? "yes" : "no"}</td></tr>
       <tr><th>Ready</th><td id="ready">${ready ? "yes" : "no"}</td></tr>
       <tr><th>Account</th><td id="external-handle">${escapeHtml(installation?.configuration.externalHandle ?? "")}</td></tr>
       <tr><th>Payment methods</th><td>${app.extensions.map((e) => escapeHtml(e.merchant_label)).join("<br>")}</td></tr>
     </table>
     ${ready ? "" : `<p class="banner" id="not-ready">${escapeHtml(app.name)} is not ready to accept payments: finish its setup in the app.</p>`}
     <p><a id="manage" href="../../../../admin/apps/${encodeURIComponent(app.client_id)}">Manage ${escapeHtml(app.name)}</a></p>`,
  );
}

/** A method a buyer can pick: one extension of an installed, ready app. */
export interface CheckoutMethod {
  app: DeployedApp;
  extension: DeployedExtension;
}

/** The checkout page: the amount, one button per payment method, and "Pay now". */
export function checkoutPage(checkout: Checkout, methods: CheckoutMethod[], payAction: string, note?: string): SandboxResponse {
  const options = methods
    .map(
      ({ extension }, i) =>
        `<label><input type="radio" name="handle" value="${escapeHtml(extension.handle)}" data-handle="${escapeHtml(extension.handle)}"${i === 0 ? " checked" : ""}> ${escapeHtml(
          extension.buyer_label ?? extension.merchant_label,
        )}</label>`,
    )
    .join("");
  const body = methods.length
    ? `<form method="post" action="${escapeHtml(payAction)}">${options}<button type="submit" id="pay" class="primary">Pay now</button></form>`
    : `<p id="no-methods">No payment method is available for ${escapeHtml(checkout.currency)} on this store (install a payments app and make it ready).</p>`;
  return shopPage(
    checkout.shop,
    "Checkout",
    `${note ? `<p class="error" id="note">${escapeHtml(note)}</p>` : ""}
     <p class="amount" id="total">${escapeHtml(checkout.amount)} ${escapeHtml(checkout.currency)}</p>
     ${checkout.test ? `<p class="banner">Test order: the payment provider's test mode is used.</p>` : ""}
     ${body}`,
  );
}

/** What the thank-you page says for a session state. */
export function orderStatus(session: PaymentSessionRecord | undefined): string {
  if (session?.state.code === "RESOLVED") return "Order confirmed";
  if (session?.state.code === "PENDING") return "Payment pending";
  if (session?.state.code === "REJECTED") return "Payment failed";
  return "Processing payment";
}

/** The thank-you page; while pending it asks for the state again until the session is final. */
export function thankYouPage(checkout: Checkout, session: PaymentSessionRecord | undefined): SandboxResponse {
  const status = orderStatus(session);
  const final = session?.state.code === "RESOLVED" || session?.state.code === "REJECTED";
  const poll = final
    ? ""
    : `<script>
(function poll(){setTimeout(function(){fetch(location.pathname+"/status").then(function(r){return r.json()}).then(function(s){
document.getElementById("order-status").textContent=s.status;if(!s.final)poll();}).catch(poll)},1000)})();
</script>`;
  return shopPage(
    checkout.shop,
    "Thank you",
    `<p class="amount">${escapeHtml(checkout.amount)} ${escapeHtml(checkout.currency)}</p>
     <h2 id="order-status">${escapeHtml(status)}</h2>
     ${session ? `<p>Payment session <code id="session-id">${escapeHtml(session.id)}</code></p>` : ""}${poll}`,
  );
}
