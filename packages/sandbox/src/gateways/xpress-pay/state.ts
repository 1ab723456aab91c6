import type { EmulatorContext, OrderAction } from "../../emulator";
import { decimalToMinor, minorToDecimal } from "../../money";
import { OrderBook } from "../../orders";
import { listOf } from "../../state-file";
import { XPRESS_PAY_APP_ID } from "./merchant";

/** Retries after the first attempt (spec: "up to 5 times"); the spacing is our assumption. */
export const XPRESS_PAY_RETRY_DELAYS_MS = [5_000, 30_000, 60_000, 300_000, 900_000] as const;

/** The test merchant's balances after a reset, in paisa. */
const START_BALANCE = { payinMinor: 15_000_000, payoutMinor: 13_000_000, frozenMinor: 1_000_000 } as const;

export type OrderKind = "payin" | "payout";

/** A pay-in or payout as the gateway keeps it. */
export interface XpressPayOrder {
  kind: OrderKind;
  merchantRef: string;
  gatewayRef: string;
  amountMinor: number;
  channel: string;
  mobile?: string;
  name: string;
  email?: string;
  notifyUrl: string;
  returnUrl?: string;
  /** "1" unpaid/processing, "2" success, "4" failed. */
  orderStatus: "1" | "2" | "4";
  recalledMinor: number;
  /** The create body as first received, to tell a retry from a conflicting reuse of merOrderNo. */
  request: string;
  createdAt: string;
}

/** What the state file keeps of Xpress Pay. */
interface XpressPaySnapshot {
  payIns: XpressPayOrder[];
  payouts: XpressPayOrder[];
  balance: { payinMinor: number; payoutMinor: number; frozenMinor: number };
}

/** Xpress Pay's orders and balances, and what happens to them: creation, settlement (with its callback), recalls. */
export class XpressPayState {
  readonly payIns = new OrderBook<XpressPayOrder>();
  readonly payouts = new OrderBook<XpressPayOrder>();
  readonly balance: { payinMinor: number; payoutMinor: number; frozenMinor: number } = { ...START_BALANCE };

  constructor(private readonly ctx: EmulatorContext) {}

  book(kind: OrderKind): OrderBook<XpressPayOrder> {
    return kind === "payin" ? this.payIns : this.payouts;
  }

  /** Keeps a new order from a validated create body; a payout draws the balance down, or is refused when it cannot. */
  create(kind: OrderKind, body: Record<string, unknown>, request: string): XpressPayOrder | "insufficient_balance" {
    const amountMinor = decimalToMinor(body.amount) as number;
    if (kind === "payout" && amountMinor > this.balance.payoutMinor) return "insufficient_balance";
    if (kind === "payout") this.balance.payoutMinor -= amountMinor;
    return this.book(kind).add({
      kind,
      merchantRef: body.merOrderNo as string,
      gatewayRef: (kind === "payin" ? "EP" : "PO") + this.ctx.rng().digits(9),
      amountMinor,
      channel: body.channel as string,
      mobile: ((kind === "payin" ? body.customerMobile : body.recipientMobile) as string | undefined) || undefined,
      name: (kind === "payin" ? body.customerName : body.recipientName) as string,
      email: (kind === "payin" ? body.customerEmail : body.recipientEmail) as string | undefined,
      notifyUrl: body.notifyUrl as string,
      returnUrl: (body.returnUrl as string | undefined) || undefined,
      orderStatus: "1",
      recalledMinor: 0,
      request,
      createdAt: new Date().toISOString(),
    });
  }

  /** Either book's order, by either reference. */
  find(ref: string): XpressPayOrder | undefined {
    return this.payIns.find(ref) ?? this.payouts.find(ref);
  }

  /** Approves or fails an open order and sends its callback; false when it is already final. */
  settle(order: XpressPayOrder, action: OrderAction, mobile?: string): boolean {
    if (order.orderStatus !== "1") return false;
    if (mobile !== undefined) order.mobile = mobile;
    order.orderStatus = action === "approve" ? "2" : "4";
    if (order.kind === "payin" && order.orderStatus === "2") this.balance.payinMinor += order.amountMinor;
    if (order.kind === "payout" && order.orderStatus === "4") this.balance.payoutMinor += order.amountMinor;
    this.notify(order, {
      appId: XPRESS_PAY_APP_ID,
      merOrderNo: order.merchantRef,
      orderNo: order.gatewayRef,
      amount: minorToDecimal(order.amountMinor),
      currency: "PKR",
      orderStatus: order.orderStatus,
    });
    return true;
  }

  /** Recalls (disputes) part of a paid pay-in and sends the recall notice. */
  recall(order: XpressPayOrder, amountMinor: number, reason: string): void {
    order.recalledMinor += amountMinor;
    this.notify(order, { appId: XPRESS_PAY_APP_ID, merOrderNo: order.merchantRef, orderNo: order.gatewayRef, recallAmount: minorToDecimal(amountMinor), currency: "PKR", reason });
  }

  orders(): unknown[] {
    return [...this.payIns.all(), ...this.payouts.all()].map(({ request: _r, ...o }) => ({ ...o, amount: minorToDecimal(o.amountMinor) }));
  }

  reset(): void {
    this.payIns.clear();
    this.payouts.clear();
    Object.assign(this.balance, START_BALANCE);
  }

  /** The orders and balances, for the sandbox's state file. */
  snapshot(): XpressPaySnapshot {
    return { payIns: this.payIns.all(), payouts: this.payouts.all(), balance: { ...this.balance } };
  }

  /** Takes back a `snapshot` of an earlier run. */
  restore(snapshot: unknown): void {
    const s = snapshot as XpressPaySnapshot;
    const payIns = listOf<XpressPayOrder>(s.payIns, "xpress-pay.payIns");
    const payouts = listOf<XpressPayOrder>(s.payouts, "xpress-pay.payouts");
    this.reset();
    for (const order of payIns) this.payIns.add(order);
    for (const order of payouts) this.payouts.add(order);
    Object.assign(this.balance, s.balance);
  }

  /** Unsigned JSON callbacks, retried until the merchant answers HTTP 200 with the plaintext `SUCCESS`. */
  private notify(order: XpressPayOrder, body: Record<string, unknown>): void {
    this.ctx.callbacks.enqueue({
      gateway: "xpress-pay",
      url: order.notifyUrl,
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
      acked: (status, text) => status === 200 && text === "SUCCESS",
      retryDelaysMs: XPRESS_PAY_RETRY_DELAYS_MS,
    });
  }
}
