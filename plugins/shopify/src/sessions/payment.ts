import { randomBytes } from "node:crypto";
import { Money, isXpayError } from "@xpay-connect/core";
import type { ShopifyAppDeps } from "../deps";
import type { ServicePayment } from "../events/outcome";
import { HANDLE_GATEWAYS, type Handle } from "./gateways";
import type { PaymentSessionBody } from "./schemas";
import { findPaymentSession, insertPaymentSession, type NewPaymentSession, type PaymentSessionRow } from "./store";

/** What the answer needs of the stored session. */
type StoredSession = Pick<PaymentSessionRow, "id" | "shop" | "gid" | "token" | "service_request" | "redirect_url">;

/** An answer to Shopify: 200 with the redirect URL, or an error status with a message naming the field. */
export type SessionAnswer = { status: 200; redirectUrl: string } | { status: 400 | 404 | 409 | 422 | 502 | 503; code: string; message: string };

/** How long a retried request waits for the first one (still in flight) before answering 503 so Shopify asks again; under Shopify's 10 s timeout. */
const IN_FLIGHT_WAIT_MS = 8000;

/** The Idempotency-Key of the service create: one payment per Shopify session id, whoever retries. */
export const idempotencyKeyOf = (sessionId: string): string => `shopify-payment-session:${sessionId}`;

/** The buyer's name, email and phone for the gateway, from what Shopify sent. */
function customerOf(body: PaymentSessionBody, gateway: string): { name: string; email?: string; phone?: string } {
  const c = body.customer;
  const address = c?.billing_address ?? c?.shipping_address;
  const name = [address?.given_name, address?.family_name].filter(Boolean).join(" ").trim().slice(0, 100) || "Shopify customer";
  const rawPhone = (c?.phone_number ?? address?.phone_number ?? "").replace(/[\s()-]/g, "");
  // Xpress Pay wants a local wallet number (03xxxxxxxxx); without one its page asks the buyer.
  const local = rawPhone.replace(/^\+92/, "0");
  const phone = gateway === "xpress-pay" ? (/^03\d{9}$/.test(local) ? local : undefined) : rawPhone && rawPhone.length <= 32 ? rawPhone : undefined;
  return { name, ...(c?.email ? { email: c.email } : {}), ...(phone ? { phone } : {}) };
}

/**
 * Answers a payment session request, idempotently by Shopify's `id`: the first request stores the
 * session and creates the payment through the service (Idempotency-Key from the id); a retry, even
 * one that arrives while the first is still in flight, answers the same redirect URL.
 */
export async function startPaymentSession(
  deps: ShopifyAppDeps,
  shop: string,
  handle: Handle,
  body: PaymentSessionBody,
  /** Called once, for the request that created the payment, when its status already calls for a mutation. */
  onCreated: (session: Pick<PaymentSessionRow, "id">, payment: ServicePayment) => Promise<void>,
): Promise<SessionAnswer> {
  const { gateway, method } = HANDLE_GATEWAYS[handle];
  let amount: Money;
  try {
    amount = Money.parse(body.amount, body.currency, "amount");
  } catch (error) {
    if (isXpayError(error)) return { status: 400, code: "invalid_request", message: error.message };
    throw error;
  }
  if (amount.minor <= 0) return { status: 400, code: "invalid_request", message: `amount: expected more than zero, got "${body.amount}"` };
  const cancelUrl = body.payment_method?.data?.cancel_url ?? body.cancel_url;
  if (!cancelUrl) return { status: 400, code: "invalid_request", message: "payment_method.data.cancel_url: expected an absolute http(s) URL (Shopify's cancel URL)" };
  const token = randomBytes(18).toString("base64url");
  const customer = customerOf(body, gateway);
  const request = {
    gateway,
    method,
    currency: amount.currency,
    amount: amount.format(),
    order_ref: body.id.slice(0, 128),
    customer,
    return_url: `${deps.config.appUrl}/shopify/return/${token}`,
    // Short: xPay KG takes at most 32 characters.
    description: "Shopify checkout",
    metadata: { shopify_shop: shop, shopify_session: body.id.slice(0, 500), shopify_group: body.group.slice(0, 500) },
  };
  // One round trip: the shop's API key, and the session stored only when the shop is linked.
  const row: NewPaymentSession = {
    id: body.id, gid: body.gid, shop, session_group: body.group, handle, token, gateway, method, amount_minor: amount.minor, currency: amount.currency,
    test: body.test, kind: body.kind, cancel_url: cancelUrl, customer, service_request: request,
  };
  const { apiKeyCiphertext, inserted } = await insertPaymentSession(deps.db, row);
  if (!apiKeyCiphertext) return { status: 422, code: "shop_not_linked", message: `Shopify-Shop-Domain: ${shop} has not linked an xpay-connect merchant (open the app from the Shopify admin)` };
  const apiKey = deps.secrets.decrypt(apiKeyCiphertext);
  // Test mode is a test-mode merchant (xc_test_ key, its gateway accounts on the sandbox); a live checkout never goes
  // through one (the order would be confirmed with no money taken), and a test checkout never through a live one.
  if (apiKey.startsWith("xc_test_") !== body.test) {
    deps.log.warn({ shop, session: body.id, test: body.test }, "shopify session: the checkout's test mode does not match the linked merchant's");
    return body.test
      ? { status: 422, code: "test_checkout_on_live_merchant", message: `test: this is a test checkout, but ${shop} is linked to a live merchant; link a test-mode merchant (xc_test_ key) to take test orders` }
      : { status: 422, code: "live_checkout_on_test_merchant", message: `test: this is a live checkout, but ${shop} is linked to a test-mode merchant (sandbox gateways); link the live merchant before taking real orders` };
  }
  const service = deps.service(apiKey);
  // The row just stored, or a retry's (or a concurrent copy's) view of the first request's row.
  const stored: StoredSession | undefined = inserted ? { ...row, ...inserted, redirect_url: null } : await findPaymentSession(deps.db, "id", body.id);
  if (!stored) throw new Error(`payment session ${body.id} vanished`);
  if (stored.shop !== shop || stored.gid !== body.gid) return { status: 409, code: "session_conflict", message: `id: session ${body.id} belongs to another shop or gid` };
  if (stored.redirect_url) return { status: 200, redirectUrl: stored.redirect_url };

  // The stored request, not this one: a retry replays exactly what the first sent.
  const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
  for (;;) {
    let res;
    try {
      res = await service.request<Record<string, unknown>>("POST", "/v1/payments", stored.service_request, { "Idempotency-Key": idempotencyKeyOf(stored.id) });
    } catch (error) {
      deps.log.warn({ shop, session: stored.id, err: { message: error instanceof Error ? error.message : String(error) } }, "shopify session: the service did not answer");
      return { status: 502, code: "service_unavailable", message: "the payment service did not answer; Shopify retries this session" };
    }
    if (res.status === 201 || res.status === 202) {
      const payment = res.body as unknown as ServicePayment & { id: string };
      const redirectUrl = redirectOf(deps, stored, payment);
      if (!redirectUrl) {
        return { status: 502, code: "no_next_action", message: `the gateway answered no page for the buyer (payment ${payment.id} is ${payment.status}); Shopify retries this session` };
      }
      const [first] = await deps.db.query<{ id: string }>(
        `update shopify_payment_sessions set payment_id = $2, gateway_ref = coalesce(gateway_ref, $3), next_action = $4, payment_status = coalesce(payment_status, $5),
           expires_at = $6, redirect_url = $7, updated_at = now()
         where id = $1 and redirect_url is null returning id`,
        [stored.id, payment.id, payment.gateway_ref ?? null, JSON.stringify(payment.next_action ?? null), payment.status, payment.expires_at ?? null, redirectUrl],
      );
      if (first) {
        // Only a QR or kiosk bill (pending) or a payment already settled calls for a mutation now; a gateway page waits for the buyer.
        if (!(payment.status === "pending" || payment.status === "requires_action") || payment.next_action?.type === "qr" || payment.next_action?.type === "kiosk") await onCreated(stored, payment);
        return { status: 200, redirectUrl };
      }
      const again = await findPaymentSession(deps.db, "id", stored.id);
      return { status: 200, redirectUrl: again?.redirect_url ?? redirectUrl };
    }
    const error = (res.body as { error?: { code?: string; message?: string } }).error;
    if (res.status === 409 && error?.code === "idempotency_in_progress") {
      // The first request for this id is still creating the payment: wait for its answer.
      const done = await findPaymentSession(deps.db, "id", stored.id);
      if (done?.redirect_url) return { status: 200, redirectUrl: done.redirect_url };
      if (Date.now() > deadline) return { status: 503, code: "in_progress", message: "this session's payment is still being created; Shopify retries this session" };
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    if (res.status >= 500) return { status: 502, code: "service_error", message: `the payment service answered ${res.status}; Shopify retries this session` };
    deps.log.info({ shop, session: stored.id, status: res.status, code: error?.code, field: (error as { field?: string } | undefined)?.field }, "shopify session: the service refused the payment");
    return { status: 422, code: error?.code ?? "payment_refused", message: error?.message ?? `the payment service refused the payment (${res.status})` };
  }
}

/** Where Shopify sends the buyer: the gateway's page, or the app's page for a QR code or a kiosk bill. */
function redirectOf(deps: ShopifyAppDeps, session: Pick<PaymentSessionRow, "token">, payment: ServicePayment): string | undefined {
  const next = payment.next_action;
  // Shopify takes a redirect_url under 8192 bytes.
  if ((next?.type === "redirect" || next?.type === "iframe") && next.url) return Buffer.byteLength(next.url) < 8192 ? next.url : undefined;
  if (next?.type === "qr" || next?.type === "kiosk") return `${deps.config.appUrl}/shopify/pay/${session.token}`;
  // Paid at once (no page): the return page waits for the resolve and sends the buyer on.
  if (payment.status === "succeeded" || payment.status === "authorized") return `${deps.config.appUrl}/shopify/return/${session.token}`;
  return undefined;
}
