import { html, redirect, type SandboxResponse } from "../../http";
import { minorToDecimal } from "../../money";
import { decisionForm, escapeHtml, page } from "../../pages";
import { XPAY_PK_TEST_CARDS, XPAY_PK_TEST_OTP } from "./merchant";
import { isOpen, type Intent } from "./state";

/** The bank's 3-D Secure challenge as XPay hands it over (`html_response`): a page that sends the shopper to the OTP page. */
export function threeDSHtml(threeDSUrl: string): string {
  const url = escapeHtml(threeDSUrl);
  return `<!doctype html><html><body><form id="xpay-3ds" method="get" action="${url}"><noscript><button type="submit">Continue to 3-D Secure</button></noscript></form><script>document.getElementById("xpay-3ds").submit()</script></body></html>`;
}

/** Where a closed intent's pages end: what happened to the payment. */
export function resultPage(i: Intent): SandboxResponse {
  const words: Record<string, string> = { succeeded: "paid", requires_capture: "authorized (awaiting capture)", failed: "declined", canceled: "canceled" };
  return html(page("XPay payment", `<p id="result" data-status="${escapeHtml(i.piStatus)}">This payment is ${escapeHtml(words[i.piStatus] ?? i.piStatus)}.</p>`));
}

/** The hosted card page (`checkout_page_url`), with the sandbox's test cards. */
export function checkoutPage(i: Intent, threeDSUrl: string, error = ""): SandboxResponse {
  if (i.piStatus === "requires_action") return redirect(threeDSUrl);
  if (!isOpen(i)) return resultPage(i);
  const field = (id: string, label: string, attrs: string) => `<label for="${id}">${label}</label><input id="${id}" name="${id}" ${attrs} required>`;
  const cards = Object.entries(XPAY_PK_TEST_CARDS)
    .map(([what, number]) => `<tr><td><code>${number}</code></td><td>${what === "threeDSecure" ? "asks for 3-D Secure (OTP " + XPAY_PK_TEST_OTP + ")" : what}</td></tr>`)
    .join("");
  return html(
    page(
      "Pay by card",
      `<p class="amount">${escapeHtml(i.currency)} ${minorToDecimal(i.amountMinor)}</p><p>Order ${escapeHtml(i.merchantRef)}</p>
         ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
         <form method="post" action="/xpay-pk/checkout/${escapeHtml(i.gatewayRef)}">
           ${field("number", "Card number", 'inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242"')}
           ${field("expiry_month", "Expiry month", 'inputmode="numeric" placeholder="12" pattern="0[1-9]|1[0-2]"')}
           ${field("expiry_year", "Expiry year", 'inputmode="numeric" placeholder="2030" pattern="20[0-9]{2}"')}
           ${field("cvc", "CVC", 'inputmode="numeric" placeholder="123" pattern="[0-9]{3,4}"')}
           ${field("name", "Name on card", 'autocomplete="cc-name"')}
           <button type="submit" name="decision" value="pay" class="primary">Pay ${escapeHtml(i.currency)} ${minorToDecimal(i.amountMinor)}</button>
           <button type="submit" name="decision" value="cancel" formnovalidate>Cancel</button>
         </form>
         <h2>Sandbox test cards</h2><table><tr><th>number</th><th>result</th></tr>${cards}</table>`,
    ),
  );
}

/** The bank's one-time-password page. */
export function threeDSPage(i: Intent, error = ""): SandboxResponse {
  if (i.piStatus !== "requires_action") return resultPage(i);
  return html(
    page(
      "3-D Secure verification",
      `<p>Your bank sent a one-time password for ${escapeHtml(i.currency)} ${minorToDecimal(i.amountMinor)} (card ending ${escapeHtml(i.cardLast4 ?? "")}).</p>
         ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
         ${decisionForm(`/xpay-pk/3ds/${i.gatewayRef}`, `<label for="otp">One-time password (sandbox: ${XPAY_PK_TEST_OTP})</label><input id="otp" name="otp" inputmode="numeric" value="">`, [
           { value: "approve", label: "Verify", kind: "primary" },
           { value: "fail", label: "Fail authentication", kind: "danger" },
         ])}`,
    ),
  );
}

/** No such intent. */
export function notFoundPage(): SandboxResponse {
  return html(page("Not found", "<p>No such payment.</p>"), 404);
}
