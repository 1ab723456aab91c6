import {
  bodyJson,
  checkCallbackToken,
  checkIntegrity,
  confirmOrder,
  readCallback,
  type CallbackEvent,
  type CallbackExpectation,
  type CallbackInput,
  type CallbackReply,
  type VerifiedCallback,
} from "../../callback";
import type { Capabilities, PayIn, PayInConnector, PayInRequest, PaymentRef, PaymentSnapshot } from "../../connector";
import { InvalidInputError, VerificationError } from "../../errors";
import { GatewayHttp, type GatewayAnswer, type GatewayCall } from "../../http";
import type { Money } from "../../money";
import { REDACTED, redact } from "../../redact";
import { mapGatewayStatus, type PaymentStatus } from "../../status";
import type { XpayKgConfig } from "./gateway";
import * as v from "../../validate";
import * as wire from "./wire";

/** xPay `pay_status` -> canonical status. Anything else stays pending. */
export const STATUS_MAP = {
  ACTIVE: "requires_action", // QR issued; the shopper has yet to scan and pay
  WAITING: "requires_action", // the shopper has the QR open; waiting for the payment
  PROCESSING: "pending", // the bank is moving the money; nothing left for the shopper to do
  COMPLETED: "succeeded",
  ERROR: "failed",
  CANCELED: "canceled",
} as const satisfies Record<wire.PayStatus, PaymentStatus>;

/** What xPay QR does, as every package reads it. */
export const CAPABILITIES: Capabilities = {
  payIn: true,
  payout: false,
  query: true,
  refund: false,
  balance: false,
  currencies: [wire.CURRENCY],
  payInMethods: ["qr"],
  payoutMethods: [],
  callbackVerification: "query",
  callbackUrl: "per_payment",
  payInInstruments: { qr: { kind: "qr", payableForMs: wire.QR_VALIDITY_MS } },
};

/** What a QR is the moment it is created (the create answer carries no `pay_status`). */
const CREATED_STATUS = "ACTIVE";

/** A static QR to print or show: one fixed amount, or a suggested one the payer may change. */
export interface XpayKgStaticQrRequest {
  /** Your reference for the QR (sent as `payer_id`; its name-based UUID is the `uuid`). */
  reference: string;
  amount: Money;
  /** Let the payer change the amount (`amount_change`). */
  amountChange?: boolean;
  callbackUrl?: string;
  returnUrl?: string;
  /** Defaults to the connector's `checkUrl`. */
  checkUrl?: string;
  /** Sent as `comments`; at most 32 characters. */
  comments?: string;
}

/** A QR the gateway issued. */
export interface XpayKgQr {
  type: wire.QrType;
  qrTransactionId: string;
  /** The pay.xpay.kg link the QR encodes: show it as a QR, or link to it on mobile. */
  qrCode: string;
  identificator?: string;
  uuid: string;
  amount: Money;
  /** What the merchant receives after the gateway's fee, when reported. */
  payable?: Money;
  amountChange: boolean;
}

/** A QR's status as the gateway reports it. */
export interface XpayKgQrStatus {
  qrTransactionId: string;
  payStatus: string;
  status: PaymentStatus;
  /** The `uuid` the QR was created with. */
  transactionUuid?: string;
  trx?: string;
  requestAmount: Money;
  /** What the payer paid (or is asked to pay). */
  amount: Money;
  payable?: Money;
  createdAt?: string;
  executedTime?: string;
}

/** What the gateway asks `check_url` about: the QR a shopper is about to pay. */
export interface XpayKgCheck {
  qrTransactionId: string;
  /** The `payer_id` echoed: the merchant reference for QRs this connector created. */
  merchantRef?: string;
  transactionUuid?: string;
  requestAmount: Money;
  amount: Money;
}

/** Gateway field -> the field of ours it comes from, for the gateway's validation errors. */
const FIELD_OF: Readonly<Record<string, string>> = {
  uuid: "merchantRef",
  payer_id: "merchantRef",
  amount: "amount",
  service_id: "serviceId",
  service_name: "serviceName",
  comments: "description",
  callback_url: "callbackUrl",
  return_url: "returnUrl",
  check_url: "checkUrl",
  amount_change: "amountChange",
};

/** How many recent access tokens are scrubbed from log lines besides the client secret. */
const TOKENS_REMEMBERED = 3;

/**
 * xPay QR (Kyrgyzstan): client-credentials login (bearer token cached, shared, refreshed),
 * dynamic QR pay-ins and static QRs, status by transaction id, unsigned callbacks verified by
 * the URL token and a status query, and the `check_url` handshake.
 */
export class XpayKgConnector implements PayInConnector {
  readonly id = "xpay-kg" as const;
  readonly capabilities = CAPABILITIES;
  private readonly http: GatewayHttp;
  private readonly clientId: string;
  private readonly clientSecret: string;
  private readonly serviceId?: string;
  private readonly serviceName?: string;
  private readonly checkUrl?: string;
  /** Scrubbed from every log line; holds the client secret and the latest tokens. */
  private readonly secrets: string[];
  private token?: { value: string; refreshAt: number };
  private pendingLogin?: Promise<string>;

  constructor(config: XpayKgConfig) {
    this.clientId = v.text("clientId", config.clientId);
    if (typeof config.clientSecret !== "string" || config.clientSecret.trim() === "") {
      throw new InvalidInputError("clientSecret", "a non-empty string", config.clientSecret ? REDACTED : config.clientSecret);
    }
    this.clientSecret = config.clientSecret;
    this.serviceId = v.optionalText("serviceId", config.serviceId, 64);
    this.serviceName = v.optionalText("serviceName", config.serviceName, wire.TEXT_FIELD_MAX);
    this.checkUrl = config.checkUrl === undefined ? undefined : v.url("checkUrl", config.checkUrl);
    this.secrets = [this.clientSecret];
    this.http = new GatewayHttp(this.id, config, this.secrets);
  }

  /**
   * Creates a dynamic QR for one payment (`method: "qr"`, KGS). Its `uuid` is derived from
   * `merchantRef`, so retrying after a timeout answers the same QR. `description` becomes `comments`.
   */
  async createPayIn(request: PayInRequest): Promise<PayIn> {
    const merchantRef = v.text("merchantRef", request.merchantRef, wire.PAYER_ID_MAX);
    const amount = v.positiveAmount("amount", request.amount, [wire.CURRENCY]);
    v.oneOf("method", request.method, ["qr"] as const);
    const comments = v.optionalText("description", request.description, wire.TEXT_FIELD_MAX);
    const body: wire.QrCreateBody = {
      uuid: wire.uuidFor(merchantRef),
      type: "dynamic",
      payer_id: merchantRef,
      ...this.service(),
      ...(comments ? { comments } : {}),
      callback_url: v.url("callbackUrl", request.callbackUrl),
      ...(request.returnUrl ? { return_url: v.url("returnUrl", request.returnUrl) } : {}),
      ...(this.checkUrl ? { check_url: this.checkUrl } : {}),
      amount_change: false,
      amount: wire.toRequestAmount(amount),
    };
    const qr = await this.createQr(body, merchantRef);
    return {
      gateway: this.id,
      merchantRef,
      gatewayRef: qr.qrTransactionId,
      status: mapStatus(CREATED_STATUS),
      gatewayStatus: CREATED_STATUS,
      amount,
      nextAction: { type: "qr", url: qr.qrCode, qrData: qr.qrCode },
    };
  }

  /** Creates a static QR (fixed amount, or `amountChange` to let the payer choose). */
  async createStaticQr(request: XpayKgStaticQrRequest): Promise<XpayKgQr> {
    const reference = v.text("reference", request.reference, wire.PAYER_ID_MAX);
    const amount = v.positiveAmount("amount", request.amount, [wire.CURRENCY]);
    const comments = v.optionalText("comments", request.comments, wire.TEXT_FIELD_MAX);
    const checkUrl = request.checkUrl === undefined ? this.checkUrl : v.url("checkUrl", request.checkUrl);
    const body: wire.QrCreateBody = {
      uuid: wire.uuidFor(reference),
      type: "static",
      payer_id: reference,
      ...this.service(),
      ...(comments ? { comments } : {}),
      ...(request.callbackUrl ? { callback_url: v.url("callbackUrl", request.callbackUrl) } : {}),
      ...(request.returnUrl ? { return_url: v.url("returnUrl", request.returnUrl) } : {}),
      ...(checkUrl ? { check_url: checkUrl } : {}),
      amount_change: request.amountChange === true,
      amount: wire.toRequestAmount(amount),
    };
    return this.createQr(body, reference);
  }

  /**
   * Asks xPay for a pay-in by its `qr_transaction_id` (`gatewayRef`, required: xPay has no lookup
   * by merchant reference) and checks that the QR was created for `merchantRef`.
   */
  async getPayIn(ref: PaymentRef): Promise<PaymentSnapshot> {
    const merchantRef = v.text("merchantRef", ref.merchantRef, wire.PAYER_ID_MAX);
    if (!ref.gatewayRef) {
      throw new InvalidInputError("gatewayRef", "the qr_transaction_id createPayIn returned (xpay-kg looks payments up by it)", ref.gatewayRef);
    }
    const status = await this.getQrStatus(ref.gatewayRef, "dynamic", merchantRef);
    if (status.transactionUuid !== undefined && status.transactionUuid !== wire.uuidFor(merchantRef)) {
      throw this.mismatch(`the gateway says QR ${status.qrTransactionId} belongs to another order than ${JSON.stringify(merchantRef)}`);
    }
    return {
      gateway: this.id,
      merchantRef,
      gatewayRef: status.qrTransactionId,
      status: status.status,
      gatewayStatus: status.payStatus,
      amount: status.status === "succeeded" ? status.amount : status.requestAmount,
    };
  }

  /** A QR's status by its `qr_transaction_id`, from the dynamic or the static status endpoint. */
  async getQrStatus(qrTransactionId: string, type: wire.QrType = "dynamic", merchantRef?: string): Promise<XpayKgQrStatus> {
    const id = v.text("qrTransactionId", qrTransactionId, 128);
    v.oneOf("type", type, ["dynamic", "static"] as const);
    const path = type === "static" ? wire.PATHS.staticStatus(id) : wire.PATHS.dynamicStatus(id);
    const answer = await this.authed({ method: "GET", path, idempotent: true, merchantRef });
    const data = this.http.read(wire.QrStatusData, this.ok(answer, "status", merchantRef), "status answer", merchantRef);
    return toQrStatus(data);
  }

  /** Parses a callback without trusting it; `merchantRef` is the echoed `payer_id` ("" when absent). */
  parseCallback(input: CallbackInput): CallbackEvent {
    return readCallbackBody(input).event;
  }

  /**
   * xPay does not sign callbacks: checks the URL token, then asks the gateway for the QR the
   * callback names and trusts only its answer. The QR must have been created with this
   * payment's uuid, and the requested (and, once paid, the paid) amount must match.
   */
  async verifyCallback(input: CallbackInput, expected: CallbackExpectation): Promise<VerifiedCallback> {
    checkCallbackToken(this.id, expected.token);
    const { event, body } = readCallbackBody(input);
    const uuid = wire.uuidFor(expected.merchantRef);
    if ((event.merchantRef && event.merchantRef !== expected.merchantRef) || (body.transaction_uuid && body.transaction_uuid !== uuid)) {
      throw this.mismatch(`callback names another order than ${JSON.stringify(expected.merchantRef)}`);
    }
    if (expected.gatewayRef && expected.gatewayRef !== body.qr_transaction_id) {
      throw this.mismatch(`callback names QR ${body.qr_transaction_id}, not ${expected.gatewayRef}`);
    }
    this.checkAmounts(toQrStatus(body), expected);
    const type = body.type === "static" ? "static" : "dynamic";
    const confirmed = await confirmOrder(this.id, () => this.getQrStatus(body.qr_transaction_id, type, expected.merchantRef));
    if (confirmed.qrTransactionId !== body.qr_transaction_id || confirmed.transactionUuid !== uuid) {
      throw this.mismatch(`the gateway does not tie QR ${body.qr_transaction_id} to ${JSON.stringify(expected.merchantRef)}`);
    }
    this.checkAmounts(confirmed, expected);
    if (confirmed.status !== event.status) {
      throw new VerificationError(
        `${this.id} callback says pay_status ${event.gatewayStatus} but the gateway says ${confirmed.payStatus}`,
        "status_mismatch",
        { gateway: this.id },
      );
    }
    return {
      ...event,
      merchantRef: expected.merchantRef,
      gatewayRef: confirmed.qrTransactionId,
      amount: confirmed.status === "succeeded" ? confirmed.amount : confirmed.requestAmount,
      verifiedBy: "query",
    };
  }

  /** HTTP 200 stops the gateway's retries; anything else (400 here) asks for a retry. */
  callbackReply(accepted: boolean): CallbackReply {
    return callbackReply(accepted);
  }

  /** Logs in: the client credentials are proved (or refused, naming clientSecret) by the token call. */
  async checkCredentials(): Promise<void> {
    await this.accessToken();
  }

  /** Reads the gateway's `check_url` request: which QR (and order) a shopper is about to pay, and how much. */
  parseCheck(input: CallbackInput): XpayKgCheck {
    const check = readCallback(this.id, wire.QrCheck, bodyJson(this.id, input));
    return {
      qrTransactionId: check.qr_transaction_id,
      ...(check.payer_id ? { merchantRef: check.payer_id } : {}),
      ...(check.transaction_uuid ? { transactionUuid: check.transaction_uuid } : {}),
      requestAmount: check.request_amount,
      amount: check.amount,
    };
  }

  /** The answer to a `check_url` request: HTTP 201 lets the shopper pay; anything else (409 here) stops the payment. */
  checkReply(allow: boolean): CallbackReply {
    return allow
      ? { status: 201, contentType: "application/json", body: '{"status":"Success","message":"Confirmed"}' }
      : { status: 409, contentType: "application/json", body: '{"status":"Error","message":"Payment not allowed"}' };
  }


  /** The QR must be for the payment's amount, and a paid one must have been paid exactly that. */
  private checkAmounts(status: Pick<XpayKgQrStatus, "status" | "requestAmount" | "amount">, expected: CallbackExpectation): void {
    checkIntegrity({ gateway: this.id, merchantRef: expected.merchantRef, amount: status.requestAmount }, expected);
    if (status.status === "succeeded") checkIntegrity({ gateway: this.id, merchantRef: expected.merchantRef, amount: status.amount }, expected);
  }

  private mismatch(message: string): VerificationError {
    return new VerificationError(`${this.id}: ${message}`, "reference_mismatch", { gateway: this.id });
  }

  private service(): Pick<wire.QrCreateBody, "service_id" | "service_name"> {
    return { ...(this.serviceId ? { service_id: this.serviceId } : {}), ...(this.serviceName ? { service_name: this.serviceName } : {}) };
  }

  private async createQr(body: wire.QrCreateBody, merchantRef: string): Promise<XpayKgQr> {
    const answer = await this.authed({ method: "POST", path: wire.PATHS.qrCreate, body, merchantRef });
    const data = this.http.read(wire.QrCreated, this.ok(answer, "QR create", merchantRef, body), "QR answer", merchantRef);
    return {
      type: body.type,
      qrTransactionId: data.qr_transaction_id,
      qrCode: data.qr_code,
      ...(data.identificator ? { identificator: data.identificator } : {}),
      uuid: body.uuid,
      amount: wire.fromRequestAmount(data.amount, "amount"),
      ...(data.payable !== undefined ? { payable: wire.fromRequestAmount(data.payable, "payable") } : {}),
      amountChange: data.amount_change ?? body.amount_change,
    };
  }

  /** Sends an API call with the bearer token; on a 401 logs in again once and retries the call once. */
  private async authed(call: GatewayCall): Promise<GatewayAnswer> {
    const token = await this.accessToken();
    const answer = await this.http.send(withToken(call, token));
    if (answer.status !== 401) return answer;
    this.forget(token);
    const fresh = await this.accessToken();
    const again = await this.http.send(withToken(call, fresh));
    if (again.status !== 401) return again;
    this.forget(fresh);
    throw this.http.declined(`refused a fresh access token for ${call.method} ${call.path} (HTTP 401): check the client credentials`, 401);
  }

  /** The cached token, or one login shared by every caller waiting for it. */
  private accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.refreshAt) return Promise.resolve(this.token.value);
    this.pendingLogin ??= this.login().finally(() => {
      this.pendingLogin = undefined;
    });
    return this.pendingLogin;
  }

  /** Drops a token the gateway refused, unless another caller already replaced it. */
  private forget(token: string): void {
    if (this.token?.value === token) this.token = undefined;
  }

  private async login(): Promise<string> {
    const answer = await this.http.send({
      method: "POST",
      path: wire.PATHS.login,
      headers: { Accept: "application/json" },
      body: { client_id: this.clientId, client_secret: this.clientSecret },
      idempotent: true,
    });
    if (answer.status === 401 || answer.status === 403 || answer.status === 422) {
      const env = wire.Envelope.safeParse(answer.body);
      const said = env.success && env.data.message ? `: ${String(redact(env.data.message, this.secrets))}` : "";
      throw new InvalidInputError("clientSecret", `credentials ${this.id} accepts (login answered HTTP ${answer.status}${said})`, REDACTED, {
        gateway: this.id,
      });
    }
    const data = this.http.read(wire.LoginData, this.ok(answer, "login"), "login answer");
    const lifetime = data.expires_in ?? wire.TOKEN_LIFETIME_S;
    const margin = Math.min(wire.TOKEN_REFRESH_MARGIN_S, lifetime / 2);
    this.token = { value: data.access_token, refreshAt: Date.now() + (lifetime - margin) * 1000 };
    this.secrets.push(data.access_token);
    if (this.secrets.length > 1 + TOKENS_REMEMBERED) this.secrets.splice(1, 1);
    return data.access_token;
  }

  /**
   * Unwraps `{status, message, data}`: "Success" gives `data`; Laravel's 422 is the gateway's
   * validation of a field; any other answer is its refusal, coded by the HTTP status.
   */
  private ok(answer: GatewayAnswer, what: string, merchantRef?: string, sent?: wire.QrCreateBody): unknown {
    const env = this.http.read(wire.Envelope, answer.body, `${what} answer`, merchantRef);
    if (answer.status < 300 && env.status?.toLowerCase() === "success") return env.data;
    const message = env.message ?? "no message";
    const [field, problems] = Object.entries(env.errors ?? {})[0] ?? [];
    if (answer.status === 422 && field) {
      const received = sent && field in sent ? sent[field as keyof wire.QrCreateBody] : undefined;
      throw new InvalidInputError(FIELD_OF[field] ?? field, `what ${this.id} accepts (${problems?.[0] ?? message})`, received, { gateway: this.id });
    }
    throw this.http.declined(`${what} refused (HTTP ${answer.status}): ${message}`, answer.status < 300 ? (env.status ?? answer.status) : answer.status);
  }
}

function withToken(call: GatewayCall, token: string): GatewayCall {
  return { ...call, headers: { ...call.headers, Authorization: `Bearer ${token}`, Accept: "application/json" } };
}

function mapStatus(payStatus: string): PaymentStatus {
  return mapGatewayStatus(STATUS_MAP, payStatus.toUpperCase());
}

function toQrStatus(data: wire.QrStatusData): XpayKgQrStatus {
  return {
    qrTransactionId: data.qr_transaction_id,
    payStatus: data.pay_status,
    status: mapStatus(data.pay_status),
    ...(data.transaction_uuid ? { transactionUuid: data.transaction_uuid } : {}),
    ...(data.trx ? { trx: data.trx } : {}),
    requestAmount: data.request_amount,
    amount: data.amount,
    ...(data.payable ? { payable: data.payable } : {}),
    ...(data.created_at ? { createdAt: data.created_at } : {}),
    ...(data.executed_time ? { executedTime: data.executed_time } : {}),
  };
}

const GATEWAY = "xpay-kg";

/** Reads a callback body with the gateway's schema, without credentials: the event and the body. */
function readCallbackBody(input: CallbackInput): { event: CallbackEvent; body: wire.QrCallback } {
  const raw = bodyJson(GATEWAY, input);
  const body = readCallback(GATEWAY, wire.QrCallback, raw);
  const status = mapStatus(body.pay_status);
  return {
    body,
    event: {
      gateway: GATEWAY,
      kind: "pay_in",
      merchantRef: body.payer_id ?? "",
      gatewayRef: body.qr_transaction_id,
      status,
      gatewayStatus: body.pay_status,
      amount: status === "succeeded" ? body.amount : body.request_amount,
      raw,
    },
  };
}

/** Parses a callback without trusting it and without credentials; `merchantRef` is the echoed `payer_id` ("" when absent). */
export function parseCallback(input: CallbackInput): CallbackEvent {
  return readCallbackBody(input).event;
}

/** HTTP 200 stops the gateway's retries; anything else (400 here) asks for a retry. */
export function callbackReply(accepted: boolean): CallbackReply {
  return accepted
    ? { status: 200, contentType: "application/json", body: '{"status":"Success"}' }
    : { status: 400, contentType: "application/json", body: '{"status":"Error"}' };
}
