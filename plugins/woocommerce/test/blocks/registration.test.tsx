import type { PaymentMethodOptions } from "@woocommerce/blocks-registry";
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import contract from "../../methods.json";
import { registerAll } from "../../src/methods";

// WooCommerce's run-time globals, replaced by recorders.
const registered: PaymentMethodOptions[] = [];
const settings: Record<string, unknown> = {};
jest.mock("@woocommerce/blocks-registry", () => ({ registerPaymentMethod: (o: PaymentMethodOptions) => registered.push(o) }), { virtual: true });
jest.mock(
  "@woocommerce/settings",
  () => ({ getSetting: (name: string, fallback?: unknown) => (name in settings ? settings[name] : fallback) }),
  { virtual: true },
);

const ids = contract.methods.map((m) => m.id);
const data = (m: (typeof contract.methods)[number]) => ({
  title: m.title,
  description: m.description,
  icon: `https://shop.example/icons/${m.id}.svg`,
  supports: ["products", "refunds"],
  wallet_field: m.wallet_field,
  currencies: m.currencies,
});

function loadWith(active: string[]): PaymentMethodOptions[] {
  registered.length = 0;
  for (const k of Object.keys(settings)) delete settings[k];
  for (const m of contract.methods) if (active.includes(m.id)) settings[`${m.id}_data`] = data(m);
  registerAll();
  return [...registered];
}

const byId = (list: PaymentMethodOptions[], id: string) => list.find((o) => o.name === id) as PaymentMethodOptions;

describe("checkout-block registration", () => {
  it("registers the methods when the bundle's entry point loads", async () => {
    registered.length = 0;
    for (const m of contract.methods) settings[`${m.id}_data`] = data(m);
    await jest.isolateModulesAsync(async () => {
      await import("../../src/index");
    });
    expect(registered.map((o) => o.name)).toEqual(ids);
  });

  it("registers one payment method per methods.json entry, named by the gateway id", () => {
    const list = loadWith(ids);
    expect(list.map((o) => o.name)).toEqual(ids);
    for (const o of list) {
      const m = contract.methods.find((x) => x.id === o.name)!;
      expect(o.paymentMethodId).toBe(m.id);
      expect(o.ariaLabel).toBe(m.title);
      expect(o.supports).toEqual({ features: ["products", "refunds"] });
      for (const el of [o.label, o.content, o.edit]) expect(el).toEqual(expect.objectContaining({ type: expect.anything(), props: expect.anything() }));
    }
  });

  it("registers only the methods the PHP side handed data for (the enabled ones)", () => {
    expect(loadWith(["xpay_jazzcash", "xpay_kg_qr"]).map((o) => o.name)).toEqual(["xpay_jazzcash", "xpay_kg_qr"]);
    expect(loadWith([])).toEqual([]);
  });

  it("labels each method with its title and icon and describes it in content and edit", () => {
    const list = loadWith(ids);
    for (const m of contract.methods) {
      const o = byId(list, m.id);
      const { container, unmount } = render(<div>{o.label}</div>);
      expect(container.textContent).toBe(m.title);
      expect(container.querySelector("img")?.getAttribute("src")).toBe(`https://shop.example/icons/${m.id}.svg`);
      expect(container.querySelector("img")?.getAttribute("alt")).toBe("");
      unmount();
      for (const el of [o.content, o.edit]) {
        const r = render(el);
        expect(r.container.querySelector(".xpay-connect-description")?.textContent).toBe(m.description);
        r.unmount();
      }
    }
  });

  it("decodes entities in titles from settings and falls back to methods.json", () => {
    registered.length = 0;
    settings["xpay_eg_card_data"] = { title: "Card &amp; Meeza", description: "" };
    registerAll();
    const o = byId(registered, "xpay_eg_card");
    expect(o.ariaLabel).toBe("Card & Meeza");
    expect(o.supports).toEqual({ features: ["products"] });
    const r = render(o.edit);
    expect(r.container.textContent).toBe("");
  });
});

describe("canMakePayment", () => {
  const list = loadWith(ids);
  const can = (id: string, currency: string | undefined, country?: string) =>
    byId(list, id).canMakePayment({ cartTotals: currency ? { currency_code: currency } : {}, billingAddress: country === undefined ? {} : { country } });

  it.each(contract.methods.map((m) => [m.id, m] as const))("%s: only in its currencies and countries", (id, m) => {
    for (const c of m.currencies) {
      expect(can(id, c)).toBe(true);
      expect(can(id, c.toLowerCase(), m.countries[0].toLowerCase())).toBe(true);
      for (const country of m.countries) expect(can(id, c, country)).toBe(true);
      expect(can(id, c, m.countries.includes("US") ? "FR" : "US")).toBe(false);
    }
    for (const other of ["PKR", "EGP", "KGS", "USD", "XXX"].filter((c) => !m.currencies.includes(c))) expect(can(id, other)).toBe(false);
    expect(can(id, undefined)).toBe(false);
  });

  it("picks the right methods for a Pakistani, an Egyptian and a Kyrgyz cart", () => {
    const offered = (currency: string, country: string) => list.filter((o) => o.canMakePayment({ cartTotals: { currency_code: currency }, billingAddress: { country } })).map((o) => o.name);
    expect(offered("PKR", "PK")).toEqual(["xpay_easypaisa", "xpay_jazzcash", "xpay_pk_card"]);
    expect(offered("EGP", "EG")).toEqual(["xpay_eg_card", "xpay_eg_kiosk", "xpay_eg_fawry", "xpay_eg_wallet", "xpay_eg_valu"]);
    expect(offered("USD", "EG")).toEqual(["xpay_eg_card", "xpay_eg_fawry", "xpay_eg_wallet", "xpay_eg_valu"]);
    expect(offered("USD", "PK")).toEqual([]);
    expect(offered("KGS", "KG")).toEqual(["xpay_kg_qr"]);
  });

  it("reads the older billingData argument too, and narrows to the currencies from settings", () => {
    expect(byId(list, "xpay_easypaisa").canMakePayment({ cartTotals: { currency_code: "PKR" }, billingData: { country: "EG" } })).toBe(false);
    registered.length = 0;
    settings["xpay_eg_card_data"] = { title: "Card", currencies: ["EGP"] };
    registerAll();
    const card = byId(registered, "xpay_eg_card");
    expect(card.canMakePayment({ cartTotals: { currency_code: "EGP" } })).toBe(true);
    expect(card.canMakePayment({ cartTotals: { currency_code: "USD" } })).toBe(false);
  });
});

describe("wallet field", () => {
  type Setup = () => { type: string; message?: string; messageContext?: string; meta?: { paymentMethodData: Record<string, string> } };
  const emitResponse = { responseTypes: { SUCCESS: "success", ERROR: "error", FAIL: "failure" }, noticeContexts: { PAYMENTS: "wc/payment-area" } };

  function renderContent(id: string) {
    const o = byId(loadWith(ids), id);
    const setups: Setup[] = [];
    const eventRegistration = {
      onPaymentSetup: (cb: Setup) => {
        setups.push(cb);
        return () => setups.splice(setups.indexOf(cb), 1);
      },
    };
    // WooCommerce clones the content element with these props.
    const el = o.content as React.ReactElement<Record<string, unknown>>;
    render(<el.type {...el.props} eventRegistration={eventRegistration} emitResponse={emitResponse} />);
    const setup = () => {
      expect(setups).toHaveLength(1);
      let result: ReturnType<Setup> | undefined;
      act(() => {
        result = setups[0]();
      });
      return result!;
    };
    return { setup };
  }

  it("only EasyPaisa and the Egyptian mobile wallet ask for a wallet number", () => {
    for (const m of contract.methods) {
      const o = byId(loadWith(ids), m.id);
      const r = render(o.content);
      expect(r.container.querySelector("input") !== null).toBe(m.wallet_field);
      r.unmount();
    }
  });

  it("EasyPaisa: refuses a bad number with a clear message before the order is placed, then passes a good one as xpay_wallet", async () => {
    const user = userEvent.setup();
    const { setup } = renderContent("xpay_easypaisa");
    const input = screen.getByLabelText("EasyPaisa wallet number (optional)");
    expect(input).toHaveProperty("type", "tel");

    await user.type(input, "0300123");
    await user.tab();
    expect(screen.getByRole("alert").textContent).toMatch(/11 digits starting with 03/);
    expect(input.getAttribute("aria-invalid")).toBe("true");

    const bad = setup();
    expect(bad).toEqual({ type: "error", message: expect.stringMatching(/11 digits starting with 03/), messageContext: "wc/payment-area" });

    await user.clear(input);
    expect(screen.queryByRole("alert")).toBeNull();
    await user.type(input, "0300 1234567");
    expect(setup()).toEqual({ type: "success", meta: { paymentMethodData: { xpay_wallet: "03001234567" } } });

    await user.clear(input);
    expect(setup()).toEqual({ type: "success", meta: { paymentMethodData: {} } });
  });

  it("the wallet field uses WooCommerce's text-input and validation-error markup, so the real Checkout block styles it", async () => {
    // Seen on real WooCommerce 9.4.3: without these classes the field rendered as a bare, unstyled input.
    const user = userEvent.setup();
    renderContent("xpay_easypaisa");
    const input = screen.getByLabelText("EasyPaisa wallet number (optional)");
    const wrapper = input.parentElement!;
    expect(wrapper.classList.contains("wc-block-components-text-input")).toBe(true);
    expect(wrapper.classList.contains("is-active")).toBe(true);
    // WooCommerce's order: the input, then its label (the stylesheet floats the label over the field).
    expect(wrapper.firstElementChild).toBe(input);
    expect(input.nextElementSibling?.tagName).toBe("LABEL");
    expect(wrapper.classList.contains("has-error")).toBe(false);

    await user.type(input, "0300");
    await user.tab();
    expect(wrapper.classList.contains("has-error")).toBe(true);
    const alert = screen.getByRole("alert");
    expect(alert.classList.contains("wc-block-components-validation-error")).toBe(true);
    expect(alert.querySelector("p")?.id).toBe("xpay_easypaisa-wallet-error");
  });

  it("Egyptian mobile wallet: takes Egyptian numbers, refuses Pakistani ones", async () => {
    const user = userEvent.setup();
    const { setup } = renderContent("xpay_eg_wallet");
    const input = screen.getByLabelText("Mobile wallet (Meeza) wallet number (optional)");
    await user.type(input, "03001234567");
    expect(setup()).toEqual(expect.objectContaining({ type: "error", message: expect.stringMatching(/010, 011, 012 or 015/) }));
    expect(screen.getByRole("alert").textContent).toMatch(/010, 011, 012 or 015/);
    await user.clear(input);
    await user.type(input, "+20 100 123 4567");
    expect(setup()).toEqual({ type: "success", meta: { paymentMethodData: { xpay_wallet: "01001234567" } } });
  });
});
