import { html, type SandboxResponse } from "../../http";
import { minorToDecimal } from "../../money";
import { decisionForm, escapeHtml, page } from "../../pages";
import type { XpressPayOrder } from "./state";

/** The hosted EasyPaisa/JazzCash approval page (with a wallet-number field when the order has no mobile). */
export function checkoutPage(order: XpressPayOrder, error = ""): SandboxResponse {
  const wallet = order.channel === "EASYPAISA" ? "EasyPaisa" : "JazzCash";
  if (order.orderStatus !== "1") {
    return html(page(`${wallet} payment`, `<p id="result">This payment is ${order.orderStatus === "2" ? "paid" : "closed"}.</p>`));
  }
  const mobileField = order.mobile
    ? `<p>Wallet: <strong>${escapeHtml(order.mobile.replace(/^(\d{4})\d{4}/, "$1****"))}</strong>. Approve the request in your ${wallet} app.</p>`
    : `<label for="mobile">${wallet} account number</label><input id="mobile" name="mobile" inputmode="numeric" placeholder="03001234567" pattern="03[0-9]{9}" required>`;
  return html(
    page(
      `Pay with ${wallet}`,
      `<p class="amount">PKR ${minorToDecimal(order.amountMinor)}</p><p>Order ${escapeHtml(order.merchantRef)}</p>
         ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
         ${decisionForm(`/xpress-pay/checkout/${order.gatewayRef}`, mobileField, [
           { value: "approve", label: "Approve payment", kind: "primary" },
           { value: "decline", label: "Decline", kind: "danger" },
           { value: "cancel", label: "Cancel" },
         ])}`,
    ),
  );
}

/** No such pay-in. */
export function notFoundPage(): SandboxResponse {
  return html(page("Not found", "<p>No such payment.</p>"), 404);
}
