import { isXpayError, requirePayIn } from "@xpay-connect/core";
import type { ServiceContext } from "../context";
import { int, type Db } from "../db/db";
import { amountOf, findPayment } from "../payments";
import { settleRefund, type RefundRow } from "../refunds";
import type { ReconcileOptions, ReconcileResult } from "./index";

const iso = (ms: number) => new Date(ms).toISOString();

/** Claims up to `n` refunds of a gateway whose outcome stayed unknown for longer than the threshold. */
export async function claimRefunds(db: Db, gateway: string, n: number, now: number, options: Pick<ReconcileOptions, "afterMs" | "leaseMs">): Promise<RefundRow[]> {
  if (n <= 0) return [];
  return db.query<RefundRow>(
    `update refunds set next_check_at = $3::timestamptz
     where id in (select r.id from refunds r join payments p on p.id = r.payment_id
                  where p.gateway = $1 and r.status = 'pending' and r.updated_at <= $4::timestamptz
                    and (r.next_check_at is null or r.next_check_at <= $5::timestamptz)
                  order by r.updated_at, r.id limit $2 for update of r skip locked)
     returning *`,
    [gateway, n, iso(now + options.leaseMs), iso(now - options.afterMs), iso(now)],
  );
}

/**
 * Settles refunds whose answer was lost, one gateway query per payment, only where the gateway's
 * status leaves no doubt: fully refunded with exactly our pending refunds making up the rest, or
 * partially refunded when our only refund is the pending one. Anything else is flagged for a
 * person, never guessed (a refund wrongly marked failed could be sent twice).
 */
export function resolveRefunds(ctx: ServiceContext, refunds: RefundRow[], now: number, options: Pick<ReconcileOptions, "afterMs" | "maxBackoffMs">): Promise<ReconcileResult>[] {
  const byPayment = new Map<string, RefundRow[]>();
  for (const r of refunds) byPayment.set(r.payment_id, [...(byPayment.get(r.payment_id) ?? []), r]);
  return [...byPayment].map(async ([paymentId, claimed]): Promise<ReconcileResult> => {
    const p = await findPayment(ctx.db, paymentId);
    const gateway = p?.gateway ?? "unknown";
    const later = async () => {
      for (const r of claimed) {
        const age = now - new Date(r.created_at).getTime();
        await ctx.db.query("update refunds set next_check_at = $2::timestamptz where id = $1 and status = 'pending'", [r.id, iso(now + Math.min(Math.max(age, options.afterMs, 1000), options.maxBackoffMs))]);
      }
    };
    if (!p) return { paymentId, gateway, outcome: "error" };
    let status: string;
    try {
      const connector = requirePayIn(await ctx.merchants.connector(p.merchant_id, p.gateway));
      status = (await connector.getPayIn({ merchantRef: p.id, ...(p.gateway_ref ? { gatewayRef: p.gateway_ref } : {}), currency: amountOf(p).currency })).status;
    } catch (error) {
      ctx.log.warn({ payment: p.id, gateway, err: isXpayError(error) ? error.message : String(error) }, "reconcile: refund status query failed");
      await later();
      return { paymentId, gateway, outcome: "error" };
    }
    const pending = await ctx.db.query<RefundRow>("select * from refunds where payment_id = $1 and status = 'pending' order by created_at, id", [p.id]);
    const pendingMinor = pending.reduce((sum, r) => sum + int(r.amount_minor), 0);
    const refunded = int(p.refunded_minor);
    const certain =
      (status === "refunded" && refunded + pendingMinor === int(p.amount_minor)) || (status === "partially_refunded" && refunded === 0 && pending.length === 1);
    if (certain) {
      for (const r of pending) await settleRefund(ctx, r.id, { status: "succeeded", gatewayStatus: status });
      return { paymentId, gateway, outcome: "applied" };
    }
    await ctx.db.query("update payments set flagged = coalesce(flagged, $2), updated_at = now() where id = $1", [
      p.id,
      `refund ${claimed.map((r) => r.id).join(", ")}: outcome unknown (the gateway reports ${status}); check at the gateway`,
    ]);
    await later();
    return { paymentId, gateway, outcome: "unchanged" };
  });
}
