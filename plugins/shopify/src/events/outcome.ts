import type { Db } from "@xpay-connect/server";
import type { Logger } from "pino";
import type { MutationQueue } from "../mutations/queue";
import type { PaymentSessionRow } from "../sessions/store";

/** The service's payment, as its API and its events show it (the fields the app reads). */
export interface ServicePayment {
  id: string;
  status: string;
  gateway_status?: string | null;
  gateway_ref?: string | null;
  next_action?: PaymentSessionRow["next_action"];
  expires_at?: string | null;
}

/** The longest Shopify keeps a session pending ("recommended to be within 3 days"), less a margin for clocks. */
export const PENDING_LIMIT_MS = 3 * 86_400_000 - 10 * 60_000;

/** What a payment's status means for its Shopify session. */
export type SessionStep =
  | { kind: "resolve" }
  | { kind: "reject"; code: string; merchantMessage: string }
  | { kind: "pending"; pendingExpiresAt: string }
  | { kind: "buyer_cancelled" }
  | { kind: "none" };

/**
 * Chooses the session's next mutation from the payment's status: succeeded (or authorized) resolves;
 * failed and expired reject with a reason saying what happened; canceled by the buyer on the
 * gateway's page sends the buyer back to cancel_url without a reject (they may pay another way),
 * unless the session was already pending (the buyer has left: then it is rejected); a failure after
 * the buyer came back from the page saying they cancelled counts as that cancel; an open kiosk
 * bill or QR goes pending until the payment's expiry, within Shopify's three days.
 */
export function nextStep(session: Pick<PaymentSessionRow, "method" | "outcome"> & { cancelled_at?: Date | null }, payment: ServicePayment, pendingSent: boolean, now = Date.now()): SessionStep {
  if (session.outcome) return { kind: "none" };
  // The buyer came back saying they cancelled (Xpress Pay reports a cancel as failed): back to cancel_url, no reject.
  if (session.cancelled_at && !pendingSent && (payment.status === "failed" || payment.status === "canceled")) return { kind: "buyer_cancelled" };
  switch (payment.status) {
    case "succeeded":
    case "authorized":
      return { kind: "resolve" };
    case "failed":
      return { kind: "reject", code: declineCode(session.method, payment.gateway_status), merchantMessage: `The gateway declined the payment (${(payment.gateway_status ?? "failed").slice(0, 60)}).` };
    case "expired":
      return { kind: "reject", code: "CANCELLED_PAYMENT", merchantMessage: "The buyer did not pay before the payment expired." };
    case "canceled":
      return pendingSent ? { kind: "reject", code: "CANCELLED_PAYMENT", merchantMessage: "The buyer cancelled the payment." } : { kind: "buyer_cancelled" };
    case "pending":
    case "requires_action": {
      const type = payment.next_action?.type;
      if (type !== "kiosk" && type !== "qr") return { kind: "none" };
      const limit = now + PENDING_LIMIT_MS;
      const expires = payment.expires_at ? Math.min(new Date(payment.expires_at).getTime(), limit) : limit;
      if (!(expires > now + 60_000)) return { kind: "none" };
      return { kind: "pending", pendingExpiresAt: new Date(expires).toISOString().replace(/\.\d{3}Z$/, "Z") };
    }
    default:
      return { kind: "none" };
  }
}

/** The rejection reason for a declined payment: the card's or the wallet's, insufficient funds when the gateway said so. */
function declineCode(method: string, gatewayStatus: string | null | undefined): string {
  if (gatewayStatus && /insufficient/i.test(gatewayStatus)) return "INSUFFICIENT_FUNDS";
  return method === "card" ? "CARD_DECLINED" : "INSTRUMENT_DECLINED";
}

/**
 * Applies what the service says about a session's payment, once, whoever reports it (an event, the
 * fallback poll, the buyer's return page): records the status, and stores the mutation it calls for
 * in the same transaction (resolve or reject at most once per session, and one resolve per checkout
 * group, as Shopify requires). Kicks the queue after the commit.
 */
export async function applyPayment(db: Db, queue: MutationQueue, log: Logger, sessionId: string, payment: ServicePayment): Promise<SessionStep> {
  const step = await db.tx(async (sql) => {
    const [session] = await sql.query<PaymentSessionRow>("select * from shopify_payment_sessions where id = $1 for update", [sessionId]);
    if (!session || session.payment_id !== payment.id) return { kind: "none" } as SessionStep;
    await sql.query(
      `update shopify_payment_sessions set payment_status = $2, gateway_ref = coalesce(gateway_ref, $3),
         next_action = coalesce($4::jsonb, next_action), expires_at = coalesce($5::timestamptz, expires_at), updated_at = now() where id = $1`,
      [session.id, payment.status, payment.gateway_ref ?? null, payment.next_action ? JSON.stringify(payment.next_action) : null, payment.expires_at ?? null],
    );
    const [pending] = await sql.query("select 1 from shopify_mutations where session_gid = $1 and operation = 'PaymentSessionPending'", [session.gid]);
    const chosen = nextStep(session, { ...payment, next_action: payment.next_action ?? session.next_action }, Boolean(pending));
    const job = { shop: session.shop, sessionId: session.id, sessionGid: session.gid };
    if (chosen.kind === "resolve") {
      const [other] = await sql.query<{ id: string }>(
        "select id from shopify_payment_sessions where shop = $1 and session_group = $2 and outcome = 'resolve' and id <> $3",
        [session.shop, session.session_group, session.id],
      );
      if (other) {
        log.warn({ shop: session.shop, session: session.id, resolved: other.id, payment: payment.id }, "a second payment of one checkout succeeded: not resolved (Shopify allows one resolve per group); refund it from the service");
        return { kind: "none" } as SessionStep;
      }
      await sql.query("update shopify_payment_sessions set outcome = 'resolve' where id = $1", [session.id]);
      await queue.enqueue(sql, { ...job, operation: "PaymentSessionResolve" });
    } else if (chosen.kind === "reject") {
      await sql.query("update shopify_payment_sessions set outcome = 'reject' where id = $1", [session.id]);
      await queue.enqueue(sql, { ...job, operation: "PaymentSessionReject", variables: { reason: { code: chosen.code, merchantMessage: chosen.merchantMessage } } });
    } else if (chosen.kind === "pending") {
      await queue.enqueue(sql, { ...job, operation: "PaymentSessionPending", variables: { pendingExpiresAt: chosen.pendingExpiresAt, reason: "BUYER_ACTION_REQUIRED" } });
    } else if (chosen.kind === "buyer_cancelled") {
      await sql.query("update shopify_payment_sessions set cancelled_at = coalesce(cancelled_at, now()) where id = $1", [session.id]);
    }
    return chosen;
  });
  if (step.kind === "resolve" || step.kind === "reject" || step.kind === "pending") queue.kick();
  return step;
}
