/**
 * Genuine gateway callbacks to post by hand: real sandbox payments are settled while the sandbox
 * drops their callbacks (its "drop" mode), and the dropped deliveries (URL and exact body, an XPay PK
 * webhook re-signed with the sandbox's webhook secret as the sandbox signs it) are handed back.
 */
import { createHmac } from "node:crypto";
import { XPAY_PK_WEBHOOK_SECRET } from "@xpay-connect/sandbox";
import { eventually, type Stack } from "./harness";

/** One genuine callback, ready to post. */
export interface HonestCallback {
  gateway: string;
  paymentId: string;
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** A payment (or payout) of each gateway, as the tests create it. */
export const CREATES: Record<string, { path: string; body: Record<string, unknown> }> = {
  "xpress-pay": { path: "/v1/payments", body: { gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" } } },
  "xpay-eg": { path: "/v1/payments", body: { gateway: "xpay-eg", method: "card", amount: "50.00", currency: "EGP", customer: { name: "Islam Rostom", email: "irostom@xpay.app", phone: "+201119045759" } } },
  "xpay-pk": { path: "/v1/payments", body: { gateway: "xpay-pk", method: "card", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" } } },
  "xpay-kg": { path: "/v1/payments", body: { gateway: "xpay-kg", method: "qr", amount: "100.00", currency: "KGS", customer: { name: "Aibek Asanov" } } },
  paypro: {
    path: "/v1/payouts",
    body: { gateway: "paypro", method: "jazzcash", amount: "300", currency: "PKR", recipient: { name: "Bilal Raza", mobile: "03214567890", email: "bilal@example.com", national_id: "3520212345671" } },
  },
};

/** Creates a payment of `gateway` (unique order_ref) and answers its id and gateway reference. */
export async function createPayment(s: Stack, gateway: string, orderRef: string, changes: Record<string, unknown> = {}): Promise<{ id: string; gatewayRef: string }> {
  const { path, body } = CREATES[gateway] as { path: string; body: Record<string, unknown> };
  const created = await s.api("POST", path, { ...body, ...changes, order_ref: orderRef }, { "idempotency-key": `create-${orderRef}` });
  if (created.status !== 201) throw new Error(`could not create a ${gateway} payment: ${created.status} ${JSON.stringify(created.body)}`);
  return { id: String(created.body.id), gatewayRef: String(created.body.gateway_ref) };
}

async function sandboxControl(s: Stack, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${s.sandbox.url}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
}

/**
 * `n` payments of `gateway` paid at the sandbox, with their genuine callbacks withheld from the
 * service and answered here instead.
 */
export async function honestCallbacks(s: Stack, gateway: string, n: number, prefix: string): Promise<HonestCallback[]> {
  const payments: { id: string; gatewayRef: string }[] = [];
  for (let i = 0; i < n; i++) payments.push(await createPayment(s, gateway, `${prefix}-${gateway}-${i}`));
  await s.sandbox.callbacks.idle();
  await sandboxControl(s, "callbacks/mode", { gateway, mode: "drop", count: n });
  const before = s.sandbox.callbacks.log.length ? (s.sandbox.callbacks.log[s.sandbox.callbacks.log.length - 1]?.id ?? 0) : 0;
  for (const p of payments) {
    const res = await s.act(gateway, p.gatewayRef, "approve");
    if (!res.ok) throw new Error(`sandbox could not approve ${gateway} ${p.gatewayRef}: ${res.status} ${await res.text()}`);
  }
  const dropped = await eventually(
    async () => s.sandbox.callbacks.log.filter((r) => r.id > before && r.gateway === gateway && r.state === "dropped"),
    (records) => records.length === n,
  );
  await sandboxControl(s, "callbacks/mode", { gateway, mode: "normal" });
  return dropped.map((record, i) => {
    const payment = payments.find((p) => record.body.includes(p.id) || record.body.includes(p.gatewayRef)) ?? payments[i];
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (gateway === "xpay-pk") headers["x-signature"] = createHmac("sha256", XPAY_PK_WEBHOOK_SECRET).update(record.body).digest("hex");
    return { gateway, paymentId: String(payment?.id), url: record.url, body: record.body, headers };
  });
}

/** Posts a callback; answers the status and the text. */
export async function post(url: string, body: string | Buffer | undefined, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(url, { method: "POST", headers, ...(body === undefined ? {} : { body }) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
