import type { Emulator, EmulatorContext, OrderAction } from "../../emulator";
import { html, json, type Router, type SandboxRequest, type SandboxResponse } from "../../http";
import { decisionForm, escapeHtml, page } from "../../pages";
import { OrderBook, isEmail, isUrl } from "../orders";
import { PAYPRO_BANK_CODES, PAYPRO_WALLET_CODES, payProSign, payProSignOk } from "./wire";

export { PAYPRO_BANK_CODES, PAYPRO_WALLET_CODES, payProSign } from "./wire";

/** The sandbox test merchant's number (the `merchantNo` header). Sandbox-only: worthless against PayPro. */
export const PAYPRO_MERCHANT_NO = "PP2024000001";

/** The sandbox test merchant's app secret, the salt of every `sign`. Sandbox-only: worthless against PayPro. */
export const PAYPRO_APP_SECRET = "sandbox-paypro-app-secret-3f9a2c7e81d4";

/** Retries after the first notification attempt (anchors.md: 8 times in 24 h at 2s, 5s, 10s, 30s, 1h, 3h, 3h, 3h). */
export const PAYPRO_RETRY_DELAYS_MS = [2_000, 5_000, 10_000, 30_000, 3_600_000, 10_800_000, 10_800_000, 10_800_000] as const;

/** The test merchant's balances after a reset, in whole rupees (payouts draw `available` down). */
export const PAYPRO_START_BALANCE = { available: 1_000_000, unsettled: 25_000 } as const;

/**
 * Envelope `code`s the sandbox refuses with ({msg, code, success: false, timestamp, data: null}, HTTP 200).
 * PayPro's own PK list is not public; these are ours, one per problem, and core maps the field ones back.
 */
export const PAYPRO_ERRORS = {
  badBody: "1000",
  merchantMissing: "1001",
  merchantUnknown: "1002",
  badSign: "1003",
  tradeNo: "2001",
  amount: "2002",
  name: "2003",
  customerCert: "2004",
  email: "2005",
  mobile: "2006",
  accountType: "2007",
  bankName: "2008",
  bankNumber: "2009",
  notifyUrl: "2010",
  remark: "2011",
  timestamp: "2012",
  duplicateTradeNo: "3001",
  insufficientBalance: "3002",
  orderNotFound: "3003",
} as const;

/** Payout `status` codes and descriptions the sandbox reports (0000 and 0015 are the spec's; the rest are error codes). */
export const PAYPRO_PAYOUT_STATUSES = {
  success: { status: "0000", desc: "SUCCESS" },
  processing: { status: "0015", desc: "CREATED" },
  rejected: { status: "00029", desc: "REJECTED_TRANSACTION" },
  expired: { status: "00030", desc: "TRANSACTION_EXPIRED" },
  canceled: { status: "00031", desc: "TRANSACTION_CANCELLED" },
  accountNotFound: { status: "00033", desc: "ACCOUNT_NOT_FOUND" },
} as const;

/** Test values: a BANK payout to this account number is created already failed (ACCOUNT_NOT_FOUND). */
export const PAYPRO_TEST_ACCOUNTS = { notFound: "0000000000" } as const;

type Field = keyof typeof PAYPRO_ERRORS & string;

interface Order {
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
}

const OUTCOMES: Record<OrderAction, { status: string; desc: string }> = {
  approve: PAYPRO_PAYOUT_STATUSES.success,
  decline: PAYPRO_PAYOUT_STATUSES.rejected,
  cancel: PAYPRO_PAYOUT_STATUSES.canceled,
  expire: PAYPRO_PAYOUT_STATUSES.expired,
};

const ok = (data: unknown): SandboxResponse => json(200, { msg: "success", code: "0000", data, success: true, timestamp: Date.now() });
const fail = (code: string, msg: string): SandboxResponse => json(200, { msg, code, success: false, timestamp: Date.now(), data: null });

/** Karachi local time (UTC+5, no daylight saving) as "yyyy-MM-dd HH:mm:ss". */
const karachiTime = (ms: number): string => new Date(ms + 5 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");

/** PayPro (spec 001): signed payout, payout query, balance, signed notifications, a payout status page. */
export function createPayProEmulator(ctx: EmulatorContext): Emulator {
  const book = new OrderBook<Order>();
  const balance: { available: number; unsettled: number } = { ...PAYPRO_START_BALANCE };

  /** merchantNo header, a JSON object body, then the sign: a request nobody can attribute is refused first. */
  const authenticate = (req: SandboxRequest): { body: Record<string, unknown> } | { refused: SandboxResponse } => {
    const merchantNo = req.headers.merchantno;
    if (typeof merchantNo !== "string" || merchantNo === "") return { refused: fail(PAYPRO_ERRORS.merchantMissing, "merchantNo header is required") };
    if (merchantNo !== PAYPRO_MERCHANT_NO) return { refused: fail(PAYPRO_ERRORS.merchantUnknown, `merchantNo ${merchantNo} is not a PayPro merchant`) };
    if (!req.body || typeof req.body !== "object" || Array.isArray(req.body)) return { refused: fail(PAYPRO_ERRORS.badBody, "request body must be a JSON object") };
    const body = req.body as Record<string, unknown>;
    if (typeof body.sign !== "string" || body.sign === "") return { refused: fail(PAYPRO_ERRORS.badSign, "sign is required") };
    if (!payProSignOk(body, PAYPRO_APP_SECRET, body.sign)) return { refused: fail(PAYPRO_ERRORS.badSign, "sign is invalid: check the field order, the values and the app secret") };
    return { body };
  };

  /** A required string field passing `test`; the refusal names the field and the rule. */
  const field = (body: Record<string, unknown>, name: Field, test: (value: string) => boolean, rule: string): SandboxResponse | undefined => {
    const value = body[name];
    if (typeof value !== "string" || value.trim() === "") return fail(PAYPRO_ERRORS[name], `${name} is required (a string)`);
    return test(value) ? undefined : fail(PAYPRO_ERRORS[name], `${name} ${rule}`);
  };

  const timestampOk = (body: Record<string, unknown>) =>
    field(body, "timestamp", (t) => /^\d{10}(?:\d{3})?$/.test(t), "must be a Unix timestamp in milliseconds (e.g. 1715941383720)");

  /** The spec's strong validation, in its table order; the first problem is the answer. */
  const validatePayout = (body: Record<string, unknown>): SandboxResponse | undefined => {
    const accountType = body.accountType;
    const banks: readonly string[] = accountType === "WALLET" ? PAYPRO_WALLET_CODES : PAYPRO_BANK_CODES;
    return (
      field(body, "tradeNo", (t) => t.length <= 64, "must be at most 64 characters") ??
      field(body, "amount", (a) => /^[1-9]\d{0,11}$/.test(a), "must be a whole number of PKR, at least 1 (no decimals)") ??
      field(body, "name", (n) => n.length <= 100, "must be at most 100 characters") ??
      field(body, "customerCert", (c) => /^\d{13}$/.test(c), "must be a CNIC of exactly 13 digits") ??
      field(body, "email", isEmail, "must be an email address") ??
      field(body, "mobile", (m) => /^3\d{9}$/.test(m), "must be 10 digits starting with 3") ??
      field(body, "accountType", (t) => t === "BANK" || t === "WALLET", "must be BANK or WALLET") ??
      field(body, "bankName", (b) => banks.includes(b), `is not in the bank list for accountType ${String(accountType)}`) ??
      (accountType === "WALLET"
        ? field(body, "bankNumber", (n) => /^3\d{9}$/.test(n), "must be the wallet's 10-digit number starting with 3")
        : field(body, "bankNumber", (n) => /^[A-Z0-9]{6,34}$/.test(n), "must be a bank account number or IBAN (6 to 34 letters and digits)")) ??
      field(body, "notifyUrl", isUrl, "must be an absolute http(s) URL") ??
      field(body, "remark", (r) => r.length <= 255, "must be at most 255 characters") ??
      timestampOk(body)
    );
  };

  const payoutAnswer = (order: Order): SandboxResponse =>
    ok({ platFormTradeNo: order.gatewayRef, remark: order.remark, status: order.status, desc: order.desc });

  const notify = (order: Order): void => {
    const fields: Record<string, string> = {
      platFormTradeNo: order.gatewayRef,
      tradeNo: order.merchantRef,
      amount: String(order.amount),
      status: order.status,
      message: order.desc,
      ...(order.successTime ? { successTime: order.successTime } : {}),
      timestamp: String(Date.now()),
    };
    ctx.callbacks.enqueue({
      gateway: "paypro",
      url: order.notifyUrl,
      body: JSON.stringify({ ...fields, sign: payProSign(fields, PAYPRO_APP_SECRET) }),
      headers: { "content-type": "application/json" },
      acked: (status, text) => status === 200 && text.trim() === "OK",
      retryDelaysMs: PAYPRO_RETRY_DELAYS_MS,
    });
  };

  const createPayout = (req: SandboxRequest): SandboxResponse => {
    const auth = authenticate(req);
    if ("refused" in auth) return auth.refused;
    const body = auth.body;
    const problem = validatePayout(body);
    if (problem) return problem;
    const { sign: _sign, timestamp: _timestamp, ...business } = body;
    const request = JSON.stringify(Object.keys(business).sort().map((k) => [k, business[k]]));
    const tradeNo = body.tradeNo as string;
    const existing = book.byMerchantRef(tradeNo);
    // A retry of the same payout answers the same payout (safe after a timeout); a different one is refused.
    if (existing) {
      return existing.request === request ? payoutAnswer(existing) : fail(PAYPRO_ERRORS.duplicateTradeNo, `tradeNo ${tradeNo} already exists with a different request`);
    }
    const amount = Number(body.amount);
    const notFound = body.accountType === "BANK" && body.bankNumber === PAYPRO_TEST_ACCOUNTS.notFound;
    if (!notFound && amount > balance.available) {
      return fail(PAYPRO_ERRORS.insufficientBalance, `insufficient balance: ${balance.available} PKR available, ${amount} PKR requested`);
    }
    const outcome = notFound ? PAYPRO_PAYOUT_STATUSES.accountNotFound : PAYPRO_PAYOUT_STATUSES.processing;
    const order = book.add({
      merchantRef: tradeNo,
      gatewayRef: ctx.rng().chars(16),
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
    if (notFound) {
      notify(order);
    } else {
      balance.available -= amount;
    }
    return payoutAnswer(order);
  };

  const queryPayout = (req: SandboxRequest): SandboxResponse => {
    const auth = authenticate(req);
    if ("refused" in auth) return auth.refused;
    const problem = field(auth.body, "tradeNo", (t) => t.length <= 64, "must be at most 64 characters") ?? timestampOk(auth.body);
    if (problem) return problem;
    const order = book.byMerchantRef(auth.body.tradeNo as string);
    if (!order) return fail(PAYPRO_ERRORS.orderNotFound, `tradeNo ${String(auth.body.tradeNo)}: no such payout`);
    return ok({
      platFormTradeNo: order.gatewayRef,
      tradeNo: order.merchantRef,
      amount: String(order.amount),
      status: order.status,
      desc: order.desc,
      remark: order.remark,
      ...(order.successTime ? { successTime: order.successTime } : {}),
    });
  };

  const queryBalance = (req: SandboxRequest): SandboxResponse => {
    const auth = authenticate(req);
    if ("refused" in auth) return auth.refused;
    const problem = timestampOk(auth.body);
    if (problem) return problem;
    return ok({ availableAmount: String(balance.available), freezeAmount: String(frozen()), unsettledAmount: String(balance.unsettled) });
  };

  /** Payouts still processing hold their amount. */
  const frozen = (): number => book.all().reduce((sum, o) => sum + (o.status === PAYPRO_PAYOUT_STATUSES.processing.status ? o.amount : 0), 0);

  const settle = (order: Order, action: OrderAction): SandboxResponse => {
    if (order.status !== PAYPRO_PAYOUT_STATUSES.processing.status) {
      return json(409, { error: `payout ${order.gatewayRef} is already final (status ${order.status} ${order.desc})` });
    }
    const outcome = OUTCOMES[action];
    order.status = outcome.status;
    order.desc = outcome.desc;
    if (action === "approve") order.successTime = karachiTime(Date.now());
    else balance.available += order.amount;
    notify(order);
    return json(200, { tradeNo: order.merchantRef, platFormTradeNo: order.gatewayRef, status: order.status, desc: order.desc });
  };

  const statusPage = (order: Order): SandboxResponse => {
    const processing = order.status === PAYPRO_PAYOUT_STATUSES.processing.status;
    const rows = [
      ["Payout", order.gatewayRef],
      ["Merchant reference", order.merchantRef],
      ["Recipient", order.name],
      ["Account", `${order.accountType} ${order.bankName} ****${order.bankNumber.slice(-4)}`],
      ["Status", `${order.status} ${order.desc}`],
    ]
      .map(([k, v]) => `<tr><th>${escapeHtml(k as string)}</th><td>${escapeHtml(v as string)}</td></tr>`)
      .join("");
    const form = processing
      ? `<p>The bank is processing this payout. Decide as the bank would:</p>${decisionForm(`/paypro/payout/${encodeURIComponent(order.gatewayRef)}`, "", [
          { value: "approve", label: "Credit the account", kind: "primary" },
          { value: "decline", label: "Reject", kind: "danger" },
          { value: "cancel", label: "Cancel" },
        ])}`
      : `<p id="result">This payout is final.</p>`;
    return html(page("PayPro payout", `<p class="amount">PKR ${order.amount}</p><table>${rows}</table>${form}`));
  };

  const notFoundPage = () => html(page("Not found", "<p>No such payout.</p>"), 404);

  return {
    id: "paypro",
    credentials: { merchantNo: PAYPRO_MERCHANT_NO, appSecret: PAYPRO_APP_SECRET },
    register(router: Router) {
      router.add("POST", "/v1/payproPK/payout", "payout", createPayout);
      router.add("POST", "/v1/payproPK/queryPayOutResult", "payoutQuery", queryPayout);
      router.add("POST", "/v1/payproPK/queryBalance", "balance", queryBalance);
      router.add("GET", "/payout/:platFormTradeNo", "payoutPage", (req) => {
        const order = book.byGatewayRef(req.params.platFormTradeNo as string);
        return order ? statusPage(order) : notFoundPage();
      });
      router.add("POST", "/payout/:platFormTradeNo", "payoutPageSubmit", (req) => {
        const order = book.byGatewayRef(req.params.platFormTradeNo as string);
        if (!order) return notFoundPage();
        const decision = (req.body ?? {}) as Record<string, string>;
        const action: OrderAction = decision.decision === "approve" || decision.decision === "decline" ? decision.decision : "cancel";
        if (order.status === PAYPRO_PAYOUT_STATUSES.processing.status) settle(order, action);
        return statusPage(order);
      });
    },
    act(ref, action) {
      const order = book.find(ref);
      if (!order) return json(404, { error: `ref: no paypro payout ${ref}` });
      return settle(order, action);
    },
    orders: () =>
      book.all().map(({ request: _request, bankNumber, ...o }) => ({
        ...o,
        bankNumber: `****${bankNumber.slice(-4)}`,
        amount: String(o.amount),
        currency: "PKR",
        page: `${ctx.origin()}/paypro/payout/${o.gatewayRef}`,
      })),
    reset() {
      book.clear();
      Object.assign(balance, PAYPRO_START_BALANCE);
    },
  };
}
