import type { EmulatorContext, OrderAction } from "../../emulator";
import type { Lag } from "../../lag";
import { minorToDecimal, minorToNumber } from "../../money";
import { listOf } from "../../state-file";
import type { PayRequest, PayUsing } from "./validation";

/**
 * Assumption (the spec is silent): XPay retries a callback answered with anything but a 2xx (anchors:
 * plugins answer 4xx to be retried) 5 times, after 10 s, 1 min, 5 min, 10 min and 15 min.
 */
export const XPAY_EG_RETRY_DELAYS_MS = [10_000, 60_000, 300_000, 600_000, 900_000] as const;

/**
 * Assumption: the sandbox community's fees, chosen so that the spec's two examples come out exactly:
 * EGP 2.72% + 2.00 (50 -> 53.36), other currencies 2.70% (USD 10 -> 10.27); rounded to the piaster.
 */
export const XPAY_EG_FEES = { EGP: { basisPoints: 272, fixedMinor: 200 }, other: { basisPoints: 270, fixedMinor: 0 } } as const;

export type Status = "PENDING" | "SUCCESSFUL" | "FAILED" | "PARTIALLY_REFUNDED" | "REFUNDED";

/** A transaction as XPay keeps it. */
export interface Transaction {
  id: number;
  uuid: string;
  communityId: string;
  variableAmountId: number;
  /** The `merchant_ref` custom field (xpay-connect's convention), for the control API and `/_sandbox/orders` only. */
  merchantRef: string;
  amountMinor: number;
  originalMinor: number;
  currency: string;
  payUsing: PayUsing;
  billing: PayRequest["billing"];
  language?: string;
  membershipId?: string;
  recurring?: PayRequest["recurring"];
  customFields: PayRequest["customFields"];
  billReference?: number;
  status: Status;
  /** What closed it: the shopper's or the kiosk's decision. */
  closedBy?: OrderAction;
  refundedMinor: number;
  created: string;
  /** The status before the last change, and how many more lookups answer it (`lag` control: a lookup lagging its callback). */
  lag?: Lag<Status>;
}

/** A community's dashboard settings. */
export interface Dashboard {
  callbackUrl?: string;
  redirectUrl?: string;
  /** The lookup names `total_amount_currency` (off by default: XPay's public lookup shape has no currency). */
  lookupCurrency?: boolean;
}

const STATUS_OF: Record<OrderAction, Status> = { approve: "SUCCESSFUL", decline: "FAILED", cancel: "FAILED", expire: "FAILED" };

/** The total with the community's fees (integer arithmetic, half up). */
export function withFees(amountMinor: number, currency: string): number {
  const fee = currency === "EGP" ? XPAY_EG_FEES.EGP : XPAY_EG_FEES.other;
  return amountMinor + Math.floor((amountMinor * fee.basisPoints + 5_000) / 10_000) + fee.fixedMinor;
}

/** XPay Egypt's transactions and community dashboards, and what happens to them: payment, refunds, callbacks to the dashboard URL. */
export class XpayEgState {
  readonly transactions = new Map<string, Transaction>();
  readonly dashboards = new Map<string, Dashboard>();
  private nextId = 1000;

  constructor(private readonly ctx: EmulatorContext) {}

  /** A pending transaction from a validated pay request (kiosk payments get their bill reference). */
  create(valid: PayRequest): Transaction {
    const rng = this.ctx.rng();
    const tx: Transaction = {
      id: this.nextId++,
      uuid: rng.uuid(),
      communityId: valid.communityId,
      variableAmountId: valid.variableAmountId,
      merchantRef: String(valid.customFields.find((f) => f.field_label === "merchant_ref")?.field_value ?? ""),
      amountMinor: valid.amountMinor,
      originalMinor: valid.originalMinor,
      currency: valid.currency,
      payUsing: valid.payUsing,
      billing: valid.billing,
      ...(valid.language ? { language: valid.language } : {}),
      ...(valid.membershipId ? { membershipId: valid.membershipId } : {}),
      ...(valid.recurring ? { recurring: valid.recurring } : {}),
      customFields: valid.customFields,
      ...(valid.payUsing === "kiosk" ? { billReference: Number(`${1 + rng.int(9)}${rng.digits(8)}`) } : {}),
      status: "PENDING",
      refundedMinor: 0,
      created: new Date().toISOString(),
    };
    this.transactions.set(tx.uuid, tx);
    return tx;
  }

  /** By uuid, or the latest with this `merchant_ref`. */
  find(ref: string): Transaction | undefined {
    return this.transactions.get(ref) ?? [...this.transactions.values()].reverse().find((t) => t.merchantRef === ref && t.merchantRef !== "");
  }

  /** Refunds part of a paid transaction (the amount is checked by the caller). */
  refund(tx: Transaction, amountMinor: number): void {
    tx.refundedMinor += amountMinor;
    tx.status = tx.refundedMinor === tx.amountMinor ? "REFUNDED" : "PARTIALLY_REFUNDED";
  }

  /** Closes a pending transaction and calls back the community's dashboard URL; false when it is already closed. */
  settle(tx: Transaction, action: OrderAction): boolean {
    if (tx.status !== "PENDING") return false;
    if (tx.lag) tx.lag.before = tx.status;
    tx.status = STATUS_OF[action];
    tx.closedBy = action;
    const url = this.dashboards.get(tx.communityId)?.callbackUrl;
    // No callback URL in the dashboard, no callback: as at XPay.
    if (url) {
      this.ctx.callbacks.enqueue({
        gateway: "xpay-eg",
        url,
        body: JSON.stringify(callbackBody(tx)),
        headers: { "content-type": "application/json" },
        acked: (status) => status >= 200 && status < 300,
        retryDelaysMs: XPAY_EG_RETRY_DELAYS_MS,
      });
    }
    return true;
  }

  orders(): unknown[] {
    return [...this.transactions.values()].map((t) => ({
      merchantRef: t.merchantRef,
      gatewayRef: t.uuid,
      transactionId: t.id,
      communityId: t.communityId,
      payUsing: t.payUsing,
      amount: minorToDecimal(t.amountMinor),
      originalAmount: minorToDecimal(t.originalMinor),
      currency: t.currency,
      status: t.status,
      refunded: minorToDecimal(t.refundedMinor),
      ...(t.billReference !== undefined ? { billReference: t.billReference } : {}),
      ...(t.closedBy ? { closedBy: t.closedBy } : {}),
      ...(t.recurring ? { recurring: t.recurring } : {}),
      customFields: t.customFields,
      created: t.created,
    }));
  }

  reset(): void {
    this.transactions.clear();
    this.dashboards.clear();
    this.nextId = 1000;
  }

  /** The transactions, dashboards and the next transaction id, for the sandbox's state file. */
  snapshot(): { transactions: Transaction[]; dashboards: [string, Dashboard][]; nextId: number } {
    return { transactions: [...this.transactions.values()], dashboards: [...this.dashboards], nextId: this.nextId };
  }

  /** Takes back a `snapshot` of an earlier run. */
  restore(snapshot: unknown): void {
    const s = snapshot as ReturnType<XpayEgState["snapshot"]>;
    const transactions = listOf<Transaction>(s.transactions, "xpay-eg.transactions");
    const dashboards = listOf<[string, Dashboard]>(s.dashboards, "xpay-eg.dashboards");
    if (!Number.isInteger(s.nextId)) throw new Error("xpay-eg.nextId: expected an integer");
    this.reset();
    for (const tx of transactions) this.transactions.set(tx.uuid, tx);
    for (const [community, dashboard] of dashboards) this.dashboards.set(community, dashboard);
    this.nextId = s.nextId;
  }
}

/** The callback body of the spec's examples: member_id, each custom field as a key, then XPay's fields. */
function callbackBody(tx: Transaction): Record<string, unknown> {
  const body: Record<string, unknown> = { member_id: tx.membershipId ?? null };
  for (const f of tx.customFields) body[f.field_label] = f.field_value;
  return Object.assign(body, {
    total_amount: minorToNumber(tx.amountMinor),
    transaction_id: tx.uuid,
    transaction_uuid: tx.uuid,
    transaction_status: tx.status,
    total_amount_piasters: tx.amountMinor,
  });
}
