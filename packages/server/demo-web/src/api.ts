/** The demo's JSON routes under /demo/api, as the pages read them. No key or secret: the store's server holds those. */

/** A product on the shelf, with its prices already formatted per currency ("1500.00"). */
export interface Product {
  id: string;
  name: string;
  description: string;
  image: string;
  prices: Record<string, string>;
}

/** A pay-in gateway the checkout offers. */
export interface Gateway {
  id: string;
  name: string;
  country: string;
  currency: string;
  methods: { id: string; label: string }[];
  phone?: { label: string; placeholder: string; suggested?: string };
}

export interface Catalog {
  products: Product[];
  gateways: Gateway[];
}

/** One line of an order's timeline. */
export interface OrderEvent {
  type: string;
  from: string | null;
  to: string | null;
  source: string;
  at: string;
}

/** A demo order: a pay-in of the demo merchant. */
export interface Order {
  ref: string;
  product: { id: string; name: string; image: string | null } | null;
  amount: string;
  currency: string;
  gateway_name: string;
  method: string;
  method_label: string;
  status: string;
  next_action: { type: string; url: string | null; bill_reference: string | null; qr_data: string | null } | null;
  /** The QR to scan, drawn by the server (an SVG data URL), when the next step is a QR. */
  qr_image?: string | null;
  flagged: string | null;
  events?: OrderEvent[];
}

export interface Payout {
  id: string;
  amount: string;
  currency: string;
  method: string;
  status: string;
  recipient: string | null;
}

export interface Balance {
  currency: string;
  available: string;
  collected: string | null;
  frozen: string | null;
}

/** A `payment` event of /demo/api/events: one status change. */
export interface PaymentEvent {
  id: string;
  kind: "pay_in" | "payout";
  order_ref: string;
  from: string;
  to: string;
  status: string;
}

/** An answer: the body on success, the error's message otherwise. */
export type Answer<T> = { ok: true; status: number; body: T } | { ok: false; status: number; message: string };

/** Calls a demo route; a network failure or an error answer comes back as a message to show. */
export async function api<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<Answer<T>> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { "content-type": "application/json" };
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch("/demo/api" + path, init);
  } catch {
    return { ok: false, status: 0, message: "The store cannot be reached. Is pnpm start still running?" };
  }
  const data: unknown = await res.json().catch(() => ({}));
  if (res.ok) return { ok: true, status: res.status, body: data as T };
  const error = (data as { error?: { message?: unknown } } | null)?.error;
  return { ok: false, status: res.status, message: typeof error?.message === "string" && error.message ? error.message : `Something went wrong (HTTP ${res.status}).` };
}
