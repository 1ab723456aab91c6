import { AbstractPaymentProvider, MedusaError, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils";
import type {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CapturePaymentInput,
  CapturePaymentOutput,
  DeletePaymentInput,
  DeletePaymentOutput,
  GetPaymentStatusInput,
  GetPaymentStatusOutput,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  ProviderWebhookPayload,
  RefundPaymentInput,
  RefundPaymentOutput,
  RetrievePaymentInput,
  RetrievePaymentOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
  WebhookActionResult,
} from "@medusajs/framework/types";
import {
  DeclinedError,
  GATEWAYS,
  InvalidInputError,
  Money,
  OutcomeUnknownError,
  VerificationError,
  isXpayError,
  type CallbackEvent,
  type CallbackInput,
  hmacSha256Hex,
  type Customer,
  type GatewayId,
  type NextAction,
  type PayIn,
  type PayInConnector,
  type PayInMethod,
  type PaymentRef,
  type PaymentSnapshot,
  type PaymentStatus,
  type RefundConnector,
} from "@xpay-connect/core";
import { toMajor, toMoney } from "./amount";
import { baseUrlOf, type CommonOptions } from "./options";

/**
 * What we keep in the Medusa payment session's `data`. Medusa serves it to browsers through the
 * store API: public values only (no credentials, no callback tokens).
 */
export interface XpaySessionData extends Record<string, unknown> {
  gateway: GatewayId;
  /** The Medusa payment session id, sent to the gateway as its merchant order number. */
  merchant_ref: string;
  /** The gateway's id for the payment. */
  gateway_ref: string;
  method: PayInMethod;
  /** Major units, exact decimal string ("1500.00"). */
  amount: string;
  currency: string;
  /** Canonical core status and the gateway's own. */
  status: PaymentStatus;
  gateway_status: string;
  /** Where the shopper goes next: redirect URL, iframe URL, QR link, kiosk bill reference. */
  next_action: NextAction;
  refunded?: string;
}

type Logger = { info?(m: string): void; warn?(m: string): void; error?(m: string): void };

/** Core status -> Medusa PaymentSessionStatus. The gateways here capture at pay time: success is "captured". */
export function sessionStatusOf(status: PaymentStatus): PaymentSessionStatus {
  switch (status) {
    case "succeeded":
    case "refunded":
    case "partially_refunded":
      return PaymentSessionStatus.CAPTURED;
    case "authorized":
      return PaymentSessionStatus.AUTHORIZED;
    case "requires_action":
      return PaymentSessionStatus.REQUIRES_MORE;
    case "pending":
      return PaymentSessionStatus.PENDING;
    case "canceled":
      return PaymentSessionStatus.CANCELED;
    case "failed":
    case "expired":
    case "reversed":
      return PaymentSessionStatus.ERROR;
  }
}

/** Core status of a verified callback -> Medusa webhook action. */
export function webhookActionOf(status: PaymentStatus): PaymentActions {
  switch (status) {
    case "succeeded":
      return PaymentActions.SUCCESSFUL;
    case "authorized":
      return PaymentActions.AUTHORIZED;
    case "failed":
    case "expired":
      return PaymentActions.FAILED;
    case "canceled":
      return PaymentActions.CANCELED;
    case "pending":
    case "requires_action":
      return PaymentActions.PENDING;
    default:
      return PaymentActions.NOT_SUPPORTED;
  }
}

/** Turns a core error into the MedusaError the store API answers with (core messages never contain secrets). */
export function medusaErrorOf(e: unknown): unknown {
  if (e instanceof MedusaError) return e;
  if (!isXpayError(e)) return e;
  if (e instanceof InvalidInputError) return new MedusaError(MedusaError.Types.INVALID_DATA, e.message);
  if (e instanceof DeclinedError) return new MedusaError(MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR, e.message);
  if (e instanceof OutcomeUnknownError) return new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `${e.message} (outcome unknown: the gateway may hold a payment under this session id, which expires unpaid; retry with a new payment session)`);
  return new MedusaError(MedusaError.Types.UNEXPECTED_STATE, e.message);
}

/**
 * One base for every pay-in gateway: runs the core connector in-process. Subclasses give the
 * identifier, the connector, the method choice and their option checks.
 */
export abstract class XpayPaymentProvider<O extends CommonOptions = CommonOptions> extends AbstractPaymentProvider<O> {
  protected abstract readonly gateway: GatewayId;
  protected readonly logger?: Logger;
  private connector_?: PayInConnector;

  /** Medusa instantiates providers with its container's cradle and the entry's options. */
  constructor(cradle: Record<string, unknown>, options: O) {
    super(cradle, options);
    this.logger = cradle.logger as Logger | undefined;
  }

  /** Builds the core connector for these options (baseUrl already resolved for test mode). */
  protected abstract createConnector(baseUrl: string, options: O): PayInConnector;

  /** The pay-in method for this session: `data.method` from the storefront when the store allows it. */
  protected abstract methodFor(data: Record<string, unknown>): PayInMethod;

  /**
   * The callback URL sent with each pay-in: the `webhookUrl` option (Medusa's webhook route) where the
   * gateway takes one per payment; gateways whose callback URL is a dashboard setting (core's
   * `capabilities.callbackUrl`) ignore it.
   */
  protected callbackUrl(): string {
    if (GATEWAYS[this.gateway].capabilities.callbackUrl === "dashboard") return "https://dashboard-configured.invalid/";
    return this.config.webhookUrl as string;
  }

  /**
   * The secret a per-session callback token is derived from, for gateways that post every callback to
   * one dashboard URL and echo a token we send (XPay PK, XPay EG). The token is an HMAC of the session
   * id: checked on each callback without storing anything secret in the (public) session data.
   */
  protected callbackTokenKey(): string | undefined {
    return undefined;
  }

  private tokenField(sessionId: string): { callbackToken?: string } {
    const key = this.callbackTokenKey();
    return key === undefined ? {} : { callbackToken: hmacSha256Hex(key, `medusa-callback:${sessionId}`) };
  }

  /** False where the gateway takes no per-payment return URL (XPay EG: a dashboard setting). */
  protected readonly takesReturnUrl: boolean = true;

  /**
   * Where the gateway sends the shopper back: the storefront's `data.return_url` when its origin is the
   * store's (`returnUrl`'s, or one of `returnOrigins`), else the `returnUrl` option. Other origins are
   * refused: the session's data comes from the browser, and a payment page must not bounce shoppers
   * to somebody else's site.
   */
  protected returnUrlFor(data: Record<string, unknown>): string | undefined {
    const o = this.config;
    if (!this.takesReturnUrl) return undefined;
    const asked = data.return_url;
    if (asked === undefined || asked === null || asked === "") return o.returnUrl;
    let url: URL;
    try {
      url = new URL(String(asked));
    } catch {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.gateway}: return_url must be an absolute http(s) URL (got ${JSON.stringify(asked)})`);
    }
    const allowed = [o.returnUrl, ...(o.returnOrigins ?? [])].flatMap((u) => (typeof u === "string" && URL.canParse(u) ? [new URL(u).origin] : []));
    if (!/^https?:$/.test(url.protocol) || !allowed.includes(url.origin)) {
      const which = allowed.length ? allowed.join(", ") : "none: set the returnUrl or returnOrigins option";
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.gateway}: return_url must be on one of the store's origins (${which}); got ${url.origin}`);
    }
    return url.toString();
  }

  protected get connector(): PayInConnector {
    this.connector_ ??= this.createConnector(baseUrlOf(this.gateway, this.config), this.config);
    return this.connector_;
  }

  protected async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw medusaErrorOf(e);
    }
  }

  /** True when the session data holds a payment this provider started. */
  protected isOurs(data: Record<string, unknown> | undefined): data is XpaySessionData {
    const d = data as Partial<XpaySessionData> | undefined;
    return !!d && d.gateway === this.gateway && typeof d.merchant_ref === "string" && typeof d.gateway_ref === "string";
  }

  protected dataOf(data: Record<string, unknown> | undefined): XpaySessionData {
    if (!this.isOurs(data)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.gateway}: the payment session has no ${this.gateway} payment (initiatePayment did not run or failed)`);
    }
    // The session's money fields come back from the database (or a browser-edited copy): check them before use.
    for (const [field, value] of [["amount", data.amount], ["refunded", data.refunded ?? "0"]] as const) {
      try {
        Money.parse(String(value), String(data.currency));
      } catch {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.gateway}: the payment session's ${field} ${JSON.stringify(value)} ${JSON.stringify(data.currency)} is not an amount in a supported currency`);
      }
    }
    return data;
  }

  protected customerOf(input: InitiatePaymentInput): Customer {
    const c = (input.context?.customer ?? {}) as {
      first_name?: string | null; last_name?: string | null; email?: string | null; phone?: string | null;
      billing_address?: { first_name?: string | null; last_name?: string | null; phone?: string | null } | null;
    };
    const d = (input.data ?? {}) as { customer?: Partial<Customer> };
    const b = c.billing_address ?? {};
    const name = [c.first_name ?? b.first_name, c.last_name ?? b.last_name].filter(Boolean).join(" ") || d.customer?.name || c.email || "Customer";
    const email = c.email ?? d.customer?.email;
    const phone = c.phone ?? b.phone ?? d.customer?.phone;
    return { name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
  }

  protected snapshotData(data: XpaySessionData, s: PaymentSnapshot): XpaySessionData {
    return { ...data, status: s.status, gateway_status: s.gatewayStatus, gateway_ref: s.gatewayRef || data.gateway_ref };
  }

  /** Asks the gateway and checks that it reports the session's amount and currency. */
  protected async query(data: XpaySessionData): Promise<PaymentSnapshot> {
    const expected = Money.parse(data.amount, data.currency);
    // The session's currency: a lookup that names none (XPay EG) reads the amount in it.
    const s = await this.call(() => this.connector.getPayIn({ merchantRef: data.merchant_ref, gatewayRef: data.gateway_ref, currency: expected.currency }));
    if (s.amount && (s.amount.currency !== expected.currency || !s.amount.equals(expected)) && (s.status === "succeeded" || s.status === "authorized")) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${this.gateway} reports ${s.amount.currency} ${s.amount.format()} paid for ${data.merchant_ref}, not ${data.currency} ${data.amount}`);
    }
    return s;
  }

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const data = (input.data ?? {}) as Record<string, unknown>;
    const sessionId = (data.session_id as string | undefined) ?? input.context?.idempotency_key;
    if (!sessionId) throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.gateway}: initiatePayment needs the payment session id (data.session_id)`);
    const amount = await this.call(async () => toMoney(input.amount, input.currency_code));
    const method = this.methodFor(data);
    const returnUrl = this.returnUrlFor(data);
    const payIn: PayIn = await this.call(() =>
      this.connector.createPayIn({ merchantRef: sessionId, amount, method, customer: this.customerOf(input), callbackUrl: this.callbackUrl(), ...this.tokenField(sessionId), ...(returnUrl ? { returnUrl } : {}) }),
    );
    const paid = payIn.amount ?? amount;
    const out: XpaySessionData = {
      gateway: this.gateway,
      merchant_ref: sessionId,
      gateway_ref: payIn.gatewayRef,
      method,
      amount: toMajor(paid),
      currency: paid.currency,
      status: payIn.status,
      gateway_status: payIn.gatewayStatus,
      next_action: payIn.nextAction,
    };
    const status = payIn.status === "failed" ? PaymentSessionStatus.ERROR : PaymentSessionStatus.PENDING;
    return { id: payIn.gatewayRef, status, data: out };
  }

  async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const data = this.dataOf(input.data);
    const amount = await this.call(async () => toMoney(input.amount, input.currency_code));
    if (!amount.equals(Money.parse(data.amount, data.currency)) || amount.currency !== data.currency) {
      // The gateway order is fixed to the session id and its amount: Medusa must start a new session.
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${this.gateway}: the amount of a started payment cannot change; create a new payment session`);
    }
    return { status: sessionStatusOf(data.status), data };
  }

  /**
   * True when an unpaid session of this kind should still place its order ("awaiting" payment), as for
   * a kiosk bill the shopper pays later in cash: Medusa's pending_authorization. The callback then
   * captures the payment on that order.
   */
  protected placesOrderBeforePayment(_data: XpaySessionData): boolean {
    return false;
  }

  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    const data = this.dataOf(input.data);
    const s = await this.query(data);
    const waiting = (s.status === "pending" || s.status === "requires_action") && this.placesOrderBeforePayment(data);
    return { status: waiting ? PaymentSessionStatus.PENDING_AUTHORIZATION : sessionStatusOf(s.status), data: this.snapshotData(data, s) };
  }

  async getPaymentStatus(input: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    const data = this.dataOf(input.data);
    const s = await this.query(data);
    return { status: sessionStatusOf(s.status), data: this.snapshotData(data, s) };
  }

  async retrievePayment(input: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const data = this.dataOf(input.data);
    const s = await this.query(data);
    return { data: this.snapshotData(data, s) };
  }

  /** These gateways capture when the shopper pays: capture only confirms it. */
  async capturePayment(input: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const data = this.dataOf(input.data);
    const s = await this.query(data);
    if (sessionStatusOf(s.status) !== PaymentSessionStatus.CAPTURED) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${this.gateway}: payment ${data.merchant_ref} is ${s.status} at the gateway, nothing to capture`);
    }
    return { data: this.snapshotData(data, s) };
  }

  /** No gateway here can void an open pay-in: Medusa cancels its side; an unpaid gateway order just expires. */
  async cancelPayment(input: CancelPaymentInput): Promise<CancelPaymentOutput> {
    return { data: input.data ?? {} };
  }

  /**
   * Medusa deletes a cart's sessions when the cart changes or the shopper picks another provider. A
   * session the shopper already paid must not vanish (its callback would find nothing and the money
   * no order): refuse, so Medusa keeps it and logs why. A session whose status cannot be checked
   * (the gateway unreachable or failing) is refused too: it may be paid. Only a known unpaid one goes.
   */
  async deletePayment(input: DeletePaymentInput): Promise<DeletePaymentOutput> {
    const d = input.data;
    if (!this.isOurs(d)) return { data: d ?? {} };
    let s: PaymentSnapshot;
    try {
      s = await this.connector.getPayIn({ merchantRef: d.merchant_ref, gatewayRef: d.gateway_ref });
    } catch (e) {
      const why = (e as Error).message;
      this.logger?.warn?.(`${this.gateway}: could not check ${d.merchant_ref} before deleting its session, kept: ${why}`);
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `${this.gateway}: could not check payment ${d.merchant_ref} at the gateway before deleting its session (${why}); the session is kept, as it may be paid: retry once the gateway answers`,
      );
    }
    const paid = sessionStatusOf(s.status);
    if (paid === PaymentSessionStatus.CAPTURED || paid === PaymentSessionStatus.AUTHORIZED) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${this.gateway}: payment ${d.merchant_ref} is already paid at the gateway; complete the cart with it instead of replacing it`);
    }
    return { data: input.data ?? {} };
  }

  async refundPayment(_input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${this.gateway} has no refund API: refund the shopper from the gateway's dashboard`);
  }

  protected async refundWith(connector: RefundConnector, input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const data = this.dataOf(input.data);
    const amount = await this.call(async () => toMoney(input.amount, data.currency));
    // Everything that can fail locally fails before the money moves.
    const refunded = data.refunded ? Money.parse(data.refunded, data.currency).plus(amount) : amount;
    let s: PaymentSnapshot;
    try {
      s = await connector.refund({ merchantRef: data.merchant_ref, gatewayRef: data.gateway_ref, amount });
    } catch (e) {
      // A refund the gateway refuses is not an authorization problem: say it is not allowed, with its reason.
      if (e instanceof DeclinedError) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${this.gateway} refused the refund: ${e.message}`);
      throw medusaErrorOf(e);
    }
    return { data: { ...data, status: s.status, gateway_status: s.gatewayStatus, refunded: toMajor(refunded) } };
  }

  /**
   * Medusa posts /hooks/payment/{identifier}_{id} here with the parsed body, the raw body and the
   * headers (no query string). Trust nothing until the connector verified it (signature or
   * query-back); anything unverifiable is NOT_SUPPORTED, so Medusa does nothing with it.
   */
  async getWebhookActionAndData(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    const rawBody = rawBodyOf(payload);
    const headers = payload.headers as Record<string, string | string[] | undefined>;
    let event: CallbackEvent;
    try {
      event = this.connector.parseCallback({ rawBody, headers });
    } catch (e) {
      this.logger?.warn?.(`${this.gateway} webhook ignored: ${(e as Error).message}`);
      return { action: PaymentActions.NOT_SUPPORTED };
    }
    if (!event.merchantRef.startsWith("payses_") || (event.kind !== "pay_in" && event.kind !== "recall")) {
      return { action: PaymentActions.NOT_SUPPORTED };
    }
    const input = { rawBody, headers };
    const ref = { merchantRef: event.merchantRef, ...(event.gatewayRef ? { gatewayRef: event.gatewayRef } : {}) };
    try {
      return event.kind === "recall" ? await this.recall(input, ref) : await this.payInCallback(event, input, ref);
    } catch (e) {
      const why = e instanceof VerificationError ? "failed verification" : "could not be verified";
      this.logger?.warn?.(`${this.gateway} ${event.kind === "recall" ? "recall" : "webhook"} for ${event.merchantRef} ${why}: ${(e as Error).message}`);
      return { action: PaymentActions.NOT_SUPPORTED };
    }
  }

  /** A pay-in callback, verified (signature or query-back, per-session token), mapped to Medusa's action. */
  private async payInCallback(event: CallbackEvent, input: CallbackInput, ref: PaymentRef): Promise<WebhookActionResult> {
    // The callback names no amount or currency (XPay EG): take the gateway's; authorizePayment checks it against the session.
    const claimed = event.amount ?? (await this.connector.getPayIn(ref)).amount;
    if (!claimed) return { action: PaymentActions.NOT_SUPPORTED };
    const { callbackToken } = this.tokenField(event.merchantRef);
    const token = callbackToken === undefined ? {} : { token: { expected: callbackToken, received: undefined } };
    const verified = await this.connector.verifyCallback(input, { kind: "pay_in", ...ref, amount: claimed, ...token });
    const amount = verified.amount ?? claimed;
    const action = webhookActionOf(verified.status);
    this.logger?.info?.(`${this.gateway} webhook for ${verified.merchantRef} verified: ${verified.status} -> ${action}`);
    return { action, data: { session_id: verified.merchantRef, amount: toMajor(amount) } };
  }

  /**
   * A recall (Xpress Pay: the wallet provider claws a paid order back). Medusa's webhooks have no
   * action for money leaving: verify it against the paid order and tell the store owner loudly.
   */
  private async recall(input: CallbackInput, ref: PaymentRef): Promise<WebhookActionResult> {
    const paid = (await this.connector.getPayIn(ref)).amount;
    if (!paid) throw new VerificationError(`${this.gateway} names no amount for ${ref.merchantRef}`, "amount_mismatch", { gateway: this.gateway });
    const verified = await this.connector.verifyCallback(input, { kind: "recall", ...ref, amount: paid });
    const amount = verified.amount ?? paid;
    this.logger?.error?.(
      `${this.gateway} RECALL for ${verified.merchantRef} verified: the gateway took back ${amount.currency} ${amount.format()}. ` +
        `Record it on the order (refund or claim) in the Medusa admin; Medusa has no webhook action for it.`,
    );
    return { action: PaymentActions.NOT_SUPPORTED };
  }
}

function rawBodyOf(payload: ProviderWebhookPayload["payload"]): string | Buffer {
  const raw = payload.rawData as unknown;
  if (typeof raw === "string" || Buffer.isBuffer(raw)) return raw;
  if (raw && typeof raw === "object" && (raw as { type?: string }).type === "Buffer" && Array.isArray((raw as { data?: unknown }).data)) {
    return Buffer.from((raw as { data: number[] }).data); // a Buffer that went through JSON (event bus)
  }
  return JSON.stringify(payload.data ?? {});
}
