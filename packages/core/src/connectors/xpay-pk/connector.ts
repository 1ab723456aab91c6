import { bodyJson, jsonCallbackReply, checkCallbackToken, checkIntegrity, header, hmacSha256Hex, readCallback, safeEqual, type CallbackEvent, type CallbackExpectation, type CallbackInput, type CallbackReply, type VerifiedCallback } from "../../callback";
import type { Capabilities, Customer, PayIn, PayInConnector, PayInRequest, PaymentRef, PaymentSnapshot } from "../../connector";
import { DeclinedError, InvalidInputError, OutcomeUnknownError, VerificationError, type XpayError } from "../../errors";
import { GatewayHttp, type GatewayAnswer } from "../../http";
import { CARD_CVC, CARD_EXPIRY_MONTH, CARD_EXPIRY_YEAR, cardDigits, isCardNumber } from "../../cards";
import { Money } from "../../money";
import { mapGatewayStatus, type PaymentStatus } from "../../status";
import type { XpayPkConfig } from "./gateway";
import * as v from "../../validate";
import * as wire from "./wire";

/** XPay `pi_status` -> canonical status. Anything else stays pending. */
export const STATUS_MAP = {
  requires_payment_method: "pending", // created, no card yet
  requires_confirmation: "pending",
  processing: "pending",
  requires_action: "requires_action", // 3-D Secure challenge open
  requires_capture: "authorized", // manual capture_method, card authorized
  succeeded: "succeeded",
  failed: "failed",
  canceled: "canceled",
  cancelled: "canceled",
} as const satisfies Record<wire.IntentStatus, PaymentStatus>;

/** XPay payment answer `status` ("Payment Captured" / "Payment Fail") -> canonical status. Anything else stays pending. */
export const PAYMENT_STATUS_MAP = {
  PAYMENT_CAPTURED: "succeeded",
  PAYMENT_AUTHORIZED: "authorized",
  PAYMENT_FAILED: "failed",
} as const satisfies Record<wire.PaymentResultStatus, PaymentStatus>;

const GATEWAY = "xpay-pk" as const;
type Failure = Exclude<wire.Shape, { kind: "ok" } | { kind: "unreadable" }>;
/** What a failing call was about: the field that named the intent (or token) the gateway could not find. */
interface FailureContext {
  what: string;
  lookup: { field: string; value?: string };
}

/** Each failure shape of spec 002 -> the typed error it becomes (why, in one line each). */
export const FAILURES: { [K in Failure["kind"]]: (failure: Extract<Failure, { kind: K }>, context: FailureContext) => XpayError } = {
  // The bank said no: final for this attempt, with the gateway's own status as the code.
  payment_fail: (f, c) =>
    new DeclinedError(`${GATEWAY}: ${c.what} declined: ${f.result.message ?? f.result.last_payment_response?.message ?? "payment failed"}`, f.result.last_payment_response?.status ?? f.result.status ?? "PAYMENT_FAILED", { gateway: GATEWAY }),
  // The card data itself was refused (number, expiry, CVC): nothing was charged; fix the card and retry.
  invalid_card: (f) => new InvalidInputError("card", `card details XPay accepts (${f.message})`, undefined, { gateway: GATEWAY }),
  // HTTP 404 in `error.statusCode`: the reference we sent names no intent (or saved card).
  invalid_payment_intent: (f, c) => new InvalidInputError(c.lookup.field, `an existing XPay ${c.lookup.field === "token" ? "saved card token" : "payment intent"} (${f.message})`, c.lookup.value, { gateway: GATEWAY }),
  // capture() turns this into the intent's snapshot when a query confirms it succeeded (a retried capture is a success).
  already_captured: (f) => new DeclinedError(`${GATEWAY}: ${f.message}`, "already_captured", { gateway: GATEWAY }),
  // Key, account id or request signature refused: configuration to fix, nothing happened.
  unauthorized: (f) => new InvalidInputError("credentials", `the apiKey, accountId and hmacSecret of one XPay account (${f.message})`, undefined, { gateway: GATEWAY }),
  // 400 is the gateway's own validation; anything else is a refusal of this request.
  refused: (f) =>
    f.statusCode === 400
      ? new InvalidInputError(fieldOf(f.message), `a value XPay accepts (${f.message})`, undefined, { gateway: GATEWAY })
      : new DeclinedError(`${GATEWAY}: ${f.message}`, String(f.statusCode), { gateway: GATEWAY }),
};


/** A request to create a payment intent: a pay-in request without the method, plus how to capture. */
export interface XpayPkIntentRequest extends Omit<PayInRequest, "method" | "callbackUrl"> {
  /** Only "card": the spec's shapes are card shapes. */
  method?: "card";
  /** Ignored: XPay posts webhooks to the URL set in its dashboard. */
  callbackUrl?: string;
  /** "automatic" (default) charges at confirmation; "manual" authorizes and waits for `capture`. */
  captureMethod?: wire.CaptureMethod;
}

/** A payment intent as XPay reports it. */
export interface XpayPkIntent extends PaymentSnapshot {
  /** `pi_client_secret`: confirms and captures this intent. A secret: never log or show it. */
  clientSecret?: string;
  captureMethod: string;
  /** The hosted checkout page. */
  checkoutPageUrl?: string;
  /** Public key for the client-side card element. */
  encryptionKey?: string;
  /** A saved card's token, once a card was saved on this intent (a secret). */
  savedCardToken?: string;
}

/** Names one intent for confirm and capture (what `createIntent` answered). */
export interface XpayPkIntentRef {
  merchantRef: string;
  gatewayRef: string;
  /** The intent's `pi_client_secret`. */
  clientSecret: string;
}

/** Card data for a server-side confirm. */
export interface XpayPkCard {
  number: string;
  /** "01".."12". */
  expiryMonth: string;
  /** Four digits. */
  expiryYear: string;
  cvc: string;
  holderName: string;
}

/** Confirm an intent with a card. */
export interface XpayPkConfirmRequest extends XpayPkIntentRef {
  card: XpayPkCard;
  /** Ask XPay to save the card and answer a token for `captureWithToken`. */
  saveCard?: boolean;
}

/** What a confirm answered. */
export interface XpayPkConfirmation extends PaymentSnapshot {
  /** When `requires_action`: the bank's 3-D Secure challenge page (HTML that sends the shopper on) to show the shopper. */
  threeDSecureHtml?: string;
  /** The saved card's token, when `saveCard` was asked and the card was charged (a secret). */
  savedCardToken?: string;
}

/** A one-call payment with a saved card. */
export interface XpayPkTokenPaymentRequest {
  merchantRef: string;
  amount: Money;
  /** The saved card token (from a confirm with `saveCard`). */
  token: string;
  customer: Customer;
  description?: string;
  callbackToken?: string;
}

const PK_MOBILE = /^(03\d{9}|\+923\d{9})$/;

/**
 * XPay by XStak (Pakistan): payment intents with a hosted checkout page, server-side card confirm
 * with 3-D Secure, manual capture, payments with saved cards; HMAC-signed requests and webhooks.
 */
/** What XPay PK does, as every package reads it. */
export const CAPABILITIES: Capabilities = {
  payIn: true,
  payout: false,
  query: true,
  refund: false,
  balance: false,
  currencies: wire.CURRENCIES,
  payInMethods: ["card"],
  payoutMethods: [],
  callbackVerification: "signature",
  callbackUrl: "dashboard",
};

export class XpayPkConnector implements PayInConnector {
  readonly id = GATEWAY;
  readonly capabilities = CAPABILITIES;
  private readonly http: GatewayHttp;
  private readonly apiKey: string;
  private readonly accountId: string;
  private readonly hmacSecret: string;
  private readonly webhookSecret: string;

  constructor(config: XpayPkConfig) {
    this.apiKey = v.text("apiKey", config.apiKey, 512);
    this.accountId = v.text("accountId", config.accountId, 512);
    this.hmacSecret = v.text("hmacSecret", config.hmacSecret, 512);
    this.webhookSecret = v.text("webhookSecret", config.webhookSecret, 512);
    this.http = new GatewayHttp(this.id, config, [this.apiKey, this.accountId, this.hmacSecret, this.webhookSecret]);
  }

  /** Creates a card payment intent; the shopper pays on XPay's hosted page at `nextAction.url`. */
  async createPayIn(request: PayInRequest): Promise<PayIn> {
    v.oneOf("method", request.method, ["card"] as const);
    const intent = await this.createIntent({ ...request, method: "card" });
    if (!intent.checkoutPageUrl) {
      throw new OutcomeUnknownError(`${this.id} created intent ${intent.gatewayRef} without a checkout_page_url`, intent.merchantRef, { gateway: this.id });
    }
    return {
      gateway: this.id,
      merchantRef: intent.merchantRef,
      gatewayRef: intent.gatewayRef,
      status: intent.status,
      gatewayStatus: intent.gatewayStatus,
      amount: intent.amount,
      nextAction: { type: "redirect", url: intent.checkoutPageUrl },
    };
  }

  /** Retrieves a pay-in by its intent id (`gatewayRef`): XPay cannot look intents up by order reference. */
  async getPayIn(ref: PaymentRef): Promise<PaymentSnapshot> {
    const gatewayRef = v.text("gatewayRef", ref.gatewayRef, 128);
    const intent = await this.retrieveIntent(gatewayRef, ref.merchantRef);
    return snapshotOf(intent);
  }

  /** Creates a payment intent (POST, signed); answers its id, client secret and hosted page. */
  async createIntent(request: XpayPkIntentRequest): Promise<XpayPkIntent> {
    const merchantRef = v.text("merchantRef", request.merchantRef, 64);
    const amount = v.positiveAmount("amount", request.amount, wire.CURRENCIES);
    if (request.method !== undefined) v.oneOf("method", request.method, ["card"] as const);
    const callbackToken = v.optionalText("callbackToken", request.callbackToken, 256);
    const description = v.optionalText("description", request.description, 255);
    const returnUrl = request.returnUrl === undefined || request.returnUrl === "" ? undefined : v.url("returnUrl", request.returnUrl);
    const body: wire.CreateIntentBody = {
      amount: wire.toWireAmount(amount),
      currency: amount.currency,
      payment_method_types: "card",
      customer: customerOf(request.customer),
      ...(description ? { description } : {}),
      metadata: { order_reference: merchantRef, ...(callbackToken ? { [wire.CALLBACK_TOKEN_KEY]: callbackToken } : {}) },
      capture_method: request.captureMethod === undefined ? "automatic" : v.oneOf("captureMethod", request.captureMethod, wire.CAPTURE_METHODS),
      ...(returnUrl ? { return_url: returnUrl } : {}),
    };
    const answer = await this.post(wire.PATHS.createIntent, body, { merchantRef });
    const data = this.ok(answer, { what: "intent create", lookup: { field: "merchantRef", value: merchantRef } }, merchantRef);
    return intentOf(this.http.read(wire.Intent, data, "intent", merchantRef), merchantRef);
  }

  /** Retrieves an intent by its id. */
  async retrieveIntent(gatewayRef: string, merchantRef?: string): Promise<XpayPkIntent> {
    const id = v.text("gatewayRef", gatewayRef, 128);
    const answer = await this.http.send({ method: "GET", path: wire.intentDetailsPath(id), headers: this.headers(), idempotent: true, merchantRef });
    const data = this.ok(answer, { what: "intent details", lookup: { field: "gatewayRef", value: id } }, merchantRef);
    return intentOf(this.http.read(wire.Intent, data, "intent details", merchantRef), merchantRef);
  }

  /**
   * Confirms an intent with a card. Answers `succeeded` (charged), `authorized` (manual capture),
   * or `requires_action` with the 3-D Secure challenge in `threeDSecureHtml`; a decline is a DeclinedError.
   */
  async confirmIntent(request: XpayPkConfirmRequest): Promise<XpayPkConfirmation> {
    const ref = intentRef(request);
    const body: wire.ConfirmBody = {
      payment_method_types: "card",
      payment_method: { card: cardOf(request.card) },
      save_payment_method: request.saveCard === true,
    };
    const answer = await this.post(wire.PATHS.confirmIntent, body, { merchantRef: ref.merchantRef, clientSecret: ref.clientSecret });
    const data = this.ok(answer, { what: "confirm", lookup: { field: "clientSecret" } }, ref.merchantRef);
    const intent = wire.Intent.safeParse(data);
    if (intent.success) {
      const snapshot = snapshotOf(intentOf(intent.data, ref.merchantRef));
      const html = snapshot.status === "requires_action" ? intent.data.html_response ?? undefined : undefined;
      return { ...snapshot, ...(html ? { threeDSecureHtml: html } : {}) };
    }
    const result = this.http.read(wire.PaymentResult, data, "confirm answer", ref.merchantRef);
    const token = result.token || result.last_payment_response?.token || undefined;
    return { ...paymentSnapshot(ref, result), ...(token ? { savedCardToken: token } : {}) };
  }

  /**
   * Captures a manually captured intent in full. A capture the gateway says is already done is a
   * success when retrieving the intent confirms it succeeded (so a retried capture is safe).
   */
  async capture(request: XpayPkIntentRef): Promise<PaymentSnapshot> {
    const ref = intentRef(request);
    const context: FailureContext = { what: "capture", lookup: { field: "clientSecret" } };
    const answer = await this.post(wire.PATHS.capture, {}, { merchantRef: ref.merchantRef, clientSecret: ref.clientSecret });
    const shape = wire.classify(answer.status, answer.body);
    if (shape.kind === "already_captured") {
      const intent = await this.retrieveIntent(ref.gatewayRef, ref.merchantRef);
      if (intent.status === "succeeded") return snapshotOf(intent);
      throw FAILURES.already_captured(shape, context);
    }
    const data = this.ok(answer, context, ref.merchantRef);
    return paymentSnapshot(ref, this.http.read(wire.PaymentResult, data, "capture answer", ref.merchantRef));
  }

  /** Charges a saved card in one call (a new intent, captured); an unknown token is an InvalidInputError on `token`. */
  async captureWithToken(request: XpayPkTokenPaymentRequest): Promise<PaymentSnapshot> {
    const merchantRef = v.text("merchantRef", request.merchantRef, 64);
    const amount = v.positiveAmount("amount", request.amount, wire.CURRENCIES);
    const token = v.text("token", request.token, 512);
    const callbackToken = v.optionalText("callbackToken", request.callbackToken, 256);
    const description = v.optionalText("description", request.description, 255);
    const body: wire.TokenizedPaymentBody = {
      amount: wire.toWireAmount(amount),
      currency: amount.currency,
      token,
      customer: customerOf(request.customer),
      ...(description ? { description } : {}),
      metadata: { order_reference: merchantRef, ...(callbackToken ? { [wire.CALLBACK_TOKEN_KEY]: callbackToken } : {}) },
    };
    const answer = await this.post(wire.PATHS.tokenizedPayment, body, { merchantRef });
    const data = this.ok(answer, { what: "tokenized payment", lookup: { field: "token" } }, merchantRef);
    return snapshotOf(intentOf(this.http.read(wire.Intent, data, "tokenized payment", merchantRef), merchantRef));
  }

  /** Parses a webhook without trusting it: enough to find the payment (its `metadata.order_reference`). */
  parseCallback(input: CallbackInput): CallbackEvent {
    return readWebhook(input).event;
  }

  /**
   * Verifies a webhook: the per-payment token (from the URL, or echoed in `metadata.callback_token`
   * since the webhook URL is a dashboard setting), the `X-Signature` HMAC over the raw body, then
   * reference, intent id, amount and currency against the stored payment; then retrieves the intent:
   * XPay's own answer must name the same order and amount and show the status the webhook claims
   * (another status is a `status_mismatch`, which the caller may retry: lookups lag).
   */
  async verifyCallback(input: CallbackInput, expected: CallbackExpectation): Promise<VerifiedCallback> {
    const { event, hook } = readWebhook(input);
    const echoed = hook.metadata.callback_token ?? undefined;
    checkCallbackToken(this.id, expected.token && { expected: expected.token.expected, received: expected.token.received ?? echoed });
    const signature = header(input, wire.WEBHOOK_SIGNATURE_HEADER)?.trim().toLowerCase() ?? "";
    // Over the exact bytes received: a body that is not valid UTF-8 must not be re-encoded before the check.
    if (!safeEqual(hmacSha256Hex(this.webhookSecret, input.rawBody), signature)) {
      throw new VerificationError(`${this.id} webhook: X-Signature is missing or does not match the body`, "bad_signature", { gateway: this.id });
    }
    checkIntegrity(event, expected);
    if (expected.gatewayRef && expected.gatewayRef !== event.gatewayRef) {
      throw new VerificationError(`${this.id} webhook names intent ${event.gatewayRef}, not ${expected.gatewayRef}`, "reference_mismatch", { gateway: this.id });
    }
    const intent = await this.lookupForWebhook(event.gatewayRef as string, expected.merchantRef);
    checkIntegrity({ gateway: this.id, merchantRef: intent.merchantRef, ...(intent.amount ? { amount: intent.amount } : {}) }, expected);
    if (intent.status !== event.status) {
      throw new VerificationError(`${this.id} webhook says ${event.gatewayStatus} but the intent is ${intent.gatewayStatus}`, "status_mismatch", { gateway: this.id });
    }
    return { ...event, verifiedBy: "signature+query" };
  }

  /** Any 2xx stops XPay's retries; we answer 200 to accept and 400 to ask for a retry. */
  callbackReply(accepted: boolean): CallbackReply {
    return jsonCallbackReply(accepted);
  }

  /** Looks up an intent that cannot exist: "not found" proves the apiKey and accountId, "unauthorized" refuses them. */
  async checkCredentials(): Promise<void> {
    try {
      await this.retrieveIntent("xpay-connect-credentials-check");
    } catch (error) {
      if (error instanceof InvalidInputError && error.field === "gatewayRef") return;
      if (error instanceof InvalidInputError && error.field === "credentials") {
        throw new InvalidInputError("apiKey", `the apiKey and accountId of one XPay account (${error.expected})`, undefined, { gateway: GATEWAY, cause: error });
      }
      throw error;
    }
  }


  /** The intent a webhook names, as XPay reports it; an intent XPay does not know makes the webhook unverifiable. */
  private async lookupForWebhook(gatewayRef: string, merchantRef: string): Promise<XpayPkIntent> {
    try {
      return await this.retrieveIntent(gatewayRef, merchantRef);
    } catch (error) {
      if (error instanceof InvalidInputError && error.field === "gatewayRef") {
        throw new VerificationError(`${this.id} does not know intent ${gatewayRef}`, "unknown_payment", { gateway: this.id, cause: error });
      }
      throw error;
    }
  }

  private headers(body?: string): Record<string, string> {
    return {
      [wire.HEADERS.apiKey]: this.apiKey,
      [wire.HEADERS.accountId]: this.accountId,
      ...(body === undefined ? {} : { [wire.HEADERS.signature]: hmacSha256Hex(this.hmacSecret, body) }),
    };
  }

  /** A signed POST: `x-signature` is the HMAC of exactly the JSON that is sent. */
  private post(path: string, body: object, options: { merchantRef: string; clientSecret?: string }): Promise<GatewayAnswer> {
    return this.http.send({
      method: "POST",
      path,
      body,
      headers: this.headers(JSON.stringify(body)),
      ...(options.clientSecret ? { query: { pi_client_secret: options.clientSecret } } : {}),
      merchantRef: options.merchantRef,
    });
  }

  /** The answer's `data` when it is a success shape; the failure table's typed error otherwise. */
  private ok(answer: GatewayAnswer, context: FailureContext, merchantRef: string | undefined): unknown {
    const shape = wire.classify(answer.status, answer.body);
    if (shape.kind === "ok") return shape.data;
    if (shape.kind === "unreadable") {
      throw new OutcomeUnknownError(`${this.id} sent an unreadable ${context.what} answer (HTTP ${answer.status})`, merchantRef, { gateway: this.id });
    }
    throw (FAILURES[shape.kind] as (f: Failure, c: FailureContext) => XpayError)(shape, context);
  }
}

function mapStatus(piStatus: string): PaymentStatus {
  return mapGatewayStatus(STATUS_MAP, piStatus);
}

function intentOf(data: wire.Intent, merchantRef: string | undefined): XpayPkIntent {
  const token = data.token || data.last_payment_response?.token || undefined;
  return {
    gateway: GATEWAY,
    merchantRef: data.metadata?.order_reference || merchantRef || "",
    gatewayRef: data._id,
    status: mapStatus(data.pi_status),
    gatewayStatus: data.pi_status,
    amount: Money.ofMinor(data.amount, data.currency, "amount"),
    captureMethod: data.capture_method || "automatic",
    ...(data.pi_client_secret ? { clientSecret: data.pi_client_secret } : {}),
    ...(data.checkout_page_url ? { checkoutPageUrl: data.checkout_page_url } : {}),
    ...(data.encryptionKey ? { encryptionKey: data.encryptionKey } : {}),
    ...(token ? { savedCardToken: token } : {}),
  };
}

/** The canonical part of an intent (no secrets). */
function snapshotOf(intent: XpayPkIntent): PaymentSnapshot {
  return {
    gateway: intent.gateway,
    merchantRef: intent.merchantRef,
    gatewayRef: intent.gatewayRef,
    status: intent.status,
    gatewayStatus: intent.gatewayStatus,
    ...(intent.amount ? { amount: intent.amount } : {}),
  };
}

/** A "Payment Captured" answer names no intent or amount: the reference comes from the request. */
function paymentSnapshot(ref: XpayPkIntentRef, result: wire.PaymentResult): PaymentSnapshot {
  const status = result.last_payment_response?.status || result.status || "";
  return { gateway: GATEWAY, merchantRef: ref.merchantRef, gatewayRef: ref.gatewayRef, status: mapGatewayStatus(PAYMENT_STATUS_MAP, status), gatewayStatus: status };
}

function intentRef(request: XpayPkIntentRef): XpayPkIntentRef {
  const merchantRef = v.text("merchantRef", request?.merchantRef, 64);
  const gatewayRef = v.text("gatewayRef", request?.gatewayRef, 128);
  if (typeof request?.clientSecret !== "string" || request.clientSecret.trim() === "") {
    throw new InvalidInputError("clientSecret", "the intent's pi_client_secret (from createIntent)", undefined);
  }
  return { merchantRef, gatewayRef, clientSecret: request.clientSecret.trim() };
}

function customerOf(customer: Customer | undefined): wire.CreateIntentBody["customer"] {
  return {
    name: v.text("customer.name", customer?.name, 100),
    email: v.email("customer.email", customer?.email),
    phone: v.matching("customer.phone", customer?.phone, PK_MOBILE, 'a Pakistani mobile number like "03001234567"'),
  };
}

function cardOf(card: XpayPkCard | undefined): wire.ConfirmBody["payment_method"]["card"] {
  const digits = typeof card?.number === "string" ? cardDigits(card.number) : "";
  // The number and CVC are never echoed into an error: only what was wrong about them.
  if (!isCardNumber(digits)) throw new InvalidInputError("card.number", "a card number of 12 to 19 digits passing the Luhn check");
  const month = v.matching("card.expiryMonth", card?.expiryMonth, CARD_EXPIRY_MONTH, 'a two-digit month "01".."12"');
  const year = v.matching("card.expiryYear", card?.expiryYear, CARD_EXPIRY_YEAR, 'a four-digit year such as "2030"');
  if (typeof card?.cvc !== "string" || !CARD_CVC.test(card.cvc)) throw new InvalidInputError("card.cvc", "3 or 4 digits");
  return { number: digits, expiry_month: month, expiry_year: year, cvc: card.cvc, name: v.text("card.holderName", card.holderName, 100) };
}

/** The field a 400 message starts with ("customer.email: ..."), else "request". */
function fieldOf(message: string): string {
  return /^([a-z_]+(?:\.[a-z_]+)*):/i.exec(message)?.[1] ?? "request";
}

/** Reads a webhook with the gateway's schema, without credentials: the event and the webhook body. */
function readWebhook(input: CallbackInput): { event: CallbackEvent; hook: wire.Webhook } {
  const raw = bodyJson(GATEWAY, input);
  const hook = readCallback(GATEWAY, wire.Webhook, raw);
  const event: CallbackEvent = {
    gateway: GATEWAY,
    kind: "pay_in",
    merchantRef: hook.metadata.order_reference,
    gatewayRef: hook.payment_intent_id,
    status: mapStatus(hook.status),
    gatewayStatus: hook.status,
    amount: webhookAmount(hook),
    raw,
  };
  return { event, hook };
}

/** The webhook's amount; one that cannot be read is a malformed webhook (final), not a retry. */
function webhookAmount(hook: wire.Webhook): Money {
  try {
    return Money.ofMinor(hook.amount, hook.currency, "amount");
  } catch (cause) {
    throw new VerificationError(`${GATEWAY} webhook: amount is not an amount of ${hook.currency}`, "malformed", { gateway: GATEWAY, cause });
  }
}

/** Parses a webhook without trusting it and without credentials: enough to find its payment. */
export function parseCallback(input: CallbackInput): CallbackEvent {
  return readWebhook(input).event;
}

/** Any 2xx stops XPay's retries; we answer 200 to accept and 400 to ask for a retry. */
export const callbackReply = jsonCallbackReply;
