import { api, type Catalog, type Gateway, type Order, type Product } from "./api.js";
import { fill, h, slot } from "./dom.js";
import { badge, METHODS, money } from "./format.js";
import { choice, errorLine, input } from "./forms.js";
import { onPaymentChange, startLive } from "./live.js";
import { refreshBalance, refreshPayouts, renderPayoutForm } from "./payouts.js";

/** What the shopper sees next, per gateway or gateway/method. */
const HINTS: Record<string, string> = {
  "xpress-pay": "Next: the sandbox's wallet page, where you approve (or decline) the payment as the shopper would.",
  "xpay-pk": "Next: the sandbox's card page. Test card 4242 4242 4242 4242, any future expiry, any CVC (4000 0000 0000 3220 asks for 3-D Secure, OTP 123456).",
  "xpay-eg/card": "Next: the sandbox's card page. Test card 4111 1111 1111 1111, any future expiry, any CVV.",
  "xpay-eg/kiosk": "You get a bill reference to pay in cash at a kiosk; the sandbox plays the kiosk.",
  "xpay-eg": "Next: the sandbox's payment page, where you approve the request as the shopper would.",
  "xpay-kg": "You get a QR code to scan with a banking app; the sandbox plays the bank. Open it in another tab and watch this order update.",
};

let catalog: Catalog = { products: [], gateways: [] };
const selected: { product: Product | null; gateway: Gateway | null; method: string | null } = { product: null, gateway: null, method: null };
const customer: { name: string; email: string; phone: Record<string, string> } = { name: "Ayesha Khan", email: "ayesha@example.com", phone: {} };

/** The store page: the shelf and checkout, and behind the counter the orders, balance and payouts. */
export async function initStore(): Promise<void> {
  const res = await api<Catalog>("GET", "/catalog");
  if (!res.ok) return fill(slot("products"), errorLine(res.message));
  catalog = res.body;
  renderProducts();
  renderPayoutForm();
  onPaymentChange((event) => {
    if (!event || event.kind === "pay_in") void refreshOrders();
    if (!event || event.kind === "payout") {
      void refreshPayouts();
      void refreshBalance();
    }
  });
  startLive();
  void refreshOrders();
  void refreshBalance();
  void refreshPayouts();
}

function renderProducts(): void {
  fill(
    slot("products"),
    catalog.products.map((p) =>
      h("article", { class: "product" + (selected.product === p ? " selected" : ""), "data-product": p.id }, [
        h("div", { class: "picture" }, h("img", { src: p.image, alt: "" })),
        h("h3", { text: p.name }),
        h("p", { text: p.description }),
        h(
          "div",
          { class: "prices" },
          Object.entries(p.prices).map(([currency, amount]) => h("span", { class: "price", text: money(amount, currency) })),
        ),
        h("button", {
          class: "primary",
          type: "button",
          text: selected.product === p ? "Selected" : "Buy",
          onclick: () => {
            selected.product = p;
            renderProducts();
            renderCheckout();
            slot("checkout").scrollIntoView({ behavior: "smooth", block: "start" });
          },
        }),
      ]),
    ),
  );
}

function renderCheckout(): void {
  const box = slot("checkout");
  const p = selected.product;
  const g = selected.gateway ?? catalog.gateways[0];
  if (!p || !g) return;
  box.hidden = false;
  selected.gateway = g;
  const method = g.methods.some((m) => m.id === selected.method) ? (selected.method as string) : (g.methods[0]?.id ?? "");
  selected.method = method;
  if (g.phone && customer.phone[g.id] === undefined) customer.phone[g.id] = g.phone.suggested ?? "";
  const hint = HINTS[`${g.id}/${method}`] ?? HINTS[g.id];
  const form = h("form", { id: "checkout-form", onsubmit: (e) => void placeOrder(e), novalidate: true }, [
    h("h2", { text: `Checkout · ${p.name}` }),
    h("fieldset", {}, [
      h("legend", { text: "Pay with" }),
      h(
        "div",
        { class: "choices" },
        catalog.gateways.map((gw) =>
          choice("gateway", gw.id, gw.name, `${gw.country} · pays in ${gw.currency}`, gw === g, () => {
            selected.gateway = gw;
            renderCheckout();
          }),
        ),
      ),
    ]),
    h("fieldset", {}, [
      h("legend", { text: "Method" }),
      h(
        "div",
        { class: "choices" },
        g.methods.map((m) =>
          choice("method", m.id, m.label, null, m.id === method, () => {
            selected.method = m.id;
            renderCheckout();
          }),
        ),
      ),
    ]),
    h("div", { class: "row" }, [
      input("name", "Your name", "text", customer.name, "First and last name", (v) => (customer.name = v)),
      input("email", "Email", "email", customer.email, "you@example.com", (v) => (customer.email = v)),
    ]),
    g.phone ? input("phone", g.phone.label, "tel", customer.phone[g.id], g.phone.placeholder, (v) => (customer.phone[g.id] = v)) : null,
    h("div", { class: "total" }, [
      h("span", {}, ["Total ", h("strong", { id: "total", text: money(p.prices[g.currency] ?? "", g.currency) })]),
      h("button", { class: "primary", type: "submit", id: "place-order", text: "Place order" }),
    ]),
    hint ? h("p", { class: "hint", text: hint }) : null,
    h("div", { id: "checkout-error", role: "alert" }),
  ]);
  fill(box, form);
}

async function placeOrder(e: Event): Promise<void> {
  e.preventDefault();
  const { product, gateway: g, method } = selected;
  if (!product || !g) return;
  const button = slot("place-order") as HTMLButtonElement;
  button.disabled = true;
  button.textContent = "Placing order…";
  const res = await api<{ order: Order }>("POST", "/orders", {
    product: product.id,
    gateway: g.id,
    method,
    customer: { name: customer.name, email: customer.email, phone: g.phone ? customer.phone[g.id] : undefined },
  });
  if (!res.ok) {
    fill(slot("checkout-error"), errorLine(res.message));
    button.disabled = false;
    button.textContent = "Place order";
    return;
  }
  const order = res.body.order;
  const next = order.next_action;
  if (next && (next.type === "redirect" || next.type === "iframe") && next.url && order.status !== "failed") location.assign(next.url);
  else location.assign(`/demo/order/${order.ref}`);
}

async function refreshOrders(): Promise<void> {
  const res = await api<{ data: Order[] }>("GET", "/orders");
  const box = slot("orders");
  if (!res.ok) return fill(box, errorLine(res.message));
  if (!res.body.data.length) return fill(box, h("p", { class: "muted", text: "No orders yet: buy something on the left." }));
  fill(
    box,
    h("table", {}, [
      h(
        "tbody",
        {},
        res.body.data.map((o) =>
          h("tr", { "data-order": o.ref }, [
            h("td", {}, [h("a", { href: `/demo/order/${o.ref}`, text: o.ref }), h("div", { class: "muted", text: `${o.gateway_name} · ${METHODS[o.method] ?? o.method}` })]),
            h("td", { class: "amount", text: money(o.amount, o.currency) }),
            h("td", {}, badge(o.status)),
          ]),
        ),
      ),
    ]),
  );
}
