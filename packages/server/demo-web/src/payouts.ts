import { api, type Balance, type Payout } from "./api.js";
import { byId, fill, h, slot } from "./dom.js";
import { badge, money, PAYOUT_WORDS } from "./format.js";
import { errorLine, input } from "./forms.js";

/** The payout form's fields, prefilled with a plausible supplier payment. */
const payout = { amount: "250.00", method: "easypaisa", mobile: "03112233445", name: "Bilal Ahmed" };

/** The Xpress Pay balance, read from the gateway through the connector. */
export async function refreshBalance(): Promise<void> {
  const res = await api<{ balance: Balance }>("GET", "/balance");
  const box = slot("balance");
  if (!res.ok) return fill(box, errorLine(res.message));
  const b = res.body.balance;
  const tile = (label: string, amount: string | null, id?: string) => h("div", {}, [h("small", { text: label }), h("strong", { id, text: amount === null ? "–" : money(amount, b.currency) })]);
  fill(box, [
    h("div", { class: "balance" }, [tile("Available for payouts", b.available, "balance-available"), tile("Collected", b.collected), tile("Held back", b.frozen)]),
    h("p", { class: "hint", text: "Read from the gateway just now, through the connector." }),
  ]);
}

/** The "Send a payout" panel: the form and the recent payouts under it. */
export function renderPayoutForm(): void {
  const form = h("form", { id: "payout-form", onsubmit: (e) => void sendPayout(e), novalidate: true }, [
    h("p", { class: "hint", text: "Pay a supplier or a refund out of your Xpress Pay balance into an EasyPaisa or JazzCash wallet." }),
    h("div", { class: "row" }, [
      input("payout-amount", "Amount (PKR)", "text", payout.amount, "250.00", (v) => (payout.amount = v)),
      h("div", {}, [
        h("label", { class: "field", for: "payout-method", text: "Wallet" }),
        h("select", { id: "payout-method", onchange: (e) => (payout.method = (e.target as HTMLSelectElement).value) }, [
          h("option", { value: "easypaisa", text: "EasyPaisa", selected: payout.method === "easypaisa" }),
          h("option", { value: "jazzcash", text: "JazzCash", selected: payout.method === "jazzcash" }),
        ]),
      ]),
    ]),
    h("div", { class: "row" }, [
      input("payout-mobile", "Wallet number", "tel", payout.mobile, "03112233445", (v) => (payout.mobile = v)),
      input("payout-name", "Recipient name", "text", payout.name, "Full name", (v) => (payout.name = v)),
    ]),
    h("div", { class: "total" }, [h("span", { class: "muted", text: "Gateway: Xpress Pay" }), h("button", { class: "primary", type: "submit", id: "send-payout", text: "Send payout" })]),
    h("div", { id: "payout-error", role: "alert" }),
  ]);
  fill(slot("payouts"), [
    form,
    h("div", { id: "payout-list" }),
    h("p", { class: "hint", text: "A payout stays Processing until the wallet provider confirms it. Here the sandbox plays the provider: the dashed buttons are sandbox-only actions." }),
  ]);
}

async function sendPayout(e: Event): Promise<void> {
  e.preventDefault();
  const button = slot("send-payout") as HTMLButtonElement;
  button.disabled = true;
  const res = await api<{ payout: Payout }>("POST", "/payouts", payout);
  button.disabled = false;
  fill(slot("payout-error"), res.ok ? null : errorLine(res.message));
  void refreshPayouts();
  void refreshBalance();
}

/** A labelled sandbox-only action: plays the wallet provider settling or failing the transfer. */
async function sandboxAction(id: string, action: "approve" | "decline", button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  const res = await api<{ payout: Payout }>("POST", `/payouts/${encodeURIComponent(id)}/sandbox/${action}`);
  if (!res.ok) {
    button.disabled = false;
    fill(slot("payout-error"), errorLine(res.message));
  }
}

function sandboxButton(id: string, action: "approve" | "decline", text: string, title: string): HTMLButtonElement {
  const button: HTMLButtonElement = h("button", { class: "sandbox", type: "button", title, text, onclick: () => void sandboxAction(id, action, button) });
  return button;
}

/** The recent payouts, with sandbox actions on those still processing. */
export async function refreshPayouts(): Promise<void> {
  const box = byId("payout-list");
  if (!box) return;
  const res = await api<{ data: Payout[] }>("GET", "/payouts");
  if (!res.ok) return fill(box, errorLine(res.message));
  if (!res.body.data.length) return fill(box, h("p", { class: "muted", text: "No payouts yet." }));
  fill(
    box,
    h("table", {}, [
      h(
        "tbody",
        {},
        res.body.data.map((p) => {
          const open = p.status === "pending" || p.status === "requires_action";
          return h("tr", { "data-payout": p.id }, [
            h("td", {}, [h("strong", { text: money(p.amount, p.currency) }), h("div", { class: "muted", text: (p.method === "jazzcash" ? "JazzCash " : "EasyPaisa ") + (p.recipient ?? "") })]),
            h("td", {}, [
              badge(p.status, PAYOUT_WORDS),
              open
                ? h("div", { class: "actions" }, [
                    sandboxButton(p.id, "approve", "Settle in sandbox", "Sandbox action: plays the wallet provider completing the transfer"),
                    sandboxButton(p.id, "decline", "Fail in sandbox", "Sandbox action: plays the wallet provider rejecting the transfer"),
                  ])
                : null,
            ]),
          ]);
        }),
      ),
    ]),
  );
}
