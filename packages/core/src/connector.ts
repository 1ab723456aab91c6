import type { Money, Currency } from "./money";
import type { PaymentStatus } from "./status";
import type { CallbackEvent, CallbackInput, CallbackKind, CallbackReply, CallbackExpectation, VerifiedCallback } from "./callback";

import type { GatewayId } from "./registry";
import type { PayInInstrument } from "./instrument";

export type { GatewayId };

/** How a shopper pays: a wallet, a card, a cash kiosk, a QR code. */
export type PayInMethod = "easypaisa" | "jazzcash" | "card" | "kiosk" | "fawry" | "wallet" | "valu" | "qr";
/** Where a payout lands. */
export type PayoutMethod = "easypaisa" | "jazzcash" | "bank" | "wallet";

/** What a connector can do; operations it lacks are absent from its type and a CapabilityError at run time. */
export interface Capabilities {
  readonly payIn: boolean;
  readonly payout: boolean;
  readonly query: boolean;
  readonly refund: boolean;
  readonly balance: boolean;
  readonly currencies: readonly Currency[];
  readonly payInMethods: readonly PayInMethod[];
  readonly payoutMethods: readonly PayoutMethod[];
  /** "signature" when the gateway signs callbacks, "query" when core must ask the gateway back. */
  readonly callbackVerification: "signature" | "query";
  /**
   * Where the gateway posts callbacks: "per_payment" when each request carries its own callback URL
   * (with its token in the path), "dashboard" when one URL is set in the gateway's dashboard
   * (`<service>/callbacks/<gateway>`) and the body names the payment.
   */
  readonly callbackUrl: "per_payment" | "dashboard";
  /** What each pay-in method hands the shopper (page, bill, QR) and how long it stays payable; unlisted methods are pages. */
  readonly payInInstruments?: { readonly [M in PayInMethod]?: PayInInstrument };
}

/** The person paying. */
export interface Customer {
  name: string;
  email?: string;
  /** Phone or mobile-wallet number in the gateway's local format ("03001234567", "+201119045759"). */
  phone?: string;
}

/** A request to take money from a shopper. */
export interface PayInRequest {
  /** Your unique reference for this payment (order or session id); the gateway echoes it back. */
  merchantRef: string;
  amount: Money;
  method: PayInMethod;
  customer: Customer;
  /** Where the gateway posts its result; should carry a per-payment token (see `createCallbackToken`). */
  callbackUrl: string;
  /** Where the shopper lands after the gateway's page. */
  returnUrl?: string;
  description?: string;
  /**
   * The per-payment callback token, for gateways whose callback URL is fixed in their dashboard
   * (XPay EG): the connector sends it inside the request so the callback echoes it back.
   */
  callbackToken?: string;
}

/** What the shopper must do next to pay. */
export type NextAction =
  | { type: "redirect"; url: string }
  | { type: "iframe"; url: string }
  | { type: "qr"; url: string; qrData: string }
  | { type: "kiosk"; billReference: string; url?: string }
  | { type: "none" };

/** A gateway's view of one payment or payout, mapped to the canonical model. */
export interface PaymentSnapshot {
  gateway: GatewayId;
  merchantRef: string;
  /** The gateway's own id for it. */
  gatewayRef: string;
  status: PaymentStatus;
  /** The gateway's status exactly as sent, for the timeline. */
  gatewayStatus: string;
  /** The amount the gateway reports, when it reports one. */
  amount?: Money;
}

/** A pay-in just created: its snapshot and how the shopper goes on. */
export interface PayIn extends PaymentSnapshot {
  nextAction: NextAction;
}

/** Identifies a payment to a gateway: your reference, and the gateway's when you have it. */
export interface PaymentRef {
  merchantRef: string;
  gatewayRef?: string;
  /**
   * The payment's currency, as stored: gateways whose lookup may not name one (XPay EG) read the
   * amount in it. Pass it whenever you have it: without it they fall back to their default (EGP).
   */
  currency?: Currency;
}

/** Who receives a payout. Which fields are required depends on the gateway and method. */
export interface Recipient {
  name: string;
  /** Wallet or mobile number ("03112233445" for Xpress Pay, "3115112345" for PayPro). */
  mobile?: string;
  email?: string;
  /** National identity number (PayPro: CNIC, 13 digits). */
  nationalId?: string;
  /** Bank code from the gateway's bank list (PayPro `bankName`). */
  bankCode?: string;
  /** Bank account or wallet account number. */
  accountNumber?: string;
}

/** A request to send money out of the merchant's balance. */
export interface PayoutRequest {
  merchantRef: string;
  amount: Money;
  method: PayoutMethod;
  recipient: Recipient;
  callbackUrl: string;
  remark?: string;
}

/** A merchant balance at the gateway. */
export interface Balance {
  gateway: GatewayId;
  /** What can be paid out now. */
  available: Money;
  /** Collected from pay-ins, when the gateway reports it separately. */
  collected?: Money;
  /** Held back (frozen, disputed), when reported. */
  frozen?: Money;
}

/** A refund of a succeeded pay-in. */
export interface RefundRequest extends PaymentRef {
  amount: Money;
}

/** Options every connector takes besides its credentials. */
export interface ConnectorOptions {
  /** The gateway's base URL: its live or staging host, or `http://127.0.0.1:4010/<id>` for the sandbox. */
  baseUrl: string;
  /** Per-request timeout in milliseconds (default 15000). */
  timeoutMs?: number;
  /** Receives one redacted line per gateway call; secrets never reach it. */
  logger?: Logger;
}

/** The logging shape core writes to (pino's is compatible). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** What every connector has. */
export interface ConnectorBase {
  readonly id: GatewayId;
  readonly capabilities: Capabilities;
  /** Parses a callback without trusting it: enough to find the payment it claims to be about. */
  parseCallback(input: CallbackInput, kind?: CallbackKind): CallbackEvent;
  /** Verifies a callback against the stored payment (signature or query-back, token, amount); throws VerificationError. */
  verifyCallback(input: CallbackInput, expected: CallbackExpectation): Promise<VerifiedCallback>;
  /** The HTTP answer the gateway expects: accepted stops its retries, rejected asks for a retry. */
  callbackReply(accepted: boolean): CallbackReply;
  /**
   * Proves the credentials with the gateway's cheapest authenticated call (balance, login, a lookup);
   * throws InvalidInputError naming the credential when the gateway refuses them.
   */
  checkCredentials(): Promise<void>;
}

/** A connector that takes pay-ins. */
export interface PayInConnector extends ConnectorBase {
  createPayIn(request: PayInRequest): Promise<PayIn>;
  getPayIn(ref: PaymentRef): Promise<PaymentSnapshot>;
}

/** A connector that sends payouts. */
export interface PayoutConnector extends ConnectorBase {
  createPayout(request: PayoutRequest): Promise<PaymentSnapshot>;
  getPayout(ref: PaymentRef): Promise<PaymentSnapshot>;
}

/** A connector that reports a balance. */
export interface BalanceConnector extends ConnectorBase {
  getBalance(): Promise<Balance>;
}

/** A connector that refunds pay-ins. */
export interface RefundConnector extends ConnectorBase {
  refund(request: RefundRequest): Promise<PaymentSnapshot>;
}

/** Any connector. */
export type Connector = ConnectorBase & Partial<PayInConnector & PayoutConnector & BalanceConnector & RefundConnector>;
