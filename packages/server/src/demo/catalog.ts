import { Money, type GatewayId, type PayInMethod } from "@xpay-connect/core";

/** A product of the demo store, priced in minor units in each currency the sandbox gateways take. */
export interface DemoProduct {
  id: string;
  name: string;
  description: string;
  /** The product's picture: a small inline SVG, served at /demo/assets/products/<id>.svg. */
  svg: string;
  prices: { PKR: number; EGP: number; KGS: number };
}

/** A pay-in gateway as the demo checkout offers it. */
export interface DemoGateway {
  id: GatewayId;
  name: string;
  country: string;
  currency: keyof DemoProduct["prices"];
  methods: { id: PayInMethod; label: string }[];
  /** What the phone field means for this gateway; absent when the gateway takes none. */
  phone?: { label: string; placeholder: string; suggested?: string };
}

const SCARF_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 90">
<ellipse cx="60" cy="22" rx="26" ry="12" fill="none" stroke="#c2410c" stroke-width="12"/>
<path d="M44 28 L38 74 L54 76 L58 30 Z" fill="#c2410c"/>
<path d="M64 30 L70 72 L86 68 L76 26 Z" fill="#b45309"/>
<path d="M41 50 L56 52 M40 62 L55 64 M67 48 L81 45 M69 58 L83 55" stroke="#fde68a" stroke-width="3"/>
<path d="M40 75 l-1 8 M45 76 l-1 8 M50 76 l-1 8 M72 72 l1 8 M77 71 l1 8 M82 70 l1 8" stroke="#9a3412" stroke-width="2"/>
</svg>`;

const TEA_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 90">
<path d="M48 14 q-6 8 0 14 q6 6 0 14 M62 10 q-6 8 0 14 q6 6 0 14" stroke="#94a3b8" stroke-width="3" fill="none" stroke-linecap="round"/>
<ellipse cx="60" cy="78" rx="38" ry="7" fill="#cbd5e1"/>
<path d="M30 44 h60 v8 q0 22 -30 22 q-30 0 -30 -22 Z" fill="#0f766e"/>
<path d="M90 50 q14 0 14 10 q0 10 -16 10" stroke="#0f766e" stroke-width="5" fill="none"/>
<path d="M36 52 h48" stroke="#5eead4" stroke-width="3"/>
</svg>`;

/** The store's shelf. */
export const PRODUCTS: readonly DemoProduct[] = [
  {
    id: "scarf",
    name: "Hand-woven scarf",
    description: "Soft cotton from a family workshop, 180 x 60 cm.",
    svg: SCARF_SVG,
    prices: { PKR: 150_000, EGP: 25_000, KGS: 100_000 },
  },
  {
    id: "tea",
    name: "Mountain tea, 250 g",
    description: "Loose-leaf black tea with wild thyme.",
    svg: TEA_SVG,
    prices: { PKR: 45_050, EGP: 7_525, KGS: 32_000 },
  },
];

/** The pay-in gateways and methods of the sandbox (PayPro only pays out: see the payouts panel). */
export const GATEWAYS: readonly DemoGateway[] = [
  {
    id: "xpress-pay",
    name: "Xpress Pay",
    country: "Pakistan",
    currency: "PKR",
    methods: [
      { id: "easypaisa", label: "EasyPaisa wallet" },
      { id: "jazzcash", label: "JazzCash wallet" },
    ],
    phone: { label: "Wallet number (optional: the wallet page asks for it otherwise)", placeholder: "03001234567" },
  },
  {
    id: "xpay-pk",
    name: "XPay PK",
    country: "Pakistan",
    currency: "PKR",
    methods: [{ id: "card", label: "Debit or credit card" }],
    phone: { label: "Mobile number", placeholder: "03001234567", suggested: "03001234567" },
  },
  {
    id: "xpay-eg",
    name: "XPay EG",
    country: "Egypt",
    currency: "EGP",
    methods: [
      { id: "card", label: "Card" },
      { id: "kiosk", label: "Cash at an Aman kiosk" },
      { id: "fawry", label: "Fawry" },
      { id: "wallet", label: "Meeza / mobile wallet" },
      { id: "valu", label: "valU instalments" },
    ],
    phone: { label: "Mobile number with country code", placeholder: "+201119045759", suggested: "+201119045759" },
  },
  {
    id: "xpay-kg",
    name: "xPay KG",
    country: "Kyrgyzstan",
    currency: "KGS",
    methods: [{ id: "qr", label: "QR code (any Kyrgyz banking app)" }],
  },
];

/** A product's price for a gateway, as the API's decimal string. */
export function priceFor(product: DemoProduct, gateway: DemoGateway): Money {
  return Money.ofMinor(product.prices[gateway.currency], gateway.currency);
}

/** What the browser needs to draw the shelf and the checkout: prices already formatted, no floats. */
export function catalogJson() {
  return {
    products: PRODUCTS.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      image: `/demo/assets/products/${p.id}.svg`,
      prices: Object.fromEntries(Object.entries(p.prices).map(([currency, minor]) => [currency, Money.ofMinor(minor, currency).format()])),
    })),
    gateways: GATEWAYS,
  };
}
