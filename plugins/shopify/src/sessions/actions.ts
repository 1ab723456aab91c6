import { Money } from "@xpay-connect/core";
import { int } from "@xpay-connect/server";
import type { ShopifyAppDeps } from "../deps";
import type { MutationQueue } from "../mutations/queue";
import type { Operation } from "../mutations/operations";
import { CAPTURED_ON_PAYMENT } from "./gateways";
import { findPaymentSession, type ActionSessionRow } from "./store";

/** Gateways the service can refund through (POST /v1/payments/{id}/refunds). */
export const REFUNDABLE_GATEWAYS = new Set(["xpay-eg"]);

/** Stores a refund, capture or void session once per id; false when it was already received (a duplicate). */
export async function receiveActionSession(
  deps: ShopifyAppDeps,
  kind: ActionSessionRow["kind"],
  shop: string,
  body: { id: string; gid: string; payment_id: string; amount?: string; currency?: string },
): Promise<boolean> {
  const amount = body.amount && body.currency ? Money.parse(body.amount, body.currency, "amount") : undefined;
  const rows = await deps.db.query(
    `insert into shopify_action_sessions (id, gid, kind, shop, payment_session_id, amount_minor, currency) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (id) do nothing returning id`,
    [body.id, body.gid, kind, shop, body.payment_id, amount?.minor ?? null, amount?.currency ?? null],
  );
  return rows.length > 0;
}

const OPERATION: Record<ActionSessionRow["kind"], { resolve: Operation; reject: Operation }> = {
  refund: { resolve: "RefundSessionResolve", reject: "RefundSessionReject" },
  capture: { resolve: "CaptureSessionResolve", reject: "CaptureSessionReject" },
  void: { resolve: "VoidSessionResolve", reject: "VoidSessionReject" },
};

/**
 * Acts on a refund, capture or void session, after the 201: a refund goes through the service with
 * an Idempotency-Key from the session id (one gateway action however often Shopify or the poll asks);
 * a capture resolves at once for gateways that capture on payment; a void is rejected where the
 * gateway has already captured (the merchant refunds instead). Leaves the row for the poll when
 * the service did not answer or the refund is still pending.
 */
export async function actOn(deps: ShopifyAppDeps, queue: MutationQueue, row: ActionSessionRow): Promise<void> {
  const finish = (verdict: "resolve" | "reject", merchantMessage?: string) => finishAction(deps, queue, row, verdict, merchantMessage);
  const payment = await findPaymentSession(deps.db, "id", row.payment_session_id);
  if (!payment?.payment_id || payment.shop !== row.shop) return finish("reject", `No payment of this app has the id ${row.payment_session_id}.`);

  if (row.kind === "capture") {
    if (CAPTURED_ON_PAYMENT.has(payment.gateway)) return finish("resolve");
    return finish("reject", `${payment.gateway} cannot capture a held payment.`);
  }
  if (row.kind === "void") {
    return finish("reject", `${payment.gateway} captures when the buyer pays, so there is no authorization to void; refund the payment instead.`);
  }
  if (!REFUNDABLE_GATEWAYS.has(payment.gateway)) return finish("reject", `${payment.gateway} has no refunds; pay the buyer back outside Shopify.`);

  const service = await deps.serviceFor(row.shop);
  if (!service) return; // The shop unlinked its merchant: left for the poll, in case it links again.
  const amount = row.amount_minor !== null && row.currency ? Money.ofMinor(int(row.amount_minor), row.currency).format() : undefined;
  let res;
  try {
    res = await service.request<{ refund?: { id: string; status: string; error?: string | null }; error?: { code?: string; message?: string } }>(
      "POST",
      `/v1/payments/${encodeURIComponent(payment.payment_id)}/refunds`,
      amount ? { amount } : {},
      { "Idempotency-Key": `shopify-refund-session:${row.id}` },
    );
  } catch {
    return; // No answer: the poll asks again with the same Idempotency-Key.
  }
  const refund = res.body.refund;
  if ((res.status === 201 || res.status === 200 || res.status === 202) && refund) {
    if (refund.status === "succeeded") return finish("resolve");
    if (refund.status === "failed") return finish("reject", `The gateway refused the refund${refund.error ? `: ${refund.error.slice(0, 200)}` : "."}`);
    await deps.db.query("update shopify_action_sessions set status = 'refunding', service_ref = $2, updated_at = now() where id = $1 and status = 'received'", [row.id, refund.id]);
    return;
  }
  if (res.status === 409 && res.body.error?.code === "idempotency_in_progress") return;
  if (res.status >= 500) return;
  return finish("reject", `The refund was refused: ${(res.body.error?.message ?? `HTTP ${res.status}`).slice(0, 200)}`);
}

/** A pending refund's outcome, asked of the service (GET /v1/payments/{id}/refunds). */
export async function checkRefund(deps: ShopifyAppDeps, queue: MutationQueue, row: ActionSessionRow): Promise<void> {
  const payment = await findPaymentSession(deps.db, "id", row.payment_session_id);
  const service = await deps.serviceFor(row.shop);
  if (!payment?.payment_id || !service || !row.service_ref) return;
  const res = await service.request<{ data?: { id: string; status: string; error?: string | null }[] }>("GET", `/v1/payments/${encodeURIComponent(payment.payment_id)}/refunds`);
  const refund = res.body.data?.find((r) => r.id === row.service_ref);
  if (!refund || refund.status === "pending") return;
  await finishAction(deps, queue, row, refund.status === "succeeded" ? "resolve" : "reject", `The gateway refused the refund${refund.error ? `: ${refund.error.slice(0, 200)}` : "."}`);
}

/** Marks the session done and stores its resolve or reject (PROCESSING_ERROR) mutation, once. */
async function finishAction(deps: ShopifyAppDeps, queue: MutationQueue, row: ActionSessionRow, verdict: "resolve" | "reject", merchantMessage?: string): Promise<void> {
  const operation = OPERATION[row.kind][verdict];
  await deps.db.tx(async (sql) => {
    const done = await sql.query("update shopify_action_sessions set status = 'done', updated_at = now() where id = $1 and status <> 'done' returning id", [row.id]);
    if (!done.length) return;
    await queue.enqueue(sql, {
      shop: row.shop,
      sessionId: row.id,
      sessionGid: row.gid,
      operation,
      ...(verdict === "reject" ? { variables: { reason: { code: "PROCESSING_ERROR", merchantMessage: merchantMessage ?? "The gateway could not do it." } } } : {}),
    });
  });
  queue.kick();
}
