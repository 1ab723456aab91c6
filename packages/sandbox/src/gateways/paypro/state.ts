import type { EmulatorContext, OrderAction } from "../../emulator";
import type { Lag } from "../../lag";
import { OrderBook } from "../../orders";
import { listOf } from "../../state-file";
import { PAYPRO_APP_SECRET, PAYPRO_START_BALANCE, PAYPRO_TEST_ACCOUNTS } from "./merchant";
import { payProSign } from "./sign";

/** Retries after the first notification attempt (anchors.md: 8 times in 24 h at 2s, 5s, 10s, 30s, 1h, 3h, 3h, 3h). */
export const PAYPRO_RETRY_DELAYS_MS = [2_000, 5_000, 10_000, 30_000, 3_600_000, 10_800_000, 10_800_000, 10_800_000] as const;

/** Payout `status` codes and descriptions the sandbox reports (0000 and 0015 are the spec's; the rest are error codes). */
export const PAYPRO_PAYOUT_STATUSES = {
  success: { status: "0000", desc: "SUCCESS" },
  processing: { status: "0015", desc: "CREATED" },
  rejected: { status: "00029", desc: "REJECTED_TRANSACTION" },
  expired: { status: "00030", desc: "TRANSACTION_EXPIRED" },
  canceled: { status: "00031", desc: "TRANSACTION_CANCELLED" },
  accountNotFound: { status: "00033", desc: "ACCOUNT_NOT_FOUND" },
} as const;

/** A payout as PayPro keeps it. */
export interface PayProPayout {
  merchantRef: string;
  gatewayRef: string;
  /** Whole rupees: PayPro payouts have no decimals. */
  amount: number;
  name: string;
  accountType: string;
  bankName: string;
  bankNumber: string;
  notifyUrl: string;
  remark: string;
  status: string;
  desc: string;
  /** Karachi local time of success ("2024-07-01 18:34:31"), as the notification sends it. */
  successTime?: string;
  /** The business fields (all but timestamp and sign), to tell a retry from a conflicting reuse of tradeNo. */
  request: string;
  createdAt: string;
  /** Payout queries lagging the notification (`lag` control). */
  lag?: Lag<{ status: string; desc: string }>;
}

const OUTCOMES: Record<OrderAction, { status: string; desc: string }> = {
  approve: PAYPRO_PAYOUT_STATUSES.success,
  decline: PAYPRO_PAYOUT_STATUSES.rejected,
  cancel: PAYPRO_PAYOUT_STATUSES.canceled,
  expire: PAYPRO_PAYOUT_STATUSES.expired,
};

/** Karachi local time (UTC+5, no daylight saving) as "yyyy-MM-dd HH:mm:ss". */
const karachiTime = (ms: number): string => new Date(ms + 5 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");

/** PayPro's payouts and balance, and what happens to them: creation, the bank's decision, signed notifications. */
export class PayProState {
  readonly book = new OrderBook<PayProPayout>();
  readonly balance: { available: number; unsettled: number } = { ...PAYPRO_START_BALANCE };

  constructor(private readonly ctx: EmulatorContext) {}

  /**
   * Keeps a new payout from a validated body: processing, holding its amount, or (the not-found test
   * account) already failed and notified; "insufficient_balance" when the balance cannot pay it.
   */
  create(body: Record<string, unknown>, request: string): PayProPayout | "insufficient_balance" {
    const amount = Number(body.amount);
    const notFound = body.accountType === "BANK" && body.bankNumber === PAYPRO_TEST_ACCOUNTS.notFound;
    if (!notFound && amount > this.balance.available) return "insufficient_balance";
    const outcome = notFound ? PAYPRO_PAYOUT_STATUSES.accountNotFound : PAYPRO_PAYOUT_STATUSES.processing;
    const payout = this.book.add({
      merchantRef: body.tradeNo as string,
      gatewayRef: this.ctx.rng().chars(16),
      amount,
      name: body.name as string,
      accountType: body.accountType as string,
      bankName: body.bankName as string,
      bankNumber: body.bankNumber as string,
      notifyUrl: body.notifyUrl as string,
      remark: body.remark as string,
      status: outcome.status,
      desc: outcome.desc,
      request,
      createdAt: new Date().toISOString(),
    });
    if (notFound) this.notify(payout);
    else this.balance.available -= amount;
    return payout;
  }

  processing(payout: PayProPayout): boolean {
    return payout.status === PAYPRO_PAYOUT_STATUSES.processing.status;
  }

  /** Payouts still processing hold their amount. */
  frozen(): number {
    return this.book.all().reduce((sum, o) => sum + (this.processing(o) ? o.amount : 0), 0);
  }

  /** The bank's decision on a processing payout, notified; false when it is already final. */
  settle(payout: PayProPayout, action: OrderAction): boolean {
    if (!this.processing(payout)) return false;
    const outcome = OUTCOMES[action];
    if (payout.lag) payout.lag.before = { status: payout.status, desc: payout.desc };
    payout.status = outcome.status;
    payout.desc = outcome.desc;
    if (action === "approve") payout.successTime = karachiTime(Date.now());
    else this.balance.available += payout.amount;
    this.notify(payout);
    return true;
  }

  orders(): unknown[] {
    return this.book.all().map(({ request: _request, bankNumber, ...o }) => ({
      ...o,
      bankNumber: `****${bankNumber.slice(-4)}`,
      amount: String(o.amount),
      currency: "PKR",
      page: `${this.ctx.origin()}/paypro/payout/${o.gatewayRef}`,
    }));
  }

  reset(): void {
    this.book.clear();
    Object.assign(this.balance, PAYPRO_START_BALANCE);
  }

  /** The payouts and balance, for the sandbox's state file. */
  snapshot(): { payouts: PayProPayout[]; balance: { available: number; unsettled: number } } {
    return { payouts: this.book.all(), balance: { ...this.balance } };
  }

  /** Takes back a `snapshot` of an earlier run. */
  restore(snapshot: unknown): void {
    const s = snapshot as ReturnType<PayProState["snapshot"]>;
    const payouts = listOf<PayProPayout>(s.payouts, "paypro.payouts");
    this.reset();
    for (const payout of payouts) this.book.add(payout);
    Object.assign(this.balance, s.balance);
  }

  /** The signed notification, retried until the merchant answers HTTP 200 with `OK`. */
  private notify(payout: PayProPayout): void {
    const fields: Record<string, string> = {
      platFormTradeNo: payout.gatewayRef,
      tradeNo: payout.merchantRef,
      amount: String(payout.amount),
      status: payout.status,
      message: payout.desc,
      ...(payout.successTime ? { successTime: payout.successTime } : {}),
      timestamp: String(Date.now()),
    };
    this.ctx.callbacks.enqueue({
      gateway: "paypro",
      url: payout.notifyUrl,
      body: JSON.stringify({ ...fields, sign: payProSign(fields, PAYPRO_APP_SECRET) }),
      headers: { "content-type": "application/json" },
      acked: (status, text) => status === 200 && text.trim() === "OK",
      retryDelaysMs: PAYPRO_RETRY_DELAYS_MS,
    });
  }
}
