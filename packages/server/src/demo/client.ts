/** The demo store's browser code: vanilla JS, no build step, no key or secret (it only calls /demo/api). */
export const CLIENT_JS = String.raw`(function () {
  "use strict";

  var WORDS = {
    pending: "Pending",
    requires_action: "Awaiting payment",
    authorized: "Authorized",
    succeeded: "Paid",
    failed: "Failed",
    canceled: "Canceled",
    expired: "Expired",
    refunded: "Refunded",
    partially_refunded: "Partly refunded",
    reversed: "Reversed",
  };
  var PAYOUT_WORDS = { pending: "Processing", requires_action: "Processing", succeeded: "Settled", failed: "Failed", canceled: "Canceled", reversed: "Reversed" };
  var METHODS = { easypaisa: "EasyPaisa", jazzcash: "JazzCash", card: "card", kiosk: "kiosk", fawry: "Fawry", wallet: "wallet", valu: "valU", qr: "QR" };
  var SOURCES = { api: "gateway's answer at creation", callback: "gateway callback, verified", reconcile: "status check with the gateway", expiry: "expired unpaid", refund: "refund" };
  var HINTS = {
    "xpress-pay": "Next: the sandbox's wallet page, where you approve (or decline) the payment as the shopper would.",
    "xpay-pk": "Next: the sandbox's card page. Test card 4242 4242 4242 4242, any future expiry, any CVC (4000 0000 0000 3220 asks for 3-D Secure, OTP 123456).",
    "xpay-eg/card": "Next: the sandbox's card page. Test card 4111 1111 1111 1111, any future expiry, any CVV.",
    "xpay-eg/kiosk": "You get a bill reference to pay in cash at a kiosk; the sandbox plays the kiosk.",
    "xpay-eg": "Next: the sandbox's payment page, where you approve the request as the shopper would.",
    "xpay-kg": "You get a QR code to scan with a banking app; the sandbox plays the bank. Open it in another tab and watch this order update.",
  };

  function $(id) {
    return document.getElementById(id);
  }

  /** Builds an element; text always goes in as text, never as HTML. */
  function h(tag, props, kids) {
    var el = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      var v = props[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "class") el.className = v;
      else if (k === "text") el.textContent = v;
      else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
      else if (typeof v !== "string" && k in el) el[k] = v;
      else el.setAttribute(k, v === true ? "" : String(v));
    });
    append(el, kids);
    return el;
  }

  function append(el, kids) {
    if (kids === null || kids === undefined) return;
    (Array.isArray(kids) ? kids : [kids]).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
  }

  function fill(el, kids) {
    el.textContent = "";
    append(el, kids);
  }

  async function api(method, path, body) {
    var init = { method: method, headers: {} };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    try {
      var res = await fetch("/demo/api" + path, init);
      var data = {};
      try {
        data = await res.json();
      } catch (e) {
        data = {};
      }
      return { status: res.status, ok: res.ok, body: data };
    } catch (e) {
      return { status: 0, ok: false, body: { error: { message: "The store cannot be reached. Is pnpm start still running?" } } };
    }
  }

  function errorText(res) {
    var e = res.body && res.body.error;
    return e && e.message ? e.message : "Something went wrong (HTTP " + res.status + ").";
  }

  /** "1500.00" and "PKR" as "PKR 1,500.00": string work only, the amount is never a float. */
  function money(amount, currency) {
    var parts = String(amount).split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return currency + " " + whole + (parts.length > 1 ? "." + parts[1] : "");
  }

  function clock(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  }

  function badge(status, words, extra) {
    return h("span", Object.assign({ class: "badge s-" + status, "data-status": status, text: (words || WORDS)[status] || status }, extra || {}));
  }

  // Live updates: Server-Sent Events, or a poll every 2 s when the stream is unavailable.
  var listeners = [];
  var liveText = ["connecting…", false];
  function setLive(text, on) {
    liveText = [text, on];
    var el = $("live");
    if (!el) return;
    el.textContent = text;
    el.className = "live" + (on ? " on" : "");
  }
  function emit(event) {
    listeners.forEach(function (fn) {
      fn(event);
    });
  }
  function startLive() {
    var timer = null;
    var poll = function () {
      if (timer) return;
      setLive("checking every 2 s", false);
      timer = setInterval(function () {
        emit(null);
      }, 2000);
    };
    if (!window.EventSource) return poll();
    var stream = new EventSource("/demo/api/events");
    var opened = false;
    stream.addEventListener("open", function () {
      if (timer) clearInterval(timer);
      timer = null;
      setLive("live", true);
      // Anything that changed while the stream was down.
      if (opened) emit(null);
      opened = true;
    });
    stream.addEventListener("payment", function (message) {
      try {
        emit(JSON.parse(message.data));
      } catch (e) {
        emit(null);
      }
    });
    stream.addEventListener("error", function () {
      setLive("reconnecting…", false);
      if (stream.readyState === EventSource.CLOSED) poll();
    });
  }

  // ---- The store ----
  var catalog = null;
  var selected = { product: null, gateway: null, method: null };
  var customer = { name: "Ayesha Khan", email: "ayesha@example.com", phone: {} };

  async function initStore() {
    var res = await api("GET", "/catalog");
    if (!res.ok) {
      fill($("products"), h("p", { class: "error", text: errorText(res) }));
      return;
    }
    catalog = res.body;
    renderProducts();
    renderPayoutForm();
    listeners.push(function (event) {
      if (!event || event.kind === "pay_in") refreshOrders();
      if (!event || event.kind === "payout") {
        refreshPayouts();
        refreshBalance();
      }
    });
    startLive();
    refreshOrders();
    refreshBalance();
    refreshPayouts();
  }

  function renderProducts() {
    fill(
      $("products"),
      catalog.products.map(function (p) {
        return h("article", { class: "product" + (selected.product === p ? " selected" : ""), "data-product": p.id }, [
          h("div", { class: "picture" }, h("img", { src: p.image, alt: "" })),
          h("h3", { text: p.name }),
          h("p", { text: p.description }),
          h(
            "div",
            { class: "prices" },
            Object.keys(p.prices).map(function (c) {
              return h("span", { class: "price", text: money(p.prices[c], c) });
            }),
          ),
          h("button", {
            class: "primary",
            type: "button",
            text: selected.product === p ? "Selected" : "Buy",
            onclick: function () {
              selected.product = p;
              renderProducts();
              renderCheckout();
              $("checkout").scrollIntoView({ behavior: "smooth", block: "start" });
            },
          }),
        ]);
      }),
    );
  }

  function choice(name, value, title, sub, checked, onpick) {
    return h("label", { class: "choice" }, [
      h("input", { type: "radio", name: name, value: value, checked: checked, onchange: onpick }),
      h("span", {}, [h("strong", { text: title }), sub ? h("small", { text: sub }) : null]),
    ]);
  }

  function input(id, label, type, value, placeholder, onchange) {
    return h("div", {}, [
      h("label", { class: "field", for: id, text: label }),
      h("input", {
        id: id,
        name: id,
        type: type,
        value: value || "",
        placeholder: placeholder || "",
        oninput: function (e) {
          onchange(e.target.value);
        },
      }),
    ]);
  }

  function renderCheckout() {
    var box = $("checkout");
    box.hidden = false;
    var p = selected.product;
    var g = selected.gateway || catalog.gateways[0];
    selected.gateway = g;
    if (!g.methods.some(function (m) { return m.id === selected.method; })) selected.method = g.methods[0].id;
    if (g.phone && customer.phone[g.id] === undefined) customer.phone[g.id] = g.phone.suggested || "";
    var hint = HINTS[g.id + "/" + selected.method] || HINTS[g.id];
    var form = h("form", { id: "checkout-form", onsubmit: placeOrder, novalidate: true }, [
      h("h2", { text: "Checkout · " + p.name }),
      h("fieldset", {}, [
        h("legend", { text: "Pay with" }),
        h(
          "div",
          { class: "choices" },
          catalog.gateways.map(function (gw) {
            return choice("gateway", gw.id, gw.name, gw.country + " · pays in " + gw.currency, gw === g, function () {
              selected.gateway = gw;
              renderCheckout();
            });
          }),
        ),
      ]),
      h("fieldset", {}, [
        h("legend", { text: "Method" }),
        h(
          "div",
          { class: "choices" },
          g.methods.map(function (m) {
            return choice("method", m.id, m.label, null, m.id === selected.method, function () {
              selected.method = m.id;
              renderCheckout();
            });
          }),
        ),
      ]),
      h("div", { class: "row" }, [
        input("name", "Your name", "text", customer.name, "First and last name", function (v) {
          customer.name = v;
        }),
        input("email", "Email", "email", customer.email, "you@example.com", function (v) {
          customer.email = v;
        }),
      ]),
      g.phone
        ? input("phone", g.phone.label, "tel", customer.phone[g.id], g.phone.placeholder, function (v) {
            customer.phone[g.id] = v;
          })
        : null,
      h("div", { class: "total" }, [
        h("span", {}, ["Total ", h("strong", { id: "total", text: money(p.prices[g.currency], g.currency) })]),
        h("button", { class: "primary", type: "submit", id: "place-order", text: "Place order" }),
      ]),
      hint ? h("p", { class: "hint", text: hint }) : null,
      h("div", { id: "checkout-error", role: "alert" }),
    ]);
    fill(box, form);
  }

  async function placeOrder(e) {
    e.preventDefault();
    var button = $("place-order");
    button.disabled = true;
    button.textContent = "Placing order…";
    var g = selected.gateway;
    var res = await api("POST", "/orders", {
      product: selected.product.id,
      gateway: g.id,
      method: selected.method,
      customer: { name: customer.name, email: customer.email, phone: g.phone ? customer.phone[g.id] : undefined },
    });
    if (!res.ok) {
      fill($("checkout-error"), h("p", { class: "error", text: errorText(res) }));
      button.disabled = false;
      button.textContent = "Place order";
      return;
    }
    var order = res.body.order;
    var next = order.next_action;
    if (next && (next.type === "redirect" || next.type === "iframe") && next.url && order.status !== "failed") location.assign(next.url);
    else location.assign("/demo/order/" + order.ref);
  }

  async function refreshOrders() {
    var res = await api("GET", "/orders");
    var box = $("orders");
    if (!res.ok) return fill(box, h("p", { class: "error", text: errorText(res) }));
    if (!res.body.data.length) return fill(box, h("p", { class: "muted", text: "No orders yet: buy something on the left." }));
    fill(
      box,
      h("table", {}, [
        h("tbody", {}, res.body.data.map(function (o) {
          return h("tr", { "data-order": o.ref }, [
            h("td", {}, [h("a", { href: "/demo/order/" + o.ref, text: o.ref }), h("div", { class: "muted", text: o.gateway_name + " · " + (METHODS[o.method] || o.method) })]),
            h("td", { class: "amount", text: money(o.amount, o.currency) }),
            h("td", {}, badge(o.status)),
          ]);
        })),
      ]),
    );
  }

  async function refreshBalance() {
    var res = await api("GET", "/balance");
    var box = $("balance");
    if (!res.ok) return fill(box, h("p", { class: "error", text: errorText(res) }));
    var b = res.body.balance;
    var tile = function (label, amount, id) {
      return h("div", {}, [h("small", { text: label }), h("strong", { id: id, text: amount === null ? "–" : money(amount, b.currency) })]);
    };
    fill(box, [
      h("div", { class: "balance" }, [tile("Available for payouts", b.available, "balance-available"), tile("Collected", b.collected), tile("Held back", b.frozen)]),
      h("p", { class: "hint", text: "Read from the gateway just now, through the connector." }),
    ]);
  }

  var payout = { amount: "250.00", method: "easypaisa", mobile: "03112233445", name: "Bilal Ahmed" };

  function renderPayoutForm() {
    var box = $("payouts");
    var form = h("form", { id: "payout-form", onsubmit: sendPayout, novalidate: true }, [
      h("p", { class: "hint", text: "Pay a supplier or a refund out of your Xpress Pay balance into an EasyPaisa or JazzCash wallet." }),
      h("div", { class: "row" }, [
        input("payout-amount", "Amount (PKR)", "text", payout.amount, "250.00", function (v) {
          payout.amount = v;
        }),
        h("div", {}, [
          h("label", { class: "field", for: "payout-method", text: "Wallet" }),
          h(
            "select",
            {
              id: "payout-method",
              onchange: function (e) {
                payout.method = e.target.value;
              },
            },
            [h("option", { value: "easypaisa", text: "EasyPaisa", selected: payout.method === "easypaisa" }), h("option", { value: "jazzcash", text: "JazzCash", selected: payout.method === "jazzcash" })],
          ),
        ]),
      ]),
      h("div", { class: "row" }, [
        input("payout-mobile", "Wallet number", "tel", payout.mobile, "03112233445", function (v) {
          payout.mobile = v;
        }),
        input("payout-name", "Recipient name", "text", payout.name, "Full name", function (v) {
          payout.name = v;
        }),
      ]),
      h("div", { class: "total" }, [h("span", { class: "muted", text: "Gateway: Xpress Pay" }), h("button", { class: "primary", type: "submit", id: "send-payout", text: "Send payout" })]),
      h("div", { id: "payout-error", role: "alert" }),
    ]);
    fill(box, [
      form,
      h("div", { id: "payout-list" }),
      h("p", { class: "hint", text: "A payout stays Processing until the wallet provider confirms it. Here the sandbox plays the provider: the dashed buttons are sandbox-only actions." }),
    ]);
  }

  async function sendPayout(e) {
    e.preventDefault();
    var button = $("send-payout");
    button.disabled = true;
    var res = await api("POST", "/payouts", payout);
    button.disabled = false;
    fill($("payout-error"), res.ok ? null : h("p", { class: "error", text: errorText(res) }));
    refreshPayouts();
    refreshBalance();
  }

  async function sandboxAction(id, action, button) {
    button.disabled = true;
    var res = await api("POST", "/payouts/" + encodeURIComponent(id) + "/sandbox/" + action);
    if (!res.ok) {
      button.disabled = false;
      fill($("payout-error"), h("p", { class: "error", text: errorText(res) }));
    }
  }

  async function refreshPayouts() {
    var box = $("payout-list");
    if (!box) return;
    var res = await api("GET", "/payouts");
    if (!res.ok) return fill(box, h("p", { class: "error", text: errorText(res) }));
    if (!res.body.data.length) return fill(box, h("p", { class: "muted", text: "No payouts yet." }));
    fill(
      box,
      h("table", {}, [
        h("tbody", {}, res.body.data.map(function (p) {
          var open = p.status === "pending" || p.status === "requires_action";
          return h("tr", { "data-payout": p.id }, [
            h("td", {}, [h("strong", { text: money(p.amount, p.currency) }), h("div", { class: "muted", text: (p.method === "jazzcash" ? "JazzCash " : "EasyPaisa ") + (p.recipient || "") })]),
            h("td", {}, [
              badge(p.status, PAYOUT_WORDS),
              open
                ? h("div", { class: "actions" }, [
                    h("button", { class: "sandbox", type: "button", title: "Sandbox action: plays the wallet provider completing the transfer", text: "Settle in sandbox", onclick: function (e) { sandboxAction(p.id, "approve", e.target); } }),
                    h("button", { class: "sandbox", type: "button", title: "Sandbox action: plays the wallet provider rejecting the transfer", text: "Fail in sandbox", onclick: function (e) { sandboxAction(p.id, "decline", e.target); } }),
                  ])
                : null,
            ]),
          ]);
        })),
      ]),
    );
  }

  // ---- One order ----
  async function initOrder(ref) {
    var box = $("order");
    var load = async function () {
      var res = await api("GET", "/orders/" + encodeURIComponent(ref));
      if (!res.ok) return fill(box, h("p", { class: "error", text: errorText(res) }));
      renderOrder(box, res.body.order);
    };
    listeners.push(function (event) {
      if (!event || event.order_ref === ref) load();
    });
    await load();
    startLive();
  }

  function eventText(e) {
    var word = function (s) {
      return WORDS[s] || s;
    };
    if (e.type === "created") return "Order placed, payment created";
    if (e.type === "status_changed") return word(e.from) + " → " + word(e.to) + " (" + (SOURCES[e.source] || e.source) + ")";
    if (e.type === "status_unchanged") return "Gateway repeated “" + word(e.to) + "”: nothing to change";
    if (e.type === "status_conflict") return "Conflicting report (" + word(e.to) + ") held for review";
    if (e.type === "create_outcome_unknown") return "The gateway did not answer in time: checking with it";
    return e.type;
  }

  function nextStep(o) {
    var a = o.next_action || { type: "none" };
    if (o.status === "succeeded") return h("div", { class: "paid", id: "paid", text: "Payment received: this order is paid. Thank you!" });
    if (o.status !== "pending" && o.status !== "requires_action") {
      return h("div", { class: "failed", text: "This payment did not go through (" + (WORDS[o.status] || o.status) + "). Nothing was charged; you can go back and try again." });
    }
    var waiting = h("p", { class: "hint", text: "This page updates by itself as soon as the gateway confirms: you can pay in another tab." });
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
        h("a", { class: "button primary", href: a.url, target: "_blank", rel: "noopener", text: "Open the QR code in the sandbox (new tab)" }),
        waiting,
      ]);
    }
    if (a.url) {
      return h("div", { class: "next" }, [
        h("p", { text: "Waiting for your payment on the " + o.gateway_name + " page." }),
        h("a", { class: "button primary", href: a.url, text: "Continue to the payment page" }),
        waiting,
      ]);
    }
    return h("div", { class: "next" }, [h("p", { text: "Waiting for the gateway." }), waiting]);
  }

  function renderOrder(box, o) {
    var product = o.product || { name: "Order", image: null };
    document.title = "Order " + o.ref + " · " + (WORDS[o.status] || o.status);
    fill(box, [
      h("div", { class: "order-head" }, [
        h("div", { style: "display:flex;gap:1rem;align-items:center" }, [
          product.image ? h("div", { class: "picture" }, h("img", { src: product.image, alt: "" })) : null,
          h("div", {}, [
            h("h1", { text: product.name }),
            h("div", { class: "muted", text: "Order " + o.ref }),
            h("div", {}, [h("strong", { class: "amount", text: money(o.amount, o.currency) }), h("span", { class: "muted", text: " · " + o.gateway_name + " · " + o.method_label })]),
          ]),
        ]),
        h("div", { style: "text-align:right" }, [badge(o.status, WORDS, { id: "order-status", class: "badge big s-" + o.status }), h("div", { id: "live", class: "live" })]),
      ]),
      nextStep(o),
      o.flagged ? h("p", { class: "error", text: "Flagged for review: " + o.flagged }) : null,
      h("h3", { text: "Timeline" }),
      h(
        "ol",
        { class: "timeline", id: "timeline" },
        (o.events || []).map(function (e) {
          return h("li", {}, [h("time", { datetime: e.at, text: clock(e.at) }), h("span", { text: eventText(e) })]);
        }),
      ),
    ]);
    setLive(liveText[0], liveText[1]);
  }

  var view = document.body.getAttribute("data-view");
  if (view === "order") initOrder(document.body.getAttribute("data-ref"));
  else if (view === "store") initStore();
})();
`;
