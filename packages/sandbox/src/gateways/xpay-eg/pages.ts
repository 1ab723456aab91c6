import { html, type SandboxResponse } from "../../http";
import { minorToDecimal } from "../../money";
import { escapeHtml, page } from "../../pages";
import { XPAY_EG_TEST_CARDS } from "./merchant";
import type { PayUsing } from "./validation";

/** What a hosted page shows about a transaction. */
export interface PageTransaction {
  uuid: string;
  amountMinor: number;
  currency: string;
  payUsing: PayUsing;
  billReference?: number;
  status: string;
  billingName: string;
}

const TITLES: Record<PayUsing, string> = {
  card: "Pay by card",
  kiosk: "Pay at an Aman kiosk",
  fawry: "Pay with Fawry",
  "meeza/digital": "Pay with Meeza / mobile wallet",
  valU: "Pay with valU",
};

/** A form posting to the iframe URL; `formnovalidate` lets Cancel through without card details. */
function form(action: string, fields: string, buttons: { value: string; label: string; kind?: "primary" | "danger" }[]): string {
  return `<form method="post" action="${escapeHtml(action)}">${fields}${buttons
    .map((b) => `<button type="submit" name="decision" value="${escapeHtml(b.value)}" class="${b.kind ?? ""}" formnovalidate>${escapeHtml(b.label)}</button>`)
    .join("")}</form>`;
}

/** The hosted payment page of a transaction, by payment method; a closed one shows its status. */
export function iframePage(tx: PageTransaction, action: string, error = ""): SandboxResponse {
  const amount = `<p class="amount">${escapeHtml(tx.currency)} ${minorToDecimal(tx.amountMinor)}</p><p>Billed to ${escapeHtml(tx.billingName)}</p>`;
  if (tx.status !== "PENDING") {
    return html(page(TITLES[tx.payUsing], `${amount}<p id="result">Transaction <code>${escapeHtml(tx.uuid)}</code> is <strong>${escapeHtml(tx.status)}</strong>.</p>`));
  }
  const alert = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : "";
  switch (tx.payUsing) {
    case "card":
      return html(
        page(
          TITLES.card,
          `${amount}${alert}
           <p>Test cards: <code>${XPAY_EG_TEST_CARDS.approved}</code> is approved, <code>${XPAY_EG_TEST_CARDS.declined}</code> is declined; any expiry in the future, any 3-digit CVV.</p>
           ${form(
             action,
             `<label for="card_number">Card number</label><input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="4111 1111 1111 1111">
              <label for="expiry">Expiry (MM/YY)</label><input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="12/30">
              <label for="cvv">CVV</label><input id="cvv" name="cvv" inputmode="numeric" autocomplete="cc-csc" placeholder="123">`,
             [
               { value: "pay", label: "Pay", kind: "primary" },
               { value: "cancel", label: "Cancel" },
             ],
           )}`,
        ),
      );
    case "kiosk":
      return html(
        page(
          TITLES.kiosk,
          `${amount}${alert}<p>Bill reference: <strong id="bill-reference">${escapeHtml(String(tx.billReference ?? ""))}</strong></p>
           <p>The shopper pays this bill in cash at any Aman kiosk. In the sandbox, play the kiosk:</p>
           ${form(action, "", [
             { value: "approve", label: "Customer paid at kiosk", kind: "primary" },
             { value: "expire", label: "Expire bill", kind: "danger" },
           ])}`,
        ),
      );
    default:
      return html(
        page(
          TITLES[tx.payUsing],
          `${amount}${alert}<p>Approve the request in the ${escapeHtml(tx.payUsing === "valU" ? "valU" : tx.payUsing === "fawry" ? "Fawry" : "wallet")} app.</p>
           ${form(action, "", [
             { value: "approve", label: "Approve payment", kind: "primary" },
             { value: "decline", label: "Decline", kind: "danger" },
             { value: "cancel", label: "Cancel" },
           ])}`,
        ),
      );
  }
}

/** Not found. */
export function missingPage(): SandboxResponse {
  return html(page("Not found", "<p>No such transaction.</p>"), 404);
}
