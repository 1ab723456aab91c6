import QRCode from "qrcode";
import { Money } from "@xpay-connect/core";
import { int } from "@xpay-connect/server";
import type { PaymentSessionRow } from "./store";

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Polls the session's status and follows the URL Shopify returned (never one the app makes up). */
const FOLLOW_SCRIPT = `<script>
(function () {
  var box = document.getElementById("status");
  var back = document.getElementById("back");
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (s) {
      box.dataset.state = s.state;
      box.textContent = s.message;
      if (s.redirect) { window.location.replace(s.redirect); return; }
      if (s.pendingRedirect && back) { back.href = s.pendingRedirect; back.hidden = false; }
      setTimeout(poll, 1000);
    }, function () { setTimeout(poll, 2000); });
  }
  poll();
})();
</script>`;

function shell(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}.amount{font-size:1.2rem;font-weight:600}
#bill-reference{font-size:2rem;letter-spacing:.15em;font-family:monospace}img#qr-image{width:16rem;height:16rem;image-rendering:pixelated}#status{margin-top:1.5rem;color:#555}a.button{display:inline-block;margin-top:1rem}</style>
</head><body>${body}</body></html>`;
}

const statusBox = (session: PaymentSessionRow, appUrl: string, page: "pay" | "return"): string =>
  `<p id="status" data-state="waiting" data-status-url="${escape(`${appUrl}/shopify/return/${session.token}/status?page=${page}`)}">Waiting for the payment…</p>`;

/** The app's page for a QR code (xPay KG) or a kiosk bill (XPay EG): what to pay, and the way back to the shop. */
export async function payPage(session: PaymentSessionRow, appUrl: string): Promise<string> {
  const amount = Money.ofMinor(int(session.amount_minor), session.currency);
  const next = session.next_action;
  let how = "";
  if (next?.type === "qr") {
    const image = await QRCode.toDataURL(next.qrData ?? next.url ?? "", { margin: 1, width: 256 });
    how = `<p>Scan this code with your banking app to pay.</p><img id="qr-image" alt="QR code to pay" src="${image}">${next.url ? `<p><a id="qr-link" href="${escape(next.url)}">Open the payment page on this phone</a></p>` : ""}`;
  } else if (next?.type === "kiosk") {
    how = `<p>Pay this bill reference at any kiosk before it expires:</p><p id="bill-reference">${escape(next.billReference ?? "")}</p>`;
  }
  const expires = session.expires_at ? `<p>Pay before ${escape(new Date(session.expires_at).toUTCString())}.</p>` : "";
  return shell(
    "Pay your order",
    `<h1>Pay your order</h1><p class="amount">${escape(`${amount.currency} ${amount.format()}`)}</p>${how}${expires}${statusBox(session, appUrl, "pay")}
<p>Paid already, or paying later? Your order waits for the payment: <a id="back" class="button" hidden href="#">Back to the shop</a></p>
<p><a id="cancel" href="${escape(session.cancel_url)}">Pay another way</a></p>${FOLLOW_SCRIPT}`,
  );
}

/** The page the buyer comes back to from the gateway, while the app waits for Shopify's answer. */
export function returnPage(session: PaymentSessionRow, appUrl: string): string {
  return shell("Finishing your payment", `<h1>Finishing your payment</h1>${statusBox(session, appUrl, "return")}<a id="back" hidden href="#">Back to the shop</a>${FOLLOW_SCRIPT}`);
}
