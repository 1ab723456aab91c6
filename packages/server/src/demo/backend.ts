import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { InvalidInputError } from "@xpay-connect/core";
import type { ServiceContext } from "../context";
import { ApiError } from "../api/errors";
import { GATEWAYS, PRODUCTS, priceFor } from "./catalog";
import type { OrderRequest } from "./requests";
import type { DemoState } from "./setup";
import { withQrImage } from "./qr-image";

/** An answer of the service's own API. */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A payment as the /v1 API answers it (the fields the demo reads). */
export interface ApiPayment {
  id: string;
  object: string;
  gateway: string;
  method: string;
  order_ref: string;
  amount: string;
  currency: string;
  status: string;
  gateway_ref: string | null;
  next_action: Record<string, unknown> | null;
  metadata: Record<string, string>;
  flagged: string | null;
  created_at: string;
  updated_at: string;
  events?: { type: string; from: string | null; to: string | null; source: string; detail?: Record<string, unknown>; at: string }[];
}

/** The demo's order references: "DEMO-" and 8 letters or digits. */
export const ORDER_REF = /^DEMO-[A-Z0-9]{8}$/;

/**
 * The demo store's server side: it acts as the demo merchant by calling the service's own /v1 API
 * over loopback (the same auth, validation and idempotency as any client), so the merchant's API
 * key stays in server memory and never reaches a browser.
 */
export class DemoBackend {
  constructor(
    private readonly app: FastifyInstance,
    private readonly ctx: ServiceContext,
    readonly state: DemoState,
  ) {}

  /** Calls the /v1 API as the demo merchant, over loopback HTTP to this very server. */
  async call(method: "GET" | "POST", url: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    const res = await fetch(selfUrl(this.app) + url, {
      method,
      headers: { authorization: `Bearer ${this.state.apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { error: { code: "internal", message: "unexpected answer" } };
    }
    return { status: res.status, body: (parsed && typeof parsed === "object" ? parsed : {}) as Record<string, unknown> };
  }

  /** Places a checked order (see OrderRequest): creates its payment through POST /v1/payments. */
  async placeOrder(order: OrderRequest): Promise<ApiAnswer> {
    const product = PRODUCTS.find((p) => p.id === order.product);
    const gateway = GATEWAYS.find((g) => g.id === order.gateway);
    if (!product || !gateway) throw new InvalidInputError(product ? "gateway" : "product", "an item of the catalog", product ? order.gateway : order.product);
    const customer = order.customer ?? {};
    const phone = gateway.phone ? customer.phone || undefined : undefined;
    const email = customer.email || undefined;
    const ref = newOrderRef("DEMO-");
    return this.call(
      "POST",
      "/v1/payments",
      {
        gateway: gateway.id,
        method: order.method,
        order_ref: ref,
        amount: priceFor(product, gateway).format(),
        currency: gateway.currency,
        customer: { name: customer.name ?? "", ...(email ? { email } : {}), ...(phone ? { phone } : {}) },
        description: product.name,
        return_url: `${this.ctx.config.publicUrl}/demo/order/${ref}`,
        metadata: { product: product.id, source: "demo-store" },
      },
      { "idempotency-key": ref },
    );
  }

  /** An order (a pay-in of the demo merchant) by its reference (checked by OrderParams), with its timeline. */
  async order(ref: string): Promise<ReturnType<typeof orderView> & { qr_image: string | null }> {
    const list = await this.call("GET", `/v1/payments?order_ref=${encodeURIComponent(ref)}&limit=1`);
    const first = (list.body.data as ApiPayment[] | undefined)?.[0];
    if (!first) throw new ApiError(404, "not_found", `ref: no order ${ref}`, "ref");
    const one = await this.call("GET", `/v1/payments/${encodeURIComponent(first.id)}`);
    if (one.status !== 200) throw new ApiError(502, "internal", "the order could not be read");
    return withQrImage(orderView(one.body as unknown as ApiPayment));
  }

  /** The latest orders, newest first. */
  async recentOrders(): Promise<ReturnType<typeof orderView>[]> {
    const list = await this.call("GET", "/v1/payments?limit=8");
    return ((list.body.data as ApiPayment[] | undefined) ?? []).filter((p) => ORDER_REF.test(p.order_ref)).map((p) => orderView(p));
  }

  /** The order reference of a demo pay-in by the gateway's id for it (XPay EG redirects back with only that). */
  async refByGatewayRef(gatewayRef: string): Promise<string | undefined> {
    const [row] = await this.ctx.db.query<{ order_ref: string }>(
      "select order_ref from payments where merchant_id = $1 and kind = 'pay_in' and gateway_ref = $2 order by created_at desc limit 1",
      [this.state.merchantId, gatewayRef],
    );
    return row?.order_ref;
  }
}

/** This server's own address, as reachable from itself (a wildcard bind is reached on loopback). */
function selfUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("the service is not listening on TCP");
  const host = address.address === "0.0.0.0" ? "127.0.0.1" : address.address === "::" ? "::1" : address.address;
  return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
}

/** What the demo pages show of a payment: no callback URLs, no raw gateway data. */
export function orderView(p: ApiPayment) {
  const product = PRODUCTS.find((x) => x.id === p.metadata?.product);
  const gateway = GATEWAYS.find((g) => g.id === p.gateway);
  return {
    ref: p.order_ref,
    payment_id: p.id,
    product: product ? { id: product.id, name: product.name, image: `/demo/assets/products/${product.id}.svg` } : null,
    amount: p.amount,
    currency: p.currency,
    gateway: p.gateway,
    gateway_name: gateway?.name ?? p.gateway,
    method: p.method,
    method_label: gateway?.methods.find((m) => m.id === p.method)?.label ?? p.method,
    status: p.status,
    next_action: p.next_action ? nextActionView(p.next_action) : null,
    flagged: p.flagged,
    created_at: p.created_at,
    updated_at: p.updated_at,
    ...(p.events
      ? {
          events: p.events.map((e) => ({
            type: e.type,
            from: e.from,
            to: e.to,
            source: e.source,
            gateway_status: typeof e.detail?.gateway_status === "string" ? e.detail.gateway_status : null,
            at: e.at,
          })),
        }
      : {}),
  };
}

/** The shopper's next step, with only the fields a page needs. */
function nextActionView(a: Record<string, unknown>) {
  const s = (k: string) => (typeof a[k] === "string" ? (a[k] as string) : undefined);
  return { type: s("type") ?? "none", url: s("url") ?? null, bill_reference: s("billReference") ?? null, qr_data: s("qrData") ?? null };
}

/** A fresh order reference: `prefix` and 8 unambiguous letters or digits. */
export function newOrderRef(prefix: string): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return prefix + [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join("");
}
