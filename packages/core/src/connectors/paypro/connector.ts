import { bodyJson, checkCallbackToken, checkIntegrity, confirmOrder, readCallback, safeEqual, type CallbackEvent, type CallbackExpectation, type CallbackInput, type CallbackReply, type VerifiedCallback } from "../../callback";
import type { Balance, BalanceConnector, Capabilities, PaymentRef, PaymentSnapshot, PayoutConnector, PayoutMethod, PayoutRequest, Recipient } from "../../connector";
import { DeclinedError, InvalidInputError, OutcomeUnknownError, VerificationError } from "../../errors";
import type { PayProConfig } from "./gateway";
import { GatewayHttp, type GatewayAnswer } from "../../http";
import { Money } from "../../money";
import { mapGatewayStatus, type PaymentStatus } from "../../status";
import * as v from "../../validate";
import * as wire from "./wire";

/**
 * PayPro `status` (payout answer `data.status`, payout query, notification) -> canonical status.
 *
 *   "0000"                 -> succeeded
 *   "0015"                 -> pending    (processing)
 *   any other error code   -> failed     (spec: "all others are error codes and can be treated as failures")
 *   anything unreadable    -> pending    (not a PayPro code: query again rather than guess)
 */
export const STATUS_MAP = {
  [wire.STATUS.succeeded]: "succeeded",
  [wire.STATUS.processing]: "pending",
} as const satisfies Record<wire.PayoutStatus, PaymentStatus>;

function mapStatus(status: string): PaymentStatus {
  return mapGatewayStatus(STATUS_MAP, status, wire.ERROR_CODE.test(status) ? "failed" : "pending");
}

/**
 * Our payout method -> PayPro `accountType`, and the wallet code a wallet method implies.
 * Decision: "easypaisa" and "jazzcash" are WALLET payouts to that wallet; "wallet" needs `recipient.bankCode`.
 */
const METHODS: Readonly<Record<PayoutMethod, { accountType: wire.AccountType; wallet?: (typeof wire.WALLETS)[number] }>> = {
  bank: { accountType: "BANK" },
  wallet: { accountType: "WALLET" },
  easypaisa: { accountType: "WALLET", wallet: "EASYPAISA" },
  jazzcash: { accountType: "WALLET", wallet: "JAZZCASH" },
};

const CURRENCY = "PKR";

/** What PayPro does here (payouts only), as every package reads it. */
export const CAPABILITIES: Capabilities = {
  payIn: false,
  payout: true,
  query: true,
  refund: false,
  balance: true,
  currencies: [CURRENCY],
  payInMethods: [],
  payoutMethods: ["bank", "wallet", "easypaisa", "jazzcash"],
  callbackVerification: "signature",
  callbackUrl: "per_payment",
};

/** A Pakistani mobile in any usual writing: "3xxxxxxxxx", "03xxxxxxxxx", "923xxxxxxxxx", "+923xxxxxxxxx". */
const PK_MOBILE = /^(?:\+?92|0)?(3\d{9})$/;
/** A CNIC: 13 digits, bare or as "XXXXX-XXXXXXX-X". */
const CNIC = /^(?:\d{13}|\d{5}-\d{7}-\d)$/;
/** A bank account number or IBAN, after removing spaces and dashes. */
const BANK_ACCOUNT = /^[A-Z0-9]{6,34}$/;

/**
 * PayPro (Pakistan, payouts only here): bank and wallet payouts signed with an MD5 `sign` salted with
 * the app secret, payout query, balance; signed notifications verified by signature, acknowledged with `OK`.
 */
export class PayProConnector implements PayoutConnector, BalanceConnector {
  readonly id = "paypro" as const;
  readonly capabilities = CAPABILITIES;
  private readonly http: GatewayHttp;
  private readonly merchantNo: string;
  private readonly appSecret: string;

  constructor(config: PayProConfig) {
    this.merchantNo = v.text("merchantNo", config.merchantNo, 64);
    if (typeof config.appSecret !== "string" || config.appSecret.trim() === "") {
      // The secret itself never goes into an error message.
      throw new InvalidInputError("appSecret", "a non-empty string", typeof config.appSecret === "string" ? "" : typeof config.appSecret);
    }
    this.appSecret = config.appSecret;
    this.http = new GatewayHttp(this.id, config, [this.appSecret, this.merchantNo]);
  }

  /**
   * Sends a payout to a bank account (method "bank") or a wallet ("easypaisa", "jazzcash", "wallet").
   * Everything PayPro validates strongly is checked first (whole rupees >= 1, CNIC, mobile, bank code).
   * The answer is usually `pending` (PayPro "0015"); the outcome arrives by notification or `getPayout`.
   */
  async createPayout(request: PayoutRequest): Promise<PaymentSnapshot> {
    const merchantRef = v.text("merchantRef", request.merchantRef, 64);
    const amount = v.positiveAmount("amount", request.amount, [CURRENCY]);
    const method = v.oneOf("method", request.method, Object.keys(METHODS) as PayoutMethod[]);
    const recipient = request.recipient;
    if (!recipient || typeof recipient !== "object") throw new InvalidInputError("recipient", "the payout's recipient", recipient);
    const mobile = pkMobile("recipient.mobile", recipient.mobile);
    const body: wire.PayoutBody = {
      tradeNo: merchantRef,
      // Positive and whole, so at least 1 rupee: PayPro's minimum.
      amount: amount.formatWhole("amount"),
      name: v.text("recipient.name", recipient.name, 100),
      customerCert: cnic("recipient.nationalId", recipient.nationalId),
      email: v.email("recipient.email", typeof recipient.email === "string" ? recipient.email.trim() : recipient.email),
      mobile,
      ...account(method, recipient, mobile),
      notifyUrl: v.url("callbackUrl", request.callbackUrl),
      remark: v.optionalText("remark", request.remark, 255) ?? `Payout ${merchantRef}`,
      timestamp: timestamp(),
    };
    const answer = await this.post(wire.PATHS.payout, body, merchantRef, false);
    const data = this.http.read(wire.PayoutAccepted, this.accepted(answer, "payout", merchantRef, body), "payout answer", merchantRef);
    const status = mapStatus(data.status);
    if (!data.platFormTradeNo) {
      // Nothing to track at PayPro: a failure status is a plain refusal, anything else an unreadable answer.
      if (status === "failed") throw this.http.declined(`payout ${merchantRef} refused: ${data.desc ?? data.status}`, data.status);
      throw new OutcomeUnknownError(`paypro accepted payout ${merchantRef} without a platFormTradeNo; query it by merchantRef`, merchantRef, { gateway: this.id });
    }
    // A created payout whose status is already an error code is a snapshot with status "failed", not an exception.
    return { gateway: this.id, merchantRef, gatewayRef: data.platFormTradeNo, status, gatewayStatus: data.status, amount };
  }

  /** Asks PayPro for a payout's status by `merchantRef` (`queryPayOutResult`). */
  async getPayout(ref: PaymentRef): Promise<PaymentSnapshot> {
    const merchantRef = v.text("merchantRef", ref?.merchantRef, 64);
    const body: wire.PayoutQueryBody = { tradeNo: merchantRef, timestamp: timestamp() };
    const answer = await this.post(wire.PATHS.payoutQuery, body, merchantRef, true);
    const data = this.http.read(wire.PayoutQueried, this.accepted(answer, "payout query", merchantRef), "payout query answer", merchantRef);
    if (data.tradeNo !== merchantRef || (ref.gatewayRef && ref.gatewayRef !== data.platFormTradeNo)) {
      throw new OutcomeUnknownError(
        `paypro answered the query for ${merchantRef} about another payout (${data.tradeNo} / ${data.platFormTradeNo})`,
        merchantRef,
        { gateway: this.id },
      );
    }
    return {
      gateway: this.id,
      merchantRef,
      gatewayRef: data.platFormTradeNo,
      status: mapStatus(data.status),
      gatewayStatus: data.status,
      amount: this.answerMoney(data.amount, "amount", merchantRef),
    };
  }

  /** The merchant's PayPro balance: available for payouts, frozen, and collected but unsettled (PKR). */
  async getBalance(): Promise<Balance> {
    const body: wire.BalanceQueryBody = { timestamp: timestamp() };
    const answer = await this.post(wire.PATHS.balance, body, undefined, true);
    const data = this.http.read(wire.BalanceData, this.accepted(answer, "balance"), "balance answer");
    return {
      gateway: this.id,
      available: this.answerMoney(data.availableAmount, "availableAmount"),
      ...(data.freezeAmount === undefined ? {} : { frozen: this.answerMoney(data.freezeAmount, "freezeAmount") }),
      ...(data.unsettledAmount === undefined ? {} : { collected: this.answerMoney(data.unsettledAmount, "unsettledAmount") }),
    };
  }

  /** Parses a payout notification without trusting it (PayPro notifications are always about payouts here). */
  parseCallback(input: CallbackInput): CallbackEvent {
    return parseCallback(input);
  }

  /**
   * Checks the URL token, then PayPro's MD5 `sign` over the body's fields (constant-time), then that
   * the notification names this payout (and its gatewayRef when known) with its amount and currency,
   * then asks PayPro (`queryPayOutResult`): the query must report the same payout, amount and status.
   * A query still showing another status is a `status_mismatch` (the caller may retry: lookups lag).
   * No timestamp window: PayPro retries for 24 hours, and a replay only repeats a signed status.
   */
  async verifyCallback(input: CallbackInput, expected: CallbackExpectation): Promise<VerifiedCallback> {
    checkCallbackToken(this.id, expected.token);
    const event = this.parseCallback(input);
    const received = String(event.raw.sign).toLowerCase();
    if (!safeEqual(wire.sign(event.raw, this.appSecret), received)) {
      throw new VerificationError(`${this.id} callback signature does not match (is appSecret right?)`, "bad_signature", { gateway: this.id });
    }
    if (expected.gatewayRef && event.gatewayRef !== expected.gatewayRef) {
      throw new VerificationError(
        `${this.id} callback names payout ${JSON.stringify(event.gatewayRef)}, not ${JSON.stringify(expected.gatewayRef)}`,
        "reference_mismatch",
        { gateway: this.id },
      );
    }
    checkIntegrity(event, expected);
    const confirmed = await confirmOrder(this.id, () =>
      this.getPayout({ merchantRef: expected.merchantRef, ...(event.gatewayRef ? { gatewayRef: event.gatewayRef } : {}) }),
    );
    checkIntegrity({ gateway: this.id, merchantRef: confirmed.merchantRef, ...(confirmed.amount ? { amount: confirmed.amount } : {}) }, expected);
    if (confirmed.status !== event.status) {
      throw new VerificationError(
        `${this.id} notification says ${event.gatewayStatus} but the payout query says ${confirmed.gatewayStatus}`,
        "status_mismatch",
        { gateway: this.id },
      );
    }
    return { ...event, verifiedBy: "signature+query" };
  }

  /** PayPro stops retrying on the plaintext `OK`. */
  callbackReply(accepted: boolean): CallbackReply {
    return callbackReply(accepted);
  }

  /** Asks for the balance: the cheapest signed call, proving the merchantNo and the appSecret together. */
  async checkCredentials(): Promise<void> {
    try {
      await this.getBalance();
    } catch (error) {
      if (!(error instanceof DeclinedError)) throw error;
      const field = /sign/i.test(error.message) ? "appSecret" : "merchantNo";
      throw new InvalidInputError(field, `the merchantNo and appSecret of one PayPro merchant (it answered: ${error.message})`, undefined, { gateway: this.id, cause: error });
    }
  }

  /** Signs `fields`, sends them with the merchantNo header. */
  private post(path: string, fields: Record<string, string>, merchantRef: string | undefined, idempotent: boolean): Promise<GatewayAnswer> {
    return this.http.send({
      method: "POST",
      path,
      headers: { [wire.MERCHANT_HEADER]: this.merchantNo },
      body: { ...fields, sign: wire.sign(fields, this.appSecret) },
      idempotent,
      ...(merchantRef === undefined ? {} : { merchantRef }),
    });
  }

  /**
   * Unwraps `{msg, code, success, data}`: code "0000" gives `data`; a refused field is an
   * InvalidInputError on our field; any other code is PayPro's refusal (DeclinedError).
   */
  private accepted(answer: GatewayAnswer, what: string, merchantRef?: string, sent?: Record<string, string>): unknown {
    const env = this.http.read(wire.Envelope, answer.body, `${what} answer`, merchantRef);
    const refused = env.success === false || env.success === "false" || answer.status >= 400;
    if (env.code === wire.ACCEPTED_CODE && !refused) return env.data;
    if (env.code === wire.ACCEPTED_CODE) {
      throw new OutcomeUnknownError(`paypro answered ${what} with code 0000 but HTTP ${answer.status} / success ${String(env.success)}`, merchantRef, { gateway: this.id });
    }
    const field = wire.FIELD_ERROR_CODES[env.code];
    if (field) {
      throw new InvalidInputError(field.field, `a value PayPro accepts (PayPro ${env.code}: ${env.msg ?? "refused"})`, sent?.[field.wire], { gateway: this.id });
    }
    throw this.http.declined(`${what} refused: ${env.msg ?? "no message"}`, env.code);
  }

  /** An amount PayPro reported; an unreadable one makes the answer unreadable, not the caller's input wrong. */
  private answerMoney(text: string, field: string, merchantRef?: string): Money {
    try {
      return Money.parse(text, CURRENCY, field);
    } catch (cause) {
      throw new OutcomeUnknownError(`paypro sent an unreadable ${field} ${JSON.stringify(text)}`, merchantRef, { gateway: this.id, cause });
    }
  }
}

/** PayPro's `timestamp`: milliseconds since the epoch, as a string. */
function timestamp(): string {
  return String(Date.now());
}

/** Decision: any usual writing of a Pakistani mobile is accepted and sent as PayPro's 10 digits "3xxxxxxxxx". */
function pkMobile(field: string, value: unknown): string {
  const compact = typeof value === "string" ? value.replace(/[\s-]/g, "") : value;
  const match = typeof compact === "string" ? PK_MOBILE.exec(compact) : null;
  if (!match?.[1]) throw new InvalidInputError(field, 'a Pakistani mobile number: "3001234567", "03001234567" or "+923001234567"', value);
  return match[1];
}

/** A CNIC with or without its dashes, sent as 13 digits. */
function cnic(field: string, value: unknown): string {
  const text = typeof value === "string" ? value.trim() : value;
  if (typeof text !== "string" || !CNIC.test(text)) throw new InvalidInputError(field, 'a CNIC of 13 digits ("1730123456789" or "17301-2345678-9")', value);
  return text.replace(/-/g, "");
}

/** `accountType`, `bankName` and `bankNumber` for a method. A wallet's number defaults to the recipient's mobile. */
function account(method: PayoutMethod, recipient: Recipient, mobile: string): Pick<wire.PayoutBody, "accountType" | "bankName" | "bankNumber"> {
  const { accountType, wallet } = METHODS[method];
  const code = typeof recipient.bankCode === "string" ? recipient.bankCode.trim().toUpperCase() : recipient.bankCode;
  const given = code !== undefined && code !== null && code !== "";
  if (accountType === "BANK") {
    if (typeof code !== "string" || !(wire.BANKS as readonly string[]).includes(code)) {
      throw new InvalidInputError("recipient.bankCode", "a bank code from PayPro's bank list (PAYPRO_BANKS, e.g. ALLIED_BANK_LIMITED)", recipient.bankCode);
    }
    const number = typeof recipient.accountNumber === "string" ? recipient.accountNumber.replace(/[\s-]/g, "").toUpperCase() : recipient.accountNumber;
    if (typeof number !== "string" || !BANK_ACCOUNT.test(number)) {
      throw new InvalidInputError("recipient.accountNumber", "a bank account number or IBAN (6 to 34 letters and digits)", recipient.accountNumber);
    }
    return { accountType, bankName: code, bankNumber: number };
  }
  const allowed: readonly string[] = wallet ? [wallet] : wire.WALLETS;
  if (!(wallet && !given) && (typeof code !== "string" || !allowed.includes(code))) {
    throw new InvalidInputError("recipient.bankCode", `one of ${allowed.join(", ")} for method ${method}`, recipient.bankCode);
  }
  const bankName = wallet && !given ? wallet : (code as string);
  const walletNumber = recipient.accountNumber === undefined || recipient.accountNumber === "" ? mobile : pkMobile("recipient.accountNumber", recipient.accountNumber);
  return { accountType, bankName, bankNumber: walletNumber };
}

/** Parses a payout notification without trusting it and without credentials (PayPro notifications are always about payouts here). */
export function parseCallback(input: CallbackInput): CallbackEvent {
  const id = "paypro";
  const raw = bodyJson(id, input);
  const notification = readCallback(id, wire.Notification, raw);
  let amount: Money;
  try {
    amount = Money.parse(notification.amount, CURRENCY, "amount");
  } catch (cause) {
    throw new VerificationError(`${id} callback: amount ${JSON.stringify(notification.amount)} is not an amount of PKR`, "malformed", { gateway: id, cause });
  }
  return {
    gateway: id,
    kind: "payout",
    merchantRef: notification.tradeNo,
    gatewayRef: notification.platFormTradeNo,
    status: mapStatus(notification.status),
    gatewayStatus: notification.status,
    amount,
    raw,
  };
}

/** PayPro stops retrying on the plaintext `OK`. */
export function callbackReply(accepted: boolean): CallbackReply {
  return accepted ? { status: 200, contentType: "text/plain", body: "OK" } : { status: 400, contentType: "text/plain", body: "FAIL" };
}
