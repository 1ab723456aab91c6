import {
  jsonCallbackReply,
  bodyJson,
  checkCallbackToken,
  checkIntegrity,
  confirmOrder,
  readCallback,
  safeEqual,
  type CallbackEvent,
  type CallbackExpectation,
  type CallbackInput,
  type CallbackKind,
  type CallbackReply,
  type VerifiedCallback,
} from "../../callback";
import type {
  Capabilities,
  Logger,
  PayIn,
  PayInConnector,
  PayInMethod,
  PayInRequest,
  PaymentRef,
  PaymentSnapshot,
  RefundConnector,
  RefundRequest,
} from "../../connector";
import { DeclinedError, InvalidInputError, VerificationError } from "../../errors";
import { GatewayHttp, type GatewayCall } from "../../http";
import { Money, type Currency } from "../../money";
import { REDACTED } from "../../redact";
import { mapGatewayStatus, type PaymentStatus } from "../../status";
import type { XpayEgConfig } from "./gateway";
import * as v from "../../validate";
import * as wire from "./wire";

/**
 * XPay EG `transaction_status` / `status` -> canonical status. Anything else (unknown, future) stays pending.
 * REFUNDED / PARTIALLY_REFUNDED are the sandbox's statuses after a refund (Assumption: not in the public docs).
 */
export const STATUS_MAP = {
  PENDING: "pending",
  SUCCESSFUL: "succeeded",
  FAILED: "failed",
  PARTIALLY_REFUNDED: "partially_refunded",
  REFUNDED: "refunded",
} as const satisfies Record<wire.TransactionStatus, PaymentStatus>;

/** What XPay EG does, as every package reads it. */
export const CAPABILITIES: Capabilities = {
  payIn: true,
  payout: false,
  query: true,
  refund: true,
  balance: false,
  currencies: wire.CURRENCIES,
  payInMethods: ["card", "kiosk", "fawry", "wallet", "valu"],
  payoutMethods: [],
  callbackVerification: "query",
  callbackUrl: "dashboard",
  // Card, wallet and valU are pages; a kiosk or Fawry bill is paid in cash while its reference is valid.
  payInInstruments: { kiosk: { kind: "bill", payableForMs: wire.BILL_VALIDITY_MS }, fawry: { kind: "bill", payableForMs: wire.BILL_VALIDITY_MS } },
};

/** One XPay custom field, saved with the invoice and echoed as a top-level key of the callback. */
export interface XpayEgCustomField {
  label: string;
  value: string | number | boolean;
}

/** A recurring payment's terms (the spec's `is_recurring`, `expiry_date`, `minimum_days_between_payments`). */
export interface XpayEgRecurring {
  /** Last date of the recurrence, "YYYY-MM-DD". */
  expiryDate: string;
  minimumDaysBetweenPayments: number;
}

/** XPay EG extras for `createPayIn`, beyond the canonical PayInRequest. */
export interface XpayEgPayInOptions {
  customFields?: readonly XpayEgCustomField[];
  recurring?: XpayEgRecurring;
  /** The community member paying, when the API payment requires one (`membership_id`). */
  membershipId?: string;
}

/** What the shopper's redirect URL says: unverified (anyone can type a URL); confirm with getPayIn. */
export interface XpayEgRedirect {
  gateway: "xpay-eg";
  gatewayRef: string;
  status: PaymentStatus;
  gatewayStatus: string;
  amount?: Money;
  verified: false;
}

/** Our PayInMethod -> XPay's `pay_using`. */
const PAY_USING_OF: Partial<Record<PayInMethod, wire.PayUsing>> = wire.PAY_USING;

/** XPay's validation error paths -> the field of our request that caused them. */
const REQUEST_FIELD: Readonly<Record<string, string>> = {
  community_id: "communityId",
  variable_amount_id: "variableAmountId",
  amount: "amount",
  amount_piasters: "amount",
  original_amount: "amount",
  refund_amount: "amount",
  currency: "amount.currency",
  pay_using: "method",
  selected_payment_method: "method",
  "billing_data.name": "customer.name",
  "billing_data.email": "customer.email",
  "billing_data.phone_number": "customer.phone",
  membership_id: "options.membershipId",
  is_recurring: "options.recurring",
  expiry_date: "options.recurring.expiryDate",
  minimum_days_between_payments: "options.recurring.minimumDaysBetweenPayments",
  custom_fields: "options.customFields",
  transaction_uuid: "gatewayRef",
  language: "language",
};

const ENGLISH_NAME = /^[A-Za-z]+(?: [A-Za-z]+)+$/;
const E164 = /^\+[1-9]\d{7,14}$/;
const EG_LOCAL_MOBILE = /^01[0125]\d{8}$/;

/**
 * XPay Egypt (legacy community API): variable-amount pay-ins by card, kiosk (Aman bill reference),
 * Fawry, Meeza/digital wallets and valU, in EGP and five foreign currencies; transaction lookup; refunds.
 * Callbacks are unsigned and go to one dashboard URL: verified by the token custom field and by lookup.
 */
export class XpayEgConnector implements PayInConnector, RefundConnector {
  readonly id = "xpay-eg" as const;
  readonly capabilities = CAPABILITIES;
  private readonly http: GatewayHttp;
  private readonly apiKey: string;
  private readonly communityId: string;
  private readonly variableAmountId: number;
  private readonly feesInBill: boolean;
  private readonly language: string;

  constructor(config: XpayEgConfig) {
    this.apiKey = v.text("apiKey", config.apiKey);
    this.communityId = v.text("communityId", config.communityId, 64);
    if (!Number.isSafeInteger(config.variableAmountId) || config.variableAmountId <= 0) {
      throw new InvalidInputError("variableAmountId", "the positive integer id of an API payment in the XPay dashboard", config.variableAmountId);
    }
    this.variableAmountId = config.variableAmountId;
    this.feesInBill = config.feesInBill === true;
    this.language = config.language === undefined ? wire.DEFAULT_LANGUAGE : v.oneOf("language", config.language, ["en", "ar"] as const);
    this.http = new GatewayHttp(this.id, { ...config, logger: tokenScrubbing(config.logger) }, [this.apiKey]);
  }

  /** Asks XPay for the total the shopper pays for `amount` by `method` once the community's fees are added. */
  async prepareAmount(amount: Money, method: PayInMethod): Promise<Money> {
    const requested = v.positiveAmount("amount", amount, wire.CURRENCIES);
    const payUsing = payUsingOf(method, requested);
    const data = await this.call(
      {
        method: "POST",
        path: wire.PATHS.prepareAmount,
        body: { community_id: this.communityId, amount: wire.wireAmount(requested, "major"), currency: requested.currency, selected_payment_method: payUsing },
        idempotent: true,
      },
      "prepare-amount",
    );
    const total = this.http.read(wire.PrepareAmountData, data, "prepare-amount answer");
    return Money.fromJsonNumber(total.total_amount, requested.currency, "total_amount");
  }

  /**
   * Creates a variable-amount payment; the shopper pays in `nextAction` (an iframe URL, or a kiosk bill
   * reference). `merchantRef` and `callbackToken` travel as custom fields. `callbackUrl` and `returnUrl`
   * are not sent: XPay takes both from its dashboard. Not idempotent: each call is a new transaction.
   */
  async createPayIn(request: PayInRequest, options: XpayEgPayInOptions = {}): Promise<PayIn> {
    const merchantRef = v.text("merchantRef", request.merchantRef, 255);
    const requested = v.positiveAmount("amount", request.amount, wire.CURRENCIES);
    const payUsing = payUsingOf(request.method, requested);
    const billing = {
      name: englishName(request.customer?.name),
      email: v.email("customer.email", request.customer?.email),
      phone_number: phoneWithCountryCode(request.customer?.phone),
    };
    const token = v.optionalText("callbackToken", request.callbackToken, 255);
    const customFields = customFieldsOf(merchantRef, token, options.customFields);
    const recurring = recurringOf(options.recurring);
    const membershipId = v.optionalText("options.membershipId", options.membershipId, 255);
    const charged = this.feesInBill ? await this.prepareAmount(requested, request.method) : requested;
    const body: wire.PayBody = {
      community_id: this.communityId,
      variable_amount_id: this.variableAmountId,
      pay_using: payUsing,
      ...wire.payAmountFields(charged, requested, payUsing),
      language: this.language,
      billing_data: billing,
      ...(membershipId ? { membership_id: membershipId } : {}),
      ...recurring,
      custom_fields: customFields,
    };
    const data = this.http.read(wire.PayData, await this.call({ method: "POST", path: wire.PATHS.pay, body, merchantRef }, "pay"), "pay answer", merchantRef);
    const mapped = mapStatus(data.transaction_status);
    const billReference = data.bill_refrence === null || data.bill_refrence === undefined ? undefined : String(data.bill_refrence);
    return {
      gateway: this.id,
      merchantRef,
      gatewayRef: data.transaction_uuid,
      // A create answer is not proof of payment: only a failure is taken at its word, the rest waits for the shopper.
      status: mapped === "failed" ? "failed" : "requires_action",
      gatewayStatus: data.transaction_status,
      amount: charged,
      nextAction: payUsing === wire.PAY_USING.kiosk && billReference ? { type: "kiosk", billReference, url: data.iframe_url } : { type: "iframe", url: data.iframe_url },
    };
  }

  /** Looks the transaction up by `gatewayRef` (its uuid: XPay cannot be asked by our reference). */
  async getPayIn(ref: PaymentRef): Promise<PaymentSnapshot> {
    const uuid = gatewayRefOf(ref);
    // XPay's lookup may not name the currency: the payment's own (ref.currency) reads its amount.
    return (await this.lookup(uuid, ref.merchantRef, ref.currency === undefined ? undefined : v.oneOf("currency", ref.currency, wire.CURRENCIES))).snapshot;
  }

  /** Refunds all or part of a paid transaction (`gatewayRef`); the amount must be in the payment's currency. */
  async refund(request: RefundRequest): Promise<PaymentSnapshot> {
    const uuid = gatewayRefOf(request);
    const amount = v.positiveAmount("amount", request.amount, wire.CURRENCIES);
    // The refund body names no currency: check it against the payment's (the caller's, or the lookup's when it names one) before sending.
    // Without the payment's currency (and a lookup naming none) the refund's own is assumed, as before.
    const { snapshot } = await this.lookup(uuid, request.merchantRef, request.currency === undefined ? amount.currency : v.oneOf("currency", request.currency, wire.CURRENCIES));
    if (snapshot.amount && snapshot.amount.currency !== amount.currency) {
      throw new InvalidInputError("amount.currency", `${snapshot.amount.currency}, the currency of transaction ${uuid}`, amount.currency, { gateway: this.id });
    }
    const data = this.http.read(
      wire.RefundData,
      await this.call({ method: "POST", path: wire.PATHS.refund, body: { transaction_uuid: uuid, refund_amount: wire.wireAmount(amount, "major") }, merchantRef: request.merchantRef }, "refund"),
      "refund answer",
      request.merchantRef,
    );
    return {
      gateway: this.id,
      merchantRef: snapshot.merchantRef,
      gatewayRef: data.transaction_uuid,
      status: mapStatus(data.transaction_status),
      gatewayStatus: data.transaction_status,
      amount,
    };
  }

  /**
   * Reads the query of the URL XPay sends the shopper back to (`amount_piasters`, `amount`,
   * `transaction_uuid`, `transaction_status`). Unverified: show it, then confirm with getPayIn.
   * The redirect names no currency: pass the payment's (default EGP).
   */
  parseRedirect(query: URLSearchParams | Record<string, string | undefined>, currency: Currency = "EGP"): XpayEgRedirect {
    const get = (key: string) => (query instanceof URLSearchParams ? (query.get(key) ?? undefined) : query[key]);
    const cur = v.oneOf("currency", currency, wire.CURRENCIES);
    const gatewayRef = v.text("transaction_uuid", get("transaction_uuid"));
    const gatewayStatus = v.text("transaction_status", get("transaction_status"), 64);
    const piasters = get("amount_piasters");
    const major = get("amount");
    const fromPiasters = piasters === undefined || piasters === "" ? undefined : Money.ofMinor(Number(v.matching("amount_piasters", piasters, /^\d{1,15}$/, "an integer count of piasters")), cur, "amount_piasters");
    const fromMajor = major === undefined || major === "" ? undefined : Money.parse(major, cur, "amount");
    if (fromPiasters && fromMajor && !fromPiasters.equals(fromMajor)) {
      throw new InvalidInputError("amount", `the same amount as amount_piasters (${fromPiasters.format()})`, major);
    }
    const amount = fromPiasters ?? fromMajor;
    return { gateway: this.id, gatewayRef, status: mapStatus(gatewayStatus), gatewayStatus, ...(amount ? { amount } : {}), verified: false };
  }

  /**
   * Parses a callback: `merchantRef` comes from the `merchant_ref` custom field, `gatewayRef` is the
   * transaction uuid. The body names no currency, so `amount` is left out here (verifyCallback fills it).
   */
  parseCallback(input: CallbackInput, _kind: CallbackKind = "pay_in"): CallbackEvent {
    return readCallbackBody(input).event;
  }

  /**
   * XPay does not sign callbacks: checks the token custom field (or the URL's, when given), the
   * `merchant_ref` field and the claimed amount, then looks the transaction up and trusts only that
   * answer: its amount and currency must equal the stored payment's, its status the claimed one.
   */
  async verifyCallback(input: CallbackInput, expected: CallbackExpectation): Promise<VerifiedCallback> {
    const { event, body } = readCallbackBody(input);
    if (expected.token) {
      const echoed = body[wire.CALLBACK_TOKEN_LABEL];
      checkCallbackToken(this.id, { expected: expected.token.expected, received: expected.token.received ?? (typeof echoed === "string" ? echoed : undefined) });
    }
    checkIntegrity(event, expected);
    const uuid = event.gatewayRef as string;
    if (expected.gatewayRef !== undefined && expected.gatewayRef !== uuid) {
      throw new VerificationError(`${this.id} callback is about transaction ${uuid}, not ${expected.gatewayRef}`, "reference_mismatch", { gateway: this.id });
    }
    let claimed: Money;
    try {
      claimed = body.total_amount_piasters !== undefined
        ? Money.ofMinor(body.total_amount_piasters, expected.amount.currency, "total_amount_piasters")
        : Money.fromJsonNumber(body.total_amount as number, expected.amount.currency, "total_amount");
    } catch (cause) {
      // An amount that cannot be read will never become readable: a final rejection, not a retry.
      throw new VerificationError(`${this.id} callback: its amount is not an amount of ${expected.amount.currency}`, "malformed", { gateway: this.id, cause });
    }
    checkIntegrity({ ...event, amount: claimed }, expected);

    const { snapshot: confirmed, customFields } = await confirmOrder(this.id, () => this.lookup(uuid, expected.merchantRef, expected.amount.currency));
    const ref = customFields?.get(wire.MERCHANT_REF_LABEL);
    if (ref !== undefined && String(ref) !== expected.merchantRef) {
      throw new VerificationError(`${this.id} transaction ${uuid} belongs to another merchant reference`, "reference_mismatch", { gateway: this.id });
    }
    const token = customFields?.get(wire.CALLBACK_TOKEN_LABEL);
    if (expected.token && token !== undefined && !safeEqual(String(token), expected.token.expected)) {
      throw new VerificationError(`${this.id} transaction ${uuid} carries another payment's token`, "bad_token", { gateway: this.id });
    }
    checkIntegrity({ gateway: this.id, merchantRef: expected.merchantRef, amount: confirmed.amount }, expected);
    // A refund after the success does not make the success callback false.
    const agrees = confirmed.status === event.status || (event.status === "succeeded" && (confirmed.status === "refunded" || confirmed.status === "partially_refunded"));
    if (!agrees) {
      throw new VerificationError(
        `${this.id} callback says ${event.gatewayStatus} but the transaction lookup says ${confirmed.gatewayStatus}`,
        "status_mismatch",
        { gateway: this.id },
      );
    }
    return { ...event, gatewayRef: uuid, ...(confirmed.amount ? { amount: confirmed.amount } : {}), verifiedBy: "query" };
  }

  /** XPay retries a callback until it gets a 2xx: accepted is 200, rejected a 400 so that it tries again. */
  callbackReply(accepted: boolean): CallbackReply {
    return jsonCallbackReply(accepted);
  }

  /** Asks prepare-amount for 1 EGP by card: proves the API key and that it belongs to the community. */
  async checkCredentials(): Promise<void> {
    try {
      await this.prepareAmount(Money.parse("1", "EGP"), "card");
    } catch (error) {
      if (!(error instanceof DeclinedError) || (error.gatewayCode !== "401" && error.gatewayCode !== "403")) throw error;
      const field = error.gatewayCode === "403" ? "communityId" : "apiKey";
      throw new InvalidInputError(field, `an API key of XPay community ${this.communityId} (${error.message})`, undefined, { gateway: this.id, cause: error });
    }
  }


  /**
   * The transaction lookup, mapped; with the custom fields XPay echoes, when it does. `currency` is the
   * payment's, used when the answer has no `total_amount_currency` (XPay's public lookup names none);
   * a caller that does not know it gets the spec's default, EGP: pass the stored currency
   * (`PaymentRef.currency`), or a USD payment reads back as EGP.
   */
  private async lookup(uuid: string, merchantRef: string | undefined, currency: Currency = wire.DEFAULT_CURRENCY): Promise<{ snapshot: PaymentSnapshot; customFields?: Map<string, unknown> }> {
    const data = this.http.read(
      wire.TransactionData,
      await this.call({ method: "GET", path: wire.PATHS.transaction(this.communityId, uuid), idempotent: true, merchantRef }, "transaction lookup"),
      "transaction answer",
      merchantRef,
    );
    const customFields = wire.lookupCustomFields(data.custom_fields_json);
    const echoedRef = customFields?.get(wire.MERCHANT_REF_LABEL);
    const cur = data.total_amount_currency ?? currency;
    const amount = data.total_amount_piasters !== undefined
      ? Money.ofMinor(data.total_amount_piasters, cur, "total_amount_piasters")
      : Money.fromJsonNumber(data.total_amount as number, cur, "total_amount");
    return {
      snapshot: {
        gateway: this.id,
        merchantRef: echoedRef !== undefined ? String(echoedRef) : (merchantRef ?? ""),
        gatewayRef: data.uuid,
        status: mapStatus(data.status),
        gatewayStatus: data.status,
        amount,
      },
      ...(customFields ? { customFields } : {}),
    };
  }

  /**
   * Sends a call with the API key and unwraps the envelope: a 2xx with a 2xx `status.code` gives `data`;
   * a 400 naming a field is InvalidInputError for our field; any other refusal is DeclinedError.
   */
  private async call(call: GatewayCall, what: string): Promise<unknown> {
    const answer = await this.http.send({ ...call, headers: { "x-api-key": this.apiKey } });
    // A 4xx is a refusal even when its body is not XPay's envelope (a proxy's or the framework's page).
    if (answer.status >= 400 && !wire.Envelope.safeParse(answer.body).success) throw this.http.declined(`${what} refused with HTTP ${answer.status}`, answer.status);
    const env = this.http.read(wire.Envelope, answer.body, `${what} answer`, call.merchantRef);
    const code = Number(env.status.code);
    if (answer.status < 300 && code >= 200 && code < 300) return env.data;
    const error = answer.status === 400 ? firstFieldError(env.status.errors) : undefined;
    if (error) {
      throw new InvalidInputError(REQUEST_FIELD[error.path] ?? REQUEST_FIELD[error.path.split(".")[0] ?? ""] ?? error.path, `what XPay accepts (${error.path}: ${error.message})`, undefined, { gateway: this.id });
    }
    throw this.http.declined(`${what} refused: ${env.status.message ?? `HTTP ${answer.status}`}`, env.status.code);
  }
}

function mapStatus(status: string): PaymentStatus {
  return mapGatewayStatus(STATUS_MAP, status);
}

function payUsingOf(method: unknown, amount: Money): wire.PayUsing {
  const payUsing = PAY_USING_OF[v.oneOf("method", method, ["card", "kiosk", "fawry", "wallet", "valu"] as const)] as wire.PayUsing;
  if (payUsing === wire.PAY_USING.kiosk && !wire.KIOSK_CURRENCIES.includes(amount.currency)) {
    throw new InvalidInputError("amount.currency", `${wire.KIOSK_CURRENCIES.join(", ")} (kiosk bills are paid in cash in Egypt)`, amount.currency);
  }
  return payUsing;
}

function gatewayRefOf(ref: PaymentRef | undefined): string {
  const uuid = ref?.gatewayRef;
  if (typeof uuid !== "string" || uuid.trim() === "") {
    throw new InvalidInputError("gatewayRef", "the XPay transaction_uuid that createPayIn returned (XPay is asked by uuid, not by merchantRef)", uuid);
  }
  return uuid.trim();
}

/** The spec: "first and last name in english letters with space between them". */
function englishName(value: unknown): string {
  const name = typeof value === "string" ? value.trim().replace(/\s+/g, " ") : value;
  return v.matching("customer.name", name, ENGLISH_NAME, 'a first and last name in English letters, like "Islam Rostom"');
}

/** The spec wants the country code prefixed; an Egyptian mobile in local form gets +20. */
function phoneWithCountryCode(value: unknown): string {
  const phone = typeof value === "string" ? value.replace(/[\s-]/g, "") : value;
  if (typeof phone === "string" && EG_LOCAL_MOBILE.test(phone)) return `+20${phone.slice(1)}`;
  return v.matching("customer.phone", phone, E164, 'a phone number with its country code, like "+201119045759"');
}

const RESERVED_LABELS: readonly string[] = [wire.MERCHANT_REF_LABEL, wire.CALLBACK_TOKEN_LABEL, ...wire.CALLBACK_KEYS];

function customFieldsOf(merchantRef: string, token: string | undefined, extra: readonly XpayEgCustomField[] | undefined): wire.CustomFieldWire[] {
  const fields: wire.CustomFieldWire[] = [{ field_label: wire.MERCHANT_REF_LABEL, field_value: merchantRef }];
  if (token) fields.push({ field_label: wire.CALLBACK_TOKEN_LABEL, field_value: token });
  if (extra !== undefined && !Array.isArray(extra)) throw new InvalidInputError("options.customFields", "an array of { label, value }", extra);
  const seen = new Set<string>();
  (extra ?? []).forEach((f: XpayEgCustomField, i: number) => {
    const label = v.text(`options.customFields.${i}.label`, f?.label, 255);
    if (RESERVED_LABELS.includes(label) || seen.has(label)) {
      throw new InvalidInputError(`options.customFields.${i}.label`, `a label that is not reserved (${RESERVED_LABELS.join(", ")}) nor repeated`, label);
    }
    seen.add(label);
    const value: unknown = f.value;
    if (!(typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)))) {
      throw new InvalidInputError(`options.customFields.${i}.value`, "a string, number or boolean", value);
    }
    fields.push({ field_label: label, field_value: value });
  });
  return fields;
}

function recurringOf(recurring: XpayEgRecurring | undefined): Pick<wire.PayBody, "is_recurring" | "expiry_date" | "minimum_days_between_payments"> {
  if (recurring === undefined) return {};
  const expiry = v.matching("options.recurring.expiryDate", recurring?.expiryDate, wire.EXPIRY_DATE_FORMAT, 'a date "YYYY-MM-DD"');
  if (Number.isNaN(Date.parse(`${expiry}T00:00:00Z`)) || new Date(`${expiry}T00:00:00Z`).toISOString().slice(0, 10) !== expiry) {
    throw new InvalidInputError("options.recurring.expiryDate", 'a real calendar date "YYYY-MM-DD"', expiry);
  }
  const days = recurring.minimumDaysBetweenPayments;
  if (!Number.isSafeInteger(days) || days < 1) throw new InvalidInputError("options.recurring.minimumDaysBetweenPayments", "a whole number of days, at least 1", days);
  return { is_recurring: true, expiry_date: expiry, minimum_days_between_payments: days };
}

/** The first field XPay's `errors` name: `[{"billing_data": {"phone_number": ["..."]}}]` -> billing_data.phone_number. */
function firstFieldError(errors: unknown[] | null | undefined): { path: string; message: string } | undefined {
  const walk = (value: unknown, path: string[]): { path: string; message: string } | undefined => {
    if (typeof value === "string") return path.length ? { path: path.join("."), message: value } : undefined;
    if (Array.isArray(value)) {
      for (const item of value) {
        const found = walk(item, path);
        if (found) return found;
      }
      return undefined;
    }
    if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        const found = walk(item, [...path, key]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(errors ?? [], []);
}

/** The callback token travels in the request's custom fields and comes back in lookups: never into a log line. */
function tokenScrubbing(logger: Logger | undefined): Logger | undefined {
  if (!logger) return undefined;
  return {
    debug: (obj, msg) => logger.debug(scrubTokens(obj, 0) as object, msg),
    warn: (obj, msg) => logger.warn(scrubTokens(obj, 0) as object, msg),
  };
}

function scrubTokens(value: unknown, depth: number): unknown {
  if (depth > 8 || !value || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((x) => scrubTokens(x, depth + 1));
  const o = value as Record<string, unknown>;
  if (o.field_label === wire.CALLBACK_TOKEN_LABEL) return { ...o, field_value: REDACTED };
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    if (k === wire.CALLBACK_TOKEN_LABEL) out[k] = REDACTED;
    else if (k === "custom_fields_json" && typeof x === "string") out[k] = scrubJsonText(x);
    else out[k] = scrubTokens(x, depth + 1);
  }
  return out;
}

function scrubJsonText(text: string): string {
  try {
    return JSON.stringify(scrubTokens(JSON.parse(text), 0));
  } catch {
    return REDACTED;
  }
}

const GATEWAY = "xpay-eg";

/** The callback body read with the gateway's schema, and the event it makes. */
function readCallbackBody(input: CallbackInput): { event: CallbackEvent; body: wire.Callback } {
  const raw = bodyJson(GATEWAY, input);
  const body = readCallback(GATEWAY, wire.Callback, raw);
  const event: CallbackEvent = {
    gateway: GATEWAY,
    kind: "pay_in",
    merchantRef: String(body[wire.MERCHANT_REF_LABEL]),
    gatewayRef: body.transaction_uuid ?? String(body.transaction_id),
    status: mapStatus(body.transaction_status),
    gatewayStatus: body.transaction_status,
    raw,
  };
  return { event, body };
}

/**
 * Parses a callback without trusting it and without credentials: `merchantRef` comes from the
 * `merchant_ref` custom field, `gatewayRef` is the transaction uuid; the body names no currency.
 */
export function parseCallback(input: CallbackInput): CallbackEvent {
  return readCallbackBody(input).event;
}

/** XPay retries a callback until it gets a 2xx: accepted is 200, rejected a 400 so that it tries again. */
export const callbackReply = jsonCallbackReply;
