import { html, type SandboxResponse } from "../../http";
import { minorToDecimal } from "../../money";
import { escapeHtml, page } from "../../pages";
import { XPAY_KG_MERCHANT } from "./merchant";
import { qrSvg } from "./qr";
import { isPayable, type PayStatus, type Qr } from "./state";

/** The bank-app buttons of the hosted page. */
const BANKS = ["MBank", "Optima Bank", "Bakai Bank", "O!Bank", "Elsom"] as const;

/** The pay.xpay.kg page: the QR, its payload, and a button per bank app (or the payment's outcome). */
export function payPage(qr: Qr, problem = ""): SandboxResponse {
  const som = `KGS ${minorToDecimal(qr.requestMinor)}`;
  const details = `<p>${escapeHtml(XPAY_KG_MERCHANT.name)}${qr.serviceName ? ` · ${escapeHtml(qr.serviceName)}` : ""}</p>${qr.comments ? `<p>${escapeHtml(qr.comments)}</p>` : ""}`;
  if (!isPayable(qr)) {
    const words: Record<PayStatus, string> = { ACTIVE: "open", WAITING: "open", PROCESSING: "being processed", COMPLETED: "paid", ERROR: "declined", CANCELED: "canceled" };
    const back = qr.returnUrl ? `<p><a href="${escapeHtml(qr.returnUrl)}">Back to the shop</a></p>` : "";
    return html(page("xPay QR payment", `<p class="amount">${som}</p>${details}<p id="result" data-status="${qr.payStatus}">This payment is ${words[qr.payStatus]}.</p>${back}`));
  }
  const amountField = qr.amountChange
    ? `<label for="amount">Amount (KGS)</label><input id="amount" name="amount" inputmode="decimal" value="${minorToDecimal(qr.requestMinor)}" pattern="[0-9]+(\\.[0-9]{1,2})?">`
    : "";
  const banks = BANKS.map((b) => `<button type="submit" name="decision" value="approve:${escapeHtml(b)}" class="primary">Pay in ${escapeHtml(b)}</button>`).join("");
  return html(
    page(
      "Pay by QR",
      `<p class="amount">${som}</p>${details}
         ${problem ? `<p class="error" role="alert">${escapeHtml(problem)}</p>` : ""}
         ${qrSvg(qr.payload)}
         <p>Scan with any Kyrgyz banking app, or open your bank below.</p>
         <p><code style="word-break:break-all">${escapeHtml(qr.payload)}</code></p>
         <form method="post" action="/xpay-kg/pay/${escapeHtml(qr.qrTransactionId)}">${amountField}${banks}
         <button type="submit" name="decision" value="decline" class="danger">Bank declines</button>
         <button type="submit" name="decision" value="cancel">Cancel</button></form>`,
    ),
  );
}

/** No such QR. */
export function notFoundPage(): SandboxResponse {
  return html(page("Not found", "<p>No such QR.</p>"), 404);
}
