import type { EmulatorContext, OrderAction } from "../../emulator";
import { decimalToMinor, minorToDecimal } from "../../money";
import { listOf } from "../../state-file";
import { XPAY_KG_CLIENT_ID, XPAY_KG_CLIENT_SECRET, XPAY_KG_MERCHANT } from "./merchant";
import { emvPayload } from "./qr";

/** Access-token lifetime (anchors: 30 minutes); change it with `POST /_sandbox/xpay-kg/settings`. */
export const XPAY_KG_TOKEN_LIFETIME_S = 30 * 60;

/** Callback retries after the first attempt (our assumption; the spec gives no rule). Any 2xx stops them. */
export const XPAY_KG_RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 1_800_000, 3_600_000] as const;

/** The sandbox's fee: 0.8%, which reproduces the spec's examples (1000 -> payable 992; 235 -> 233.12). */
export const XPAY_KG_FEE_PERMILLE = 8;

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export type PayStatus = "ACTIVE" | "WAITING" | "PROCESSING" | "COMPLETED" | "ERROR" | "CANCELED";

/** A QR as xPay keeps it. */
export interface Qr {
  qrTransactionId: string;
  identificator: string;
  uuid: string;
  type: "dynamic" | "static";
  payerId?: string;
  serviceId?: string;
  serviceName?: string;
  comments?: string;
  callbackUrl?: string;
  returnUrl?: string;
  checkUrl?: string;
  amountChange: boolean;
  /** `amount` of the request, in tyiyn (the request's unit, see docs/gateways/xpay-kg.md). */
  requestMinor: number;
  /** What the (latest) payment pays, in tyiyn. */
  amountMinor: number;
  payStatus: PayStatus;
  trx?: string;
  bank?: string;
  createdAt: string;
  executedTime?: string;
  payload: string;
  /** The create body with sorted keys: a retry with the same uuid must match it. */
  request: string;
  /** The last `check_url` round trip. */
  lastCheck?: { status: number | null; allowed: boolean };
  /** Payments a static QR has taken. */
  payments: number;
}

/** The gateway's fee on an amount, in tyiyn. */
export const fee = (minor: number): number => Math.ceil((minor * XPAY_KG_FEE_PERMILLE) / 1000);
/** A status amount: a decimal string of som with 8 places, as the spec's status answer shows. */
export const statusAmount = (minor: number): string => `${minorToDecimal(minor)}000000`;
const FINAL: readonly PayStatus[] = ["COMPLETED", "ERROR", "CANCELED"];

/** A QR can take a payment: a dynamic one until it is final, a static one until it is canceled. */
export const isOpen = (qr: Qr): boolean => (qr.type === "static" ? qr.payStatus !== "CANCELED" : !FINAL.includes(qr.payStatus));
/** A payment can start: the QR is open and no payment is in progress. */
export const isPayable = (qr: Qr): boolean => isOpen(qr) && qr.payStatus !== "PROCESSING";

/** The status answer's data (also the callback's and the control API's). */
export const statusData = (qr: Qr) => ({
  qr_transaction_id: qr.qrTransactionId,
  pay_status: qr.payStatus,
  transaction_uuid: qr.uuid,
  trx: qr.trx ?? null,
  request_amount: statusAmount(qr.requestMinor),
  amount: statusAmount(qr.amountMinor),
  payable: statusAmount(qr.amountMinor - fee(qr.amountMinor)),
  created_at: qr.createdAt,
  executed_time: qr.executedTime ?? null,
});

/** xPay's access tokens and QRs, and what happens to them: payments (asking check_url), their end, callbacks. */
export class XpayKgState {
  readonly qrs = new Map<string, Qr>();
  private readonly byUuid = new Map<string, Qr>();
  private readonly tokens = new Map<string, number>();
  tokenLifetimeS = XPAY_KG_TOKEN_LIFETIME_S;
  private issued = 0;

  constructor(private readonly ctx: EmulatorContext) {}

  /** A bearer token for the test merchant's credentials, or undefined for any others. */
  login(clientId: string, clientSecret: string): string | undefined {
    if (clientId !== XPAY_KG_CLIENT_ID || clientSecret !== XPAY_KG_CLIENT_SECRET) return undefined;
    const token = `${++this.issued}|${this.ctx.rng().chars(40, ALNUM)}`;
    this.tokens.set(token, Date.now() + this.tokenLifetimeS * 1000);
    return token;
  }

  /** True for an `Authorization: Bearer` token issued and not expired. */
  authorized(header: unknown): boolean {
    const token = typeof header === "string" && header.startsWith("Bearer ") ? header.slice(7) : undefined;
    const expiresAt = token === undefined ? undefined : this.tokens.get(token);
    return expiresAt !== undefined && Date.now() < expiresAt;
  }

  /** Forgets every token; answers how many there were. */
  revokeTokens(): number {
    const revoked = this.tokens.size;
    this.tokens.clear();
    return revoked;
  }

  byRequestUuid(uuid: string): Qr | undefined {
    return this.byUuid.get(uuid.toLowerCase());
  }

  /** A new QR from a validated body. */
  create(body: Record<string, unknown>, request: string): Qr {
    const text = (field: string): string | undefined => (typeof body[field] === "string" && body[field] !== "" ? (body[field] as string) : undefined);
    const type = body.type === "static" ? "static" : "dynamic";
    const identificator = this.ctx.rng().digits(10) + this.ctx.rng().chars(15, "abcdefghijklmnopqrstuvwxyz0123456789");
    const qr: Qr = {
      qrTransactionId: this.ctx.rng().digits(10) + this.ctx.rng().chars(15, ALNUM),
      identificator,
      uuid: (body.uuid as string).toLowerCase(),
      type,
      payerId: text("payer_id"),
      serviceId: text("service_id"),
      serviceName: text("service_name"),
      comments: text("comments"),
      callbackUrl: text("callback_url"),
      returnUrl: text("return_url"),
      checkUrl: text("check_url"),
      amountChange: body.amount_change === true,
      requestMinor: body.amount as number,
      amountMinor: body.amount as number,
      payStatus: "ACTIVE",
      createdAt: new Date().toISOString().replace(/\.(\d{3})Z$/, ".$1000Z"),
      payload: emvPayload({ type, identificator, account: XPAY_KG_MERCHANT.account, merchantName: XPAY_KG_MERCHANT.name }),
      request,
      payments: 0,
    };
    this.qrs.set(qr.qrTransactionId, qr);
    this.byUuid.set(qr.uuid, qr);
    return qr;
  }

  /** By qr_transaction_id, request uuid, or the latest with this payer_id. */
  find(ref: string): Qr | undefined {
    return this.qrs.get(ref) ?? this.byUuid.get(ref.toLowerCase()) ?? [...this.qrs.values()].reverse().find((q) => q.payerId === ref);
  }

  /** The amount a payment pays: the request's, or (amount_change) the payer's own; an error text otherwise. */
  payAmount(qr: Qr, given: unknown): number | string {
    if (given === undefined || given === "") return qr.requestMinor;
    const minor = decimalToMinor(typeof given === "number" ? String(given) : given);
    if (!minor) return "amount: expected a positive decimal of som with at most 2 decimals";
    if (!qr.amountChange && minor !== qr.requestMinor) return "amount: this QR does not allow changing the amount";
    return minor;
  }

  /** Starts a payment (PROCESSING) and, unless held, completes it. */
  pay(qr: Qr, amountMinor: number, bank: string, hold: boolean): void {
    qr.amountMinor = amountMinor;
    qr.bank = bank;
    qr.payStatus = "PROCESSING";
    if (qr.type === "static") qr.payments++;
    if (!hold) this.finish(qr, "COMPLETED");
  }

  /** Ends the current payment (or the QR) and sends the callback. */
  finish(qr: Qr, payStatus: "COMPLETED" | "ERROR" | "CANCELED"): void {
    qr.payStatus = payStatus;
    if (payStatus !== "CANCELED") qr.trx = this.ctx.rng().uuid();
    qr.executedTime = new Date(Date.now() + 6 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
    this.notify(qr);
  }

  /** Decline, cancel or expire; answers an error text when the QR cannot take it. */
  close(qr: Qr, action: Exclude<OrderAction, "approve">): string | undefined {
    if (!isOpen(qr)) return `QR ${qr.qrTransactionId} is already ${qr.payStatus}`;
    // The gateway has no expired status: a QR past its lifetime is CANCELED.
    this.finish(qr, action === "decline" ? "ERROR" : "CANCELED");
    return undefined;
  }

  /** Asks the merchant's check_url; only HTTP 201 lets the payment go on. */
  async check(qr: Qr, amountMinor: number): Promise<boolean> {
    if (!qr.checkUrl) return true;
    const status = await fetch(qr.checkUrl, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        qr_transaction_id: qr.qrTransactionId,
        transaction_uuid: qr.uuid,
        type: qr.type,
        payer_id: qr.payerId ?? null,
        request_amount: statusAmount(qr.requestMinor),
        amount: statusAmount(amountMinor),
      }),
      signal: AbortSignal.timeout(5000),
    }).then(
      async (res) => {
        await res.arrayBuffer();
        return res.status;
      },
      () => null,
    );
    qr.lastCheck = { status, allowed: status === 201 };
    return status === 201;
  }

  orders(): unknown[] {
    return [...this.qrs.values()].map((qr) => ({
      merchantRef: qr.payerId ?? qr.uuid,
      gatewayRef: qr.qrTransactionId,
      uuid: qr.uuid,
      type: qr.type,
      payStatus: qr.payStatus,
      requestAmount: minorToDecimal(qr.requestMinor),
      amount: minorToDecimal(qr.amountMinor),
      amountChange: qr.amountChange,
      payments: qr.payments,
      bank: qr.bank ?? null,
      callbackUrl: qr.callbackUrl ?? null,
      returnUrl: qr.returnUrl ?? null,
      checkUrl: qr.checkUrl ?? null,
      lastCheck: qr.lastCheck ?? null,
      createdAt: qr.createdAt,
    }));
  }

  reset(): void {
    this.qrs.clear();
    this.byUuid.clear();
    this.tokens.clear();
    this.tokenLifetimeS = XPAY_KG_TOKEN_LIFETIME_S;
    this.issued = 0;
  }

  /** The QRs, bearer tokens (with their expiry) and settings, for the sandbox's state file. */
  snapshot(): { qrs: Qr[]; tokens: [string, number][]; tokenLifetimeS: number; issued: number } {
    return { qrs: [...this.qrs.values()], tokens: [...this.tokens], tokenLifetimeS: this.tokenLifetimeS, issued: this.issued };
  }

  /** Takes back a `snapshot` of an earlier run. */
  restore(snapshot: unknown): void {
    const s = snapshot as ReturnType<XpayKgState["snapshot"]>;
    const qrs = listOf<Qr>(s.qrs, "xpay-kg.qrs");
    const tokens = listOf<[string, number]>(s.tokens, "xpay-kg.tokens");
    if (!Number.isInteger(s.tokenLifetimeS) || !Number.isInteger(s.issued)) throw new Error("xpay-kg.tokenLifetimeS, issued: expected integers");
    this.reset();
    for (const qr of qrs) {
      this.qrs.set(qr.qrTransactionId, qr);
      this.byUuid.set(qr.uuid, qr);
    }
    for (const [token, expiresAt] of tokens) this.tokens.set(token, expiresAt);
    this.tokenLifetimeS = s.tokenLifetimeS;
    this.issued = s.issued;
  }

  /** The callback to the QR's callback_url, retried until a 2xx. */
  private notify(qr: Qr): void {
    if (!qr.callbackUrl) return;
    this.ctx.callbacks.enqueue({
      gateway: "xpay-kg",
      url: qr.callbackUrl,
      body: JSON.stringify({ ...statusData(qr), type: qr.type, payer_id: qr.payerId ?? null, service_id: qr.serviceId ?? null }),
      headers: { "content-type": "application/json", accept: "application/json" },
      acked: (code) => code >= 200 && code < 300,
      retryDelaysMs: XPAY_KG_RETRY_DELAYS_MS,
    });
  }
}
