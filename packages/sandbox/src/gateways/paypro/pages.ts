import { html, type SandboxResponse } from "../../http";
import { decisionForm, escapeHtml, page } from "../../pages";
import type { PayProPayout } from "./state";

/** The payout's status page, where a person plays the bank while it is processing. */
export function statusPage(payout: PayProPayout, processing: boolean): SandboxResponse {
  const rows = [
    ["Payout", payout.gatewayRef],
    ["Merchant reference", payout.merchantRef],
    ["Recipient", payout.name],
    ["Account", `${payout.accountType} ${payout.bankName} ****${payout.bankNumber.slice(-4)}`],
    ["Status", `${payout.status} ${payout.desc}`],
  ]
    .map(([k, v]) => `<tr><th>${escapeHtml(k as string)}</th><td>${escapeHtml(v as string)}</td></tr>`)
    .join("");
  const form = processing
    ? `<p>The bank is processing this payout. Decide as the bank would:</p>${decisionForm(`/paypro/payout/${encodeURIComponent(payout.gatewayRef)}`, "", [
        { value: "approve", label: "Credit the account", kind: "primary" },
        { value: "decline", label: "Reject", kind: "danger" },
        { value: "cancel", label: "Cancel" },
      ])}`
    : `<p id="result">This payout is final.</p>`;
  return html(page("PayPro payout", `<p class="amount">PKR ${payout.amount}</p><table>${rows}</table>${form}`));
}

/** No such payout. */
export function notFoundPage(): SandboxResponse {
  return html(page("Not found", "<p>No such payout.</p>"), 404);
}
