import { api, type Order, type OrderEvent } from "./api.js";
import { fill, h, slot } from "./dom.js";
import { badge, clock, money, WORDS } from "./format.js";
import { errorLine } from "./forms.js";
import { onPaymentChange, showLive, startLive } from "./live.js";

/** Where a status change came from, in the timeline's words. */
const SOURCES: Record<string, string> = { api: "gateway's answer at creation", callback: "gateway callback, verified", reconcile: "status check with the gateway", expiry: "expired unpaid", refund: "refund" };

const word = (status: string | null) => (status === null ? "" : (WORDS[status] ?? status));

/** The order page: the order, its next step and its timeline, redrawn on each of its status changes. */
export async function initOrder(ref: string): Promise<void> {
  const box = slot("order");
  const load = async () => {
    const res = await api<{ order: Order }>("GET", `/orders/${encodeURIComponent(ref)}`);
    if (!res.ok) return fill(box, errorLine(res.message));
    renderOrder(box, res.body.order);
  };
  onPaymentChange((event) => {
    if (!event || event.order_ref === ref) void load();
  });
  await load();
  startLive();
}

function eventText(e: OrderEvent): string {
  if (e.type === "created") return "Order placed, payment created";
  if (e.type === "status_changed") return `${word(e.from)} → ${word(e.to)} (${SOURCES[e.source] ?? e.source})`;
  if (e.type === "status_unchanged") return `Gateway repeated “${word(e.to)}”: nothing to change`;
  if (e.type === "status_conflict") return `Conflicting report (${word(e.to)}) held for review`;
  if (e.type === "create_outcome_unknown") return "The gateway did not answer in time: checking with it";
  return e.type;
}

function nextStep(o: Order): HTMLElement {
  const a = o.next_action ?? { type: "none", url: null, bill_reference: null };
  if (o.status === "succeeded") return h("div", { class: "paid", id: "paid", text: "Payment received: this order is paid. Thank you!" });
  if (o.status !== "pending" && o.status !== "requires_action") {
    return h("div", { class: "failed", text: `This payment did not go through (${word(o.status)}). Nothing was charged; you can go back and try again.` });
  }
  const waiting = h("p", { class: "hint", text: "This page updates by itself as soon as the gateway confirms: you can pay in another tab." });
  if (a.type === "kiosk") {
    return h("div", { class: "next" }, [
      h("div", { class: "muted", text: "Your bill reference" }),
      h("div", { class: "ref", id: "bill-reference", text: a.bill_reference }),
      h("p", { text: "Pay this bill in cash at any Aman kiosk." }),
      a.url ? h("a", { class: "button", href: a.url, target: "_blank", rel: "noopener", text: "Play the kiosk in the sandbox (new tab)" }) : null,
      waiting,
    ]);
  }
  if (a.type === "qr") {
    return h("div", { class: "next" }, [
      h("p", { text: "Scan the QR code with any Kyrgyz banking app." }),
      o.qr_image ? h("img", { class: "qr", id: "qr-image", src: o.qr_image, alt: "QR code to scan with a banking app", width: "240", height: "240" }) : null,
      h("a", { class: "button", href: a.url, target: "_blank", rel: "noopener", text: "No phone at hand? Pay this QR in the sandbox (new tab)" }),
      waiting,
    ]);
  }
  if (a.url) {
    return h("div", { class: "next" }, [
      h("p", { text: `Waiting for your payment on the ${o.gateway_name} page.` }),
      h("a", { class: "button primary", href: a.url, text: "Continue to the payment page" }),
      waiting,
    ]);
  }
  return h("div", { class: "next" }, [h("p", { text: "Waiting for the gateway." }), waiting]);
}

function renderOrder(box: HTMLElement, o: Order): void {
  const product = o.product ?? { name: "Order", image: null };
  document.title = `Order ${o.ref} · ${word(o.status)}`;
  fill(box, [
    h("div", { class: "order-head" }, [
      h("div", { style: "display:flex;gap:1rem;align-items:center" }, [
        product.image ? h("div", { class: "picture" }, h("img", { src: product.image, alt: "" })) : null,
        h("div", {}, [
          h("h1", { text: product.name }),
          h("div", { class: "muted", text: `Order ${o.ref}` }),
          h("div", {}, [h("strong", { class: "amount", text: money(o.amount, o.currency) }), h("span", { class: "muted", text: ` · ${o.gateway_name} · ${o.method_label}` })]),
        ]),
      ]),
      h("div", { style: "text-align:right" }, [badge(o.status, WORDS, { id: "order-status", class: `badge big s-${o.status}` }), h("div", { id: "live", class: "live" })]),
    ]),
    nextStep(o),
    o.flagged ? errorLine(`Flagged for review: ${o.flagged}`) : null,
    h("h3", { text: "Timeline" }),
    h(
      "ol",
      { class: "timeline", id: "timeline" },
      (o.events ?? []).map((e) => h("li", {}, [h("time", { datetime: e.at, text: clock(e.at) }), h("span", { text: eventText(e) })])),
    ),
  ]);
  showLive();
}
