import type { Emulator, EmulatorContext, OrderAction } from "../../emulator";
import { html, json, redirect, type Router, type SandboxRequest, type SandboxResponse } from "../../http";
import { decimalToMinor, minorToDecimal } from "../../money";
import { escapeHtml, page } from "../../pages";
import { isUrl } from "../orders";
import { emvPayload, qrSvg } from "./qr";

/** The sandbox test merchant's `client_id`. */
export const XPAY_KG_CLIENT_ID = "xpay-kg-sandbox-merchant";
/** The sandbox test merchant's `client_secret` (public: it only works against the sandbox). */
export const XPAY_KG_CLIENT_SECRET = "xkg_sandbox_5f1c2a9e7b3d4c60";
/** The test merchant as its QRs name it (tags 32/10 and 59). */
export const XPAY_KG_MERCHANT = { account: "00407202310247", name: "XpaySandbox" } as const;

/** Access-token lifetime (anchors: 30 minutes); change it with `POST /_sandbox/xpay-kg/settings`. */
export const XPAY_KG_TOKEN_LIFETIME_S = 30 * 60;

/** Callback retries after the first attempt (our assumption; the spec gives no rule). Any 2xx stops them. */
export const XPAY_KG_RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 1_800_000, 3_600_000] as const;

/** The sandbox's fee: 0.8%, which reproduces the spec's examples (1000 -> payable 992; 235 -> 233.12). */
export const XPAY_KG_FEE_PERMILLE = 8;

/** `comments` and `service_name` longer than this are refused with HTTP 409 (anchors). */
export const XPAY_KG_TEXT_MAX = 32;

/** The bank-app buttons of the hosted page. */
const BANKS = ["MBank", "Optima Bank", "Bakai Bank", "O!Bank", "Elsom"] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

type PayStatus = "ACTIVE" | "WAITING" | "PROCESSING" | "COMPLETED" | "ERROR" | "CANCELED";

interface Qr {
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

/** Laravel-style answers of the gateway. */
const error = (status: number, message: string): SandboxResponse => json(status, { status: "Error", message });
const invalid = (field: string, message: string): SandboxResponse => json(422, { status: "Error", message, errors: { [field]: [message] } });
const unauthenticated = (): SandboxResponse => error(401, "Unauthenticated.");
const notFound = (): SandboxResponse => error(404, "QR Code not found");

/** A status amount: a decimal string of som with 8 places, as the spec's status answer shows. */
const statusAmount = (minor: number): string => `${minorToDecimal(minor)}000000`;
const fee = (minor: number): number => Math.ceil((minor * XPAY_KG_FEE_PERMILLE) / 1000);
const FINAL: readonly PayStatus[] = ["COMPLETED", "ERROR", "CANCELED"];

/** xPay QR (spec 004): login, dynamic and static QRs, status, hosted pay page, check_url, callbacks. */
export function createXpayKgEmulator(ctx: EmulatorContext): Emulator {
  const qrs = new Map<string, Qr>();
  const byUuid = new Map<string, Qr>();
  const tokens = new Map<string, number>();
  let tokenLifetimeS = XPAY_KG_TOKEN_LIFETIME_S;
  let issued = 0;

  const authorized = (req: SandboxRequest): boolean => {
    const header = req.headers.authorization;
    const token = typeof header === "string" && header.startsWith("Bearer ") ? header.slice(7) : undefined;
    const expiresAt = token === undefined ? undefined : tokens.get(token);
    return expiresAt !== undefined && Date.now() < expiresAt;
  };

  const login = (req: SandboxRequest): SandboxResponse => {
    const body = (req.body && typeof req.body === "object" ? req.body : {}) as Record<string, unknown>;
    for (const field of ["client_id", "client_secret"]) {
      if (typeof body[field] !== "string" || body[field] === "") return invalid(field, `The ${field.replace("_", " ")} field is required.`);
    }
    if (body.client_id !== XPAY_KG_CLIENT_ID || body.client_secret !== XPAY_KG_CLIENT_SECRET) return error(401, "Invalid client credentials");
    const token = `${++issued}|${ctx.rng().chars(40, ALNUM)}`;
    tokens.set(token, Date.now() + tokenLifetimeS * 1000);
    return json(200, { status: "Success", message: "Login", data: { access_token: token, token_type: "Bearer", expires_in: tokenLifetimeS } });
  };

  /** Validates a QR request in the spec's field order; the first problem is the answer. */
  const validate = (body: Record<string, unknown>): SandboxResponse | undefined => {
    if (typeof body.uuid !== "string" || body.uuid === "") return invalid("uuid", "The uuid field is required.");
    if (!UUID.test(body.uuid)) return invalid("uuid", "The uuid must be a valid UUID.");
    if (body.type !== undefined && body.type !== "dynamic" && body.type !== "static") return invalid("type", "The selected type is invalid.");
    for (const field of ["payer_id", "service_id"]) {
      if (body[field] !== undefined && body[field] !== null && (typeof body[field] !== "string" || (body[field] as string).length > 255)) {
        return invalid(field, `The ${field.replace("_", " ")} must be a string of at most 255 characters.`);
      }
    }
    for (const field of ["service_name", "comments"]) {
      const value = body[field];
      if (value === undefined || value === null) continue;
      if (typeof value !== "string") return invalid(field, `The ${field.replace("_", " ")} must be a string.`);
      if (value.length > XPAY_KG_TEXT_MAX) return error(409, `The ${field.replace("_", " ")} must not be greater than ${XPAY_KG_TEXT_MAX} characters.`);
    }
    for (const field of ["callback_url", "return_url", "check_url"]) {
      if (body[field] !== undefined && body[field] !== null && !isUrl(body[field])) return invalid(field, `The ${field.replace("_", " ")} must be a valid URL.`);
    }
    if (body.amount_change !== undefined && typeof body.amount_change !== "boolean") return invalid("amount_change", "The amount change field must be true or false.");
    if (body.amount === undefined || body.amount === null) return invalid("amount", "The amount field is required.");
    if (!Number.isSafeInteger(body.amount)) return invalid("amount", "The amount must be an integer.");
    if ((body.amount as number) < 1) return invalid("amount", "The amount must be at least 1.");
    return undefined;
  };

  const created = (qr: Qr): SandboxResponse =>
    json(200, {
      status: "Success",
      message: "Generate QR Code",
      data: {
        qr_transaction_id: qr.qrTransactionId,
        qr_code: `${ctx.origin()}/xpay-kg/pay/${qr.qrTransactionId}#${qr.payload}`,
        identificator: qr.identificator,
        type: qr.type,
        payer_id: qr.payerId ?? null,
        service_id: qr.serviceId ?? null,
        service_name: qr.serviceName ?? null,
        comments: qr.comments ?? null,
        callback_url: qr.callbackUrl ?? null,
        return_url: qr.returnUrl ?? null,
        amount_change: qr.amountChange,
        request_amount: qr.requestMinor,
        amount: qr.requestMinor,
        payable: qr.requestMinor - fee(qr.requestMinor),
      },
    });

  const create = (req: SandboxRequest): SandboxResponse => {
    if (!authorized(req)) return unauthenticated();
    if (!req.body || typeof req.body !== "object" || Array.isArray(req.body)) return invalid("uuid", "The uuid field is required.");
    const body = req.body as Record<string, unknown>;
    const problem = validate(body);
    if (problem) return problem;
    const request = JSON.stringify(Object.fromEntries(Object.entries(body).sort(([a], [b]) => a.localeCompare(b))));
    const existing = byUuid.get((body.uuid as string).toLowerCase());
    // Same uuid and body: the same QR (a retry after a timeout); another body: refused.
    if (existing) return existing.request === request ? created(existing) : error(409, "A QR with this uuid already exists with other parameters.");
    const text = (field: string): string | undefined => (typeof body[field] === "string" && body[field] !== "" ? (body[field] as string) : undefined);
    const type = body.type === "static" ? "static" : "dynamic";
    const identificator = ctx.rng().digits(10) + ctx.rng().chars(15, "abcdefghijklmnopqrstuvwxyz0123456789");
    const qr: Qr = {
      qrTransactionId: ctx.rng().digits(10) + ctx.rng().chars(15, ALNUM),
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
    qrs.set(qr.qrTransactionId, qr);
    byUuid.set(qr.uuid, qr);
    return created(qr);
  };

  const statusData = (qr: Qr) => ({
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

  const status = (req: SandboxRequest, type: Qr["type"]): SandboxResponse => {
    if (!authorized(req)) return unauthenticated();
    const qr = qrs.get(req.params.id as string);
    if (!qr || qr.type !== type) return notFound();
    return json(200, { status: "Success", message: "Status QR Code", data: statusData(qr) });
  };

  /** A QR can take a payment: a dynamic one until it is final, a static one until it is canceled. */
  const open = (qr: Qr): boolean => (qr.type === "static" ? qr.payStatus !== "CANCELED" : !FINAL.includes(qr.payStatus));
  /** A payment can start: the QR is open and no payment is in progress. */
  const payable = (qr: Qr): boolean => open(qr) && qr.payStatus !== "PROCESSING";

  const notify = (qr: Qr): void => {
    if (!qr.callbackUrl) return;
    ctx.callbacks.enqueue({
      gateway: "xpay-kg",
      url: qr.callbackUrl,
      body: JSON.stringify({ ...statusData(qr), type: qr.type, payer_id: qr.payerId ?? null, service_id: qr.serviceId ?? null }),
      headers: { "content-type": "application/json", accept: "application/json" },
      acked: (code) => code >= 200 && code < 300,
      retryDelaysMs: XPAY_KG_RETRY_DELAYS_MS,
    });
  };

  const finish = (qr: Qr, payStatus: "COMPLETED" | "ERROR" | "CANCELED"): void => {
    qr.payStatus = payStatus;
    if (payStatus !== "CANCELED") qr.trx = ctx.rng().uuid();
    qr.executedTime = new Date(Date.now() + 6 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
    notify(qr);
  };

  /** The amount a payment pays: the request's, or (amount_change) the payer's own; an error text otherwise. */
  const payAmount = (qr: Qr, given: unknown): number | string => {
    if (given === undefined || given === "") return qr.requestMinor;
    const minor = decimalToMinor(typeof given === "number" ? String(given) : given);
    if (!minor) return "amount: expected a positive decimal of som with at most 2 decimals";
    if (!qr.amountChange && minor !== qr.requestMinor) return "amount: this QR does not allow changing the amount";
    return minor;
  };

  /** Starts a payment (PROCESSING) and, unless held, completes it. */
  const pay = (qr: Qr, amountMinor: number, bank: string, hold: boolean): void => {
    qr.amountMinor = amountMinor;
    qr.bank = bank;
    qr.payStatus = "PROCESSING";
    if (qr.type === "static") qr.payments++;
    if (!hold) finish(qr, "COMPLETED");
  };

  /** Asks the merchant's check_url; only HTTP 201 lets the payment go on. */
  const check = async (qr: Qr, amountMinor: number): Promise<boolean> => {
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
  };

  const payPage = (qr: Qr, problem = ""): SandboxResponse => {
    const som = `KGS ${minorToDecimal(qr.requestMinor)}`;
    const details = `<p>${escapeHtml(XPAY_KG_MERCHANT.name)}${qr.serviceName ? ` · ${escapeHtml(qr.serviceName)}` : ""}</p>${qr.comments ? `<p>${escapeHtml(qr.comments)}</p>` : ""}`;
    if (!payable(qr)) {
      const words: Record<PayStatus, string> = { ACTIVE: "open", WAITING: "open", PROCESSING: "being processed", COMPLETED: "paid", ERROR: "declined", CANCELED: "canceled" };
      const back = qr.returnUrl ? `<p><a href="${escapeHtml(qr.returnUrl)}">Back to the shop</a></p>` : "";
      return html(page("xPay QR payment", `<p class="amount">${som}</p>${details}<p id="result" data-status="${qr.payStatus}">This payment is ${words[qr.payStatus]}.</p>${back}`));
    }
    const amountField = qr.amountChange
      ? `<label for="amount">Amount (KGS)</label><input id="amount" name="amount" inputmode="decimal" value="${minorToDecimal(qr.requestMinor)}" pattern="[0-9]+(\\.[0-9]{1,2})?">`
      : "";
    const banks = BANKS.map((b) => `<button type="submit" name="decision" value="approve:${escapeHtml(b)}" class="primary">Pay in ${escapeHtml(b)}</button>`).join("");
    return html(
      page(
        "Pay by QR",
        `<p class="amount">${som}</p>${details}
         ${problem ? `<p class="error" role="alert">${escapeHtml(problem)}</p>` : ""}
         ${qrSvg(qr.payload)}
         <p>Scan with any Kyrgyz banking app, or open your bank below.</p>
         <p><code style="word-break:break-all">${escapeHtml(qr.payload)}</code></p>
         <form method="post" action="/xpay-kg/pay/${escapeHtml(qr.qrTransactionId)}">${amountField}${banks}
         <button type="submit" name="decision" value="decline" class="danger">Bank declines</button>
         <button type="submit" name="decision" value="cancel">Cancel</button></form>`,
      ),
    );
  };

  const find = (ref: string): Qr | undefined =>
    qrs.get(ref) ?? byUuid.get(ref.toLowerCase()) ?? [...qrs.values()].reverse().find((q) => q.payerId === ref);

  /** Decline, cancel or expire; answers an error text when the QR cannot take it. */
  const close = (qr: Qr, action: Exclude<OrderAction, "approve">): string | undefined => {
    if (!open(qr)) return `QR ${qr.qrTransactionId} is already ${qr.payStatus}`;
    // The gateway has no expired status: a QR past its lifetime is CANCELED.
    finish(qr, action === "decline" ? "ERROR" : "CANCELED");
    return undefined;
  };

  return {
    id: "xpay-kg",
    credentials: { client_id: XPAY_KG_CLIENT_ID, client_secret: XPAY_KG_CLIENT_SECRET },
    register(router: Router) {
      router.add("POST", "/api/v1/developer/login", "login", login);
      router.add("POST", "/api/v1/developer/qr/get", "qrCreate", create);
      router.add("GET", "/api/v1/developer/qr/dynamic/status/:id", "dynamicStatus", (req) => status(req, "dynamic"));
      router.add("GET", "/api/v1/developer/qr/static/status/:id", "staticStatus", (req) => status(req, "static"));
      router.add("GET", "/pay/:id", "payPage", (req) => {
        const qr = qrs.get(req.params.id as string);
        if (!qr) return html(page("Not found", "<p>No such QR.</p>"), 404);
        // Opening the link is the shopper scanning the QR.
        if (qr.payStatus === "ACTIVE") qr.payStatus = "WAITING";
        return payPage(qr);
      });
      router.add("POST", "/pay/:id", "paySubmit", async (req) => {
        const qr = qrs.get(req.params.id as string);
        if (!qr) return html(page("Not found", "<p>No such QR.</p>"), 404);
        const form = (req.body ?? {}) as Record<string, string>;
        const decision = String(form.decision ?? "cancel");
        if (decision.startsWith("approve")) {
          if (!payable(qr)) return payPage(qr);
          const amount = payAmount(qr, form.amount);
          if (typeof amount === "string") return payPage(qr, "Enter an amount in som, like 150 or 150.50.");
          if (!(await check(qr, amount))) {
            return payPage(qr, `The shop did not confirm this payment (check_url answered ${qr.lastCheck?.status ?? "nothing"}). Try again later.`);
          }
          if (!payable(qr)) return payPage(qr);
          pay(qr, amount, decision.slice("approve:".length) || "MBank", false);
        } else {
          close(qr, decision === "decline" ? "decline" : "cancel");
        }
        return qr.returnUrl ? redirect(qr.returnUrl) : payPage(qr);
      });
    },
    act(ref, action, options) {
      const qr = find(ref);
      if (!qr) return json(404, { error: `ref: no xpay-kg QR ${ref}` });
      if (action !== "approve") {
        const problem = close(qr, action);
        return problem ? json(409, { error: problem }) : json(200, statusData(qr));
      }
      // A payment held in PROCESSING (the "process" action) is the bank finishing it.
      if (qr.payStatus === "PROCESSING") {
        finish(qr, "COMPLETED");
        return json(200, statusData(qr));
      }
      if (!open(qr)) return json(409, { error: `QR ${qr.qrTransactionId} is already ${qr.payStatus}` });
      const amount = payAmount(qr, options.amount);
      if (typeof amount === "string") return json(400, { error: amount });
      const bank = typeof options.bank === "string" ? options.bank : "MBank";
      const hold = options.hold === true;
      if (!qr.checkUrl) {
        pay(qr, amount, bank, hold);
        return json(200, statusData(qr));
      }
      // The merchant's check_url answers asynchronously: the outcome shows in the QR's status and lastCheck.
      void check(qr, amount).then((allowed) => {
        if (allowed && payable(qr)) pay(qr, amount, bank, hold);
      });
      return json(202, { ...statusData(qr), checking: qr.checkUrl });
    },
    control(ref, action) {
      if (action !== "scan" && action !== "process") return undefined;
      const qr = find(ref);
      if (!qr) return json(404, { error: `ref: no xpay-kg QR ${ref}` });
      if (!payable(qr)) return json(409, { error: `QR ${qr.qrTransactionId} is ${qr.payStatus}` });
      if (action === "scan") qr.payStatus = "WAITING";
      else pay(qr, qr.requestMinor, "MBank", true);
      return json(200, statusData(qr));
    },
    configure(settings) {
      const known = ["tokenLifetimeSeconds", "revokeTokens"];
      const unknown = Object.keys(settings).find((k) => !known.includes(k));
      if (unknown) return json(400, { error: `${unknown}: expected one of ${known.join(", ")}` });
      const lifetime = settings.tokenLifetimeSeconds;
      if (lifetime !== undefined && (!Number.isInteger(lifetime) || (lifetime as number) < 0 || (lifetime as number) > 86_400)) {
        return json(400, { error: "tokenLifetimeSeconds: expected an integer from 0 to 86400" });
      }
      if (settings.revokeTokens !== undefined && typeof settings.revokeTokens !== "boolean") return json(400, { error: "revokeTokens: expected true or false" });
      if (lifetime !== undefined) tokenLifetimeS = lifetime as number;
      const revoked = settings.revokeTokens ? tokens.size : 0;
      if (settings.revokeTokens) tokens.clear();
      return json(200, { tokenLifetimeSeconds: tokenLifetimeS, revoked });
    },
    orders: () =>
      [...qrs.values()].map((qr) => ({
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
      })),
    reset() {
      qrs.clear();
      byUuid.clear();
      tokens.clear();
      tokenLifetimeS = XPAY_KG_TOKEN_LIFETIME_S;
      issued = 0;
    },
  };
}
