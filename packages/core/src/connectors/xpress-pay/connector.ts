import { checkCallbackToken, checkIntegrity, bodyJson, confirmOrder, readCallback, type CallbackEvent, type CallbackExpectation, type CallbackInput, type CallbackKind, type CallbackReply, type VerifiedCallback } from "../../callback";
import type { Balance, Capabilities, PayIn, PayInConnector, PayInRequest, PaymentRef, PaymentSnapshot, PayoutConnector, PayoutRequest, BalanceConnector } from "../../connector";
import { DeclinedError, InvalidInputError, VerificationError } from "../../errors";
import type { XpressPayConfig } from "./gateway";
import { GatewayHttp, type GatewayAnswer } from "../../http";
import { Money } from "../../money";
import { mapGatewayStatus, type PaymentStatus } from "../../status";
import * as v from "../../validate";
import * as wire from "./wire";

/** Xpress Pay `orderStatus` -> canonical status. Anything else stays pending. */
export const STATUS_MAP = {
  "1": "pending", // unpaid / processing
  "2": "succeeded", // paid / completed
  "4": "failed", // cancelled / expired
} as const satisfies Record<wire.OrderStatus, PaymentStatus>;

const CURRENCY = "PKR";

/** What Xpress Pay does, as every package reads it. */
export const CAPABILITIES: Capabilities = {
  payIn: true,
  payout: true,
  query: true,
  refund: false,
  balance: true,
  currencies: [CURRENCY],
  payInMethods: ["easypaisa", "jazzcash"],
  payoutMethods: ["easypaisa", "jazzcash"],
  callbackVerification: "query",
  callbackUrl: "per_payment",
};
const PK_MOBILE = /^03\d{9}$/;

/**
 * Xpress Pay (EasyPaisa / JazzCash, Pakistan): hosted-checkout pay-ins, B2C payouts, queries,
 * balance; unsigned callbacks verified by query-back and the URL token, acknowledged with `SUCCESS`.
 */
export class XpressPayConnector implements PayInConnector, PayoutConnector, BalanceConnector {
  readonly id = "xpress-pay" as const;
  readonly capabilities = CAPABILITIES;
  private readonly http: GatewayHttp;
  private readonly appId: string;

  constructor(config: XpressPayConfig) {
    this.appId = v.text("appId", config.appId);
    this.http = new GatewayHttp(this.id, config, [this.appId]);
  }

  /** Creates a hosted-checkout pay-in; the shopper goes to `nextAction.url`. Without `customer.phone` the page asks for the wallet number. */
  async createPayIn(request: PayInRequest): Promise<PayIn> {
    const merchantRef = v.text("merchantRef", request.merchantRef, 64);
    const amount = v.positiveAmount("amount", request.amount, [CURRENCY]);
    const mobile = v.optionalText("customer.phone", request.customer?.phone);
    const body: wire.PayInCreateBody = {
      appId: this.appId,
      merOrderNo: merchantRef,
      amount: amount.isWhole() ? amount.formatWhole() : amount.format(),
      channel: channelOf(request.method, "method"),
      ...(mobile ? { customerMobile: v.matching("customer.phone", mobile, PK_MOBILE, 'a wallet number like "03001234567"') } : {}),
      customerName: v.text("customer.name", request.customer?.name, 100),
      ...(request.customer?.email ? { customerEmail: v.email("customer.email", request.customer.email) } : {}),
      notifyUrl: v.url("callbackUrl", request.callbackUrl),
      ...(request.returnUrl ? { returnUrl: v.url("returnUrl", request.returnUrl) } : {}),
    };
    const answer = await this.http.send({ method: "POST", path: wire.PATHS.payInCreate, body, merchantRef });
    const data = this.http.read(wire.PayInCreated, this.ok(answer, "pay-in create", merchantRef, [0]), "pay-in answer", merchantRef);
    return {
      gateway: this.id,
      merchantRef,
      gatewayRef: data.orderNo,
      status: "requires_action",
      gatewayStatus: "1",
      amount,
      nextAction: { type: "redirect", url: data.params.paymentLink },
    };
  }

  /** Asks Xpress Pay for a pay-in's status by `merchantRef`. */
  getPayIn(ref: PaymentRef): Promise<PaymentSnapshot> {
    return this.query(wire.PATHS.payInQuery, ref);
  }

  /** Sends a B2C payout to an EasyPaisa or JazzCash wallet. */
  async createPayout(request: PayoutRequest): Promise<PaymentSnapshot> {
    const merchantRef = v.text("merchantRef", request.merchantRef, 64);
    const amount = v.positiveAmount("amount", request.amount, [CURRENCY]);
    const body: wire.PayoutCreateBody = {
      appId: this.appId,
      merOrderNo: merchantRef,
      amount: amount.format(),
      channel: channelOf(request.method, "method"),
      recipientMobile: v.matching("recipient.mobile", request.recipient?.mobile, PK_MOBILE, 'a wallet number like "03112233445"'),
      recipientName: v.text("recipient.name", request.recipient?.name, 100),
      ...(request.recipient?.email ? { recipientEmail: v.email("recipient.email", request.recipient.email) } : {}),
      notifyUrl: v.url("callbackUrl", request.callbackUrl),
    };
    const answer = await this.http.send({ method: "POST", path: wire.PATHS.payoutCreate, body, merchantRef });
    const data = this.http.read(wire.PayoutCreated, this.ok(answer, "payout create", merchantRef, [0]), "payout answer", merchantRef);
    const gatewayStatus = data.orderStatus === undefined ? "1" : String(data.orderStatus);
    return { gateway: this.id, merchantRef, gatewayRef: data.orderNo, status: mapStatus(gatewayStatus), gatewayStatus, amount };
  }

  /** Asks Xpress Pay for a payout's status by `merchantRef`. */
  getPayout(ref: PaymentRef): Promise<PaymentSnapshot> {
    return this.query(wire.PATHS.payoutQuery, ref);
  }

  /** The merchant's collection, payout and frozen balances (PKR). */
  async getBalance(): Promise<Balance> {
    const answer = await this.http.send({ method: "GET", path: wire.PATHS.balance, query: { appId: this.appId }, idempotent: true });
    const data = this.http.read(wire.BalanceData, this.ok(answer, "balance", undefined, [0, 200]), "balance answer");
    const money = (value: number | string, field: string) =>
      typeof value === "number" ? Money.fromJsonNumber(value, data.currency, field) : Money.parse(value, data.currency, field);
    return {
      gateway: this.id,
      available: money(data.payoutValue, "payoutValue"),
      collected: money(data.payinValue, "payinValue"),
      frozen: money(data.disableValue, "disableValue"),
    };
  }

  /** Parses a result or recall callback. Pass `kind` "payout" for payout callbacks (their body looks like a pay-in's). */
  parseCallback(input: CallbackInput, kind: CallbackKind = "pay_in"): CallbackEvent {
    return parseCallback(input, kind);
  }

  /**
   * Xpress Pay does not sign callbacks: checks the URL token, then asks the gateway for the order
   * and trusts only its answer; amount and currency must match the stored payment.
   */
  async verifyCallback(input: CallbackInput, expected: CallbackExpectation): Promise<VerifiedCallback> {
    checkCallbackToken(this.id, expected.token);
    const event = this.parseCallback(input, expected.kind);
    if (event.raw.appId !== this.appId) {
      throw new VerificationError(`${this.id} callback is for another appId`, "reference_mismatch", { gateway: this.id });
    }
    checkIntegrity({ ...event, amount: undefined }, expected);
    const confirmed = await confirmOrder(this.id, () =>
      event.kind === "payout" ? this.getPayout(expected) : this.getPayIn(expected),
    );
    if (event.kind === "recall") {
      // A recall can only claw back a paid order, and never more than was paid.
      if (confirmed.status !== "succeeded" || !event.amount || event.amount.currency !== expected.amount.currency || event.amount.compare(expected.amount) > 0) {
        throw new VerificationError(`${this.id} recall does not match a paid order of at least its amount`, "amount_mismatch", { gateway: this.id });
      }
      // The lookup shows the order paid, never the recall itself: only the URL token vouches for it.
      return { ...event, verifiedBy: "token" };
    }
    checkIntegrity(event, expected);
    checkIntegrity(confirmed, expected);
    if (confirmed.status !== event.status) {
      throw new VerificationError(
        `${this.id} callback says orderStatus ${event.gatewayStatus} but the gateway says ${confirmed.gatewayStatus}`,
        "status_mismatch",
        { gateway: this.id },
      );
    }
    return { ...event, gatewayRef: confirmed.gatewayRef, verifiedBy: "query" };
  }

  /** Xpress Pay stops retrying only on HTTP 200 with the plaintext `SUCCESS`. */
  callbackReply(accepted: boolean): CallbackReply {
    return callbackReply(accepted);
  }

  /** Asks for the balance: the cheapest call that proves the AppID. */
  async checkCredentials(): Promise<void> {
    try {
      await this.getBalance();
    } catch (error) {
      if (error instanceof DeclinedError) throw new InvalidInputError("appId", `an AppID Xpress Pay accepts (it answered: ${error.message})`, undefined, { gateway: this.id, cause: error });
      throw error;
    }
  }

  private async query(path: string, ref: PaymentRef): Promise<PaymentSnapshot> {
    const merchantRef = v.text("merchantRef", ref.merchantRef, 64);
    const answer = await this.http.send({ method: "GET", path, query: { appId: this.appId, merOrderNo: merchantRef }, idempotent: true, merchantRef });
    const data = this.http.read(wire.OrderQueried, this.ok(answer, "query", merchantRef, [0, 200]), "query answer", merchantRef);
    return {
      gateway: this.id,
      merchantRef: data.merOrderNo,
      gatewayRef: data.orderNo,
      status: mapStatus(data.orderStatus),
      gatewayStatus: data.orderStatus,
      amount: Money.parse(data.amount, data.currency, "amount"),
    };
  }

  /** Unwraps `{code, msg, data}`: a success code gives `data`, any other is the gateway's refusal. */
  private ok(answer: GatewayAnswer, what: string, merchantRef: string | undefined, success: number[]): unknown {
    const env = this.http.read(wire.Envelope, answer.body, `${what} answer`, merchantRef);
    if (success.includes(Number(env.code)) && answer.status < 400) return env.data;
    throw this.http.declined(`${what} refused: ${env.msg ?? "no message"}`, env.code);
  }

}

function mapStatus(orderStatus: string): PaymentStatus {
  return mapGatewayStatus(STATUS_MAP, orderStatus);
}

/** Parses a result or recall callback without trusting it; needs no credentials. */
export function parseCallback(input: CallbackInput, kind: CallbackKind = "pay_in"): CallbackEvent {
  const gateway = "xpress-pay";
  const raw = bodyJson(gateway, input);
  if ("recallAmount" in raw) {
    const recall = readCallback(gateway, wire.RecallCallback, raw);
    return {
      gateway,
      kind: "recall",
      merchantRef: recall.merOrderNo,
      gatewayRef: recall.orderNo,
      status: "reversed",
      gatewayStatus: "recall",
      amount: Money.parse(recall.recallAmount, recall.currency, "recallAmount"),
      raw,
    };
  }
  const result = readCallback(gateway, wire.ResultCallback, raw);
  return {
    gateway,
    kind: kind === "payout" ? "payout" : "pay_in",
    merchantRef: result.merOrderNo,
    gatewayRef: result.orderNo,
    status: mapStatus(result.orderStatus),
    gatewayStatus: result.orderStatus,
    amount: Money.parse(result.amount, result.currency, "amount"),
    raw,
  };
}

/** Xpress Pay stops retrying only on HTTP 200 with the plaintext `SUCCESS`. */
export function callbackReply(accepted: boolean): CallbackReply {
  return accepted ? { status: 200, contentType: "text/plain", body: "SUCCESS" } : { status: 400, contentType: "text/plain", body: "FAIL" };
}

function channelOf(method: string, field: string): wire.Channel {
  return v.oneOf(field, method, ["easypaisa", "jazzcash"] as const).toUpperCase() as wire.Channel;
}
