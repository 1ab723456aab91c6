import type { Emulator, EmulatorContext, OrderAction } from "../../emulator";
import { html, json, redirect, type Router, type SandboxRequest, type SandboxResponse } from "../../http";
import { decimalToMinor, minorToDecimal, minorToNumber } from "../../money";
import { decisionForm, escapeHtml, page } from "../../pages";
import { OrderBook, isEmail, isUrl, withQuery } from "../orders";

/** The spec's public sandbox AppID: the spec's own examples work as they are. */
export const XPRESS_PAY_APP_ID = "c551c980b045d827f3d910fbdf8c1ddb";

/** Retries after the first attempt (spec: "up to 5 times"); the spacing is our assumption. */
export const XPRESS_PAY_RETRY_DELAYS_MS = [5_000, 30_000, 60_000, 300_000, 900_000] as const;

/** Error codes this emulator answers with (HTTP 200, as the gateway's `code`/`msg` envelope implies). */
export const XPRESS_PAY_ERRORS = {
  invalidParam: 1001,
  invalidAppId: 1002,
  duplicateOrder: 1003,
  orderNotFound: 1004,
  insufficientBalance: 1005,
} as const;

const CHANNELS = ["EASYPAISA", "JAZZCASH"];
const PK_MOBILE = /^03\d{9}$/;

interface Order {
  kind: "payin" | "payout";
  merchantRef: string;
  gatewayRef: string;
  amountMinor: number;
  channel: string;
  mobile?: string;
  name: string;
  email?: string;
  notifyUrl: string;
  returnUrl?: string;
  /** "1" unpaid/processing, "2" success, "4" failed. */
  orderStatus: "1" | "2" | "4";
  recalledMinor: number;
  /** The create body as first received, to tell a retry from a conflicting reuse of merOrderNo. */
  request: string;
  createdAt: string;
}

const fail = (code: number, msg: string): SandboxResponse => json(200, { code, msg, data: null });

/** Xpress Pay (spec 000): pay-in/payout create and query, balance, hosted EasyPaisa/JazzCash page, callbacks, recalls. */
export function createXpressPayEmulator(ctx: EmulatorContext): Emulator {
  const orders = { payin: new OrderBook<Order>(), payout: new OrderBook<Order>() };
  const balance = { payinMinor: 15_000_000, payoutMinor: 13_000_000, frozenMinor: 1_000_000 };

  const checkAppId = (value: unknown): SandboxResponse | undefined => {
    if (value === undefined || value === "") return fail(XPRESS_PAY_ERRORS.invalidParam, "appId is required");
    if (value !== XPRESS_PAY_APP_ID) return fail(XPRESS_PAY_ERRORS.invalidAppId, "invalid appId");
    return undefined;
  };

  /** Validates a create body field by field, in the spec's table order; the first problem is the answer. */
  const validate = (body: Record<string, unknown>, kind: Order["kind"]): SandboxResponse | undefined => {
    const appId = checkAppId(body.appId);
    if (appId) return appId;
    const required = (field: string): SandboxResponse | undefined =>
      typeof body[field] !== "string" || (body[field] as string).trim() === "" ? fail(XPRESS_PAY_ERRORS.invalidParam, `${field} is required`) : undefined;
    const problems = [
      required("merOrderNo"),
      required("amount") ?? (decimalToMinor(body.amount) ? undefined : fail(XPRESS_PAY_ERRORS.invalidParam, "amount must be a positive number with at most 2 decimals")),
      required("channel") ?? (CHANNELS.includes(body.channel as string) ? undefined : fail(XPRESS_PAY_ERRORS.invalidParam, "channel must be EASYPAISA or JAZZCASH")),
    ];
    if (kind === "payin") {
      problems.push(
        body.customerMobile === undefined || body.customerMobile === "" || PK_MOBILE.test(String(body.customerMobile))
          ? undefined
          : fail(XPRESS_PAY_ERRORS.invalidParam, "customerMobile must be 11 digits starting with 03"),
        required("customerName"),
        body.customerEmail === undefined || body.customerEmail === "" || isEmail(body.customerEmail) ? undefined : fail(XPRESS_PAY_ERRORS.invalidParam, "customerEmail is invalid"),
        required("notifyUrl") ?? (isUrl(body.notifyUrl) ? undefined : fail(XPRESS_PAY_ERRORS.invalidParam, "notifyUrl must be a URL")),
        body.returnUrl === undefined || body.returnUrl === "" || isUrl(body.returnUrl) ? undefined : fail(XPRESS_PAY_ERRORS.invalidParam, "returnUrl must be a URL"),
      );
    } else {
      problems.push(
        required("recipientMobile") ?? (PK_MOBILE.test(String(body.recipientMobile)) ? undefined : fail(XPRESS_PAY_ERRORS.invalidParam, "recipientMobile must be 11 digits starting with 03")),
        required("recipientName"),
        body.recipientEmail === undefined || body.recipientEmail === "" || isEmail(body.recipientEmail) ? undefined : fail(XPRESS_PAY_ERRORS.invalidParam, "recipientEmail is invalid"),
        required("notifyUrl") ?? (isUrl(body.notifyUrl) ? undefined : fail(XPRESS_PAY_ERRORS.invalidParam, "notifyUrl must be a URL")),
      );
    }
    return problems.find(Boolean);
  };

  const checkoutUrl = (order: Order) => `${ctx.origin()}/xpress-pay/checkout/${order.gatewayRef}`;

  const payInCreated = (order: Order) =>
    json(200, { code: 0, msg: "success", data: { orderNo: order.gatewayRef, params: { paymentLink: checkoutUrl(order) } } });
  const payoutCreated = (order: Order) =>
    json(200, { code: 0, msg: "success", data: { orderNo: order.gatewayRef, orderStatus: order.orderStatus } });

  const create = (req: SandboxRequest, kind: Order["kind"]): SandboxResponse => {
    if (!req.body || typeof req.body !== "object") return fail(XPRESS_PAY_ERRORS.invalidParam, "request body must be JSON");
    const body = req.body as Record<string, unknown>;
    const problem = validate(body, kind);
    if (problem) return problem;
    const book = orders[kind];
    const existing = book.byMerchantRef(body.merOrderNo as string);
    const request = JSON.stringify(body);
    // A retry of the same request answers the same order (safe after a timeout); a different one is refused.
    if (existing) return existing.request === request ? (kind === "payin" ? payInCreated(existing) : payoutCreated(existing)) : fail(XPRESS_PAY_ERRORS.duplicateOrder, "merOrderNo already exists");
    const amountMinor = decimalToMinor(body.amount) as number;
    if (kind === "payout" && amountMinor > balance.payoutMinor) return fail(XPRESS_PAY_ERRORS.insufficientBalance, "insufficient balance");
    if (kind === "payout") balance.payoutMinor -= amountMinor;
    const order = book.add({
      kind,
      merchantRef: body.merOrderNo as string,
      gatewayRef: (kind === "payin" ? "EP" : "PO") + ctx.rng().digits(9),
      amountMinor,
      channel: body.channel as string,
      mobile: (kind === "payin" ? body.customerMobile : body.recipientMobile) as string | undefined || undefined,
      name: (kind === "payin" ? body.customerName : body.recipientName) as string,
      email: (kind === "payin" ? body.customerEmail : body.recipientEmail) as string | undefined,
      notifyUrl: body.notifyUrl as string,
      returnUrl: (body.returnUrl as string | undefined) || undefined,
      orderStatus: "1",
      recalledMinor: 0,
      request,
      createdAt: new Date().toISOString(),
    });
    return kind === "payin" ? payInCreated(order) : payoutCreated(order);
  };

  const query = (req: SandboxRequest, kind: Order["kind"]): SandboxResponse => {
    const appId = checkAppId(req.query.appId);
    if (appId) return appId;
    if (!req.query.merOrderNo) return fail(XPRESS_PAY_ERRORS.invalidParam, "merOrderNo is required");
    const order = orders[kind].byMerchantRef(req.query.merOrderNo);
    if (!order) return fail(XPRESS_PAY_ERRORS.orderNotFound, "order not found");
    return json(200, {
      code: 0,
      msg: "success",
      data: { merOrderNo: order.merchantRef, orderNo: order.gatewayRef, amount: minorToDecimal(order.amountMinor), currency: "PKR", orderStatus: order.orderStatus },
    });
  };

  const notify = (order: Order, body: Record<string, unknown>): void => {
    ctx.callbacks.enqueue({
      gateway: "xpress-pay",
      url: order.notifyUrl,
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
      acked: (status, text) => status === 200 && text === "SUCCESS",
      retryDelaysMs: XPRESS_PAY_RETRY_DELAYS_MS,
    });
  };

  const settle = (order: Order, action: OrderAction, mobile?: string): SandboxResponse => {
    if (order.orderStatus !== "1") return json(409, { error: `order ${order.gatewayRef} is already final (orderStatus ${order.orderStatus})` });
    if (mobile !== undefined) order.mobile = mobile;
    order.orderStatus = action === "approve" ? "2" : "4";
    if (order.kind === "payin" && order.orderStatus === "2") balance.payinMinor += order.amountMinor;
    if (order.kind === "payout" && order.orderStatus === "4") balance.payoutMinor += order.amountMinor;
    notify(order, {
      appId: XPRESS_PAY_APP_ID,
      merOrderNo: order.merchantRef,
      orderNo: order.gatewayRef,
      amount: minorToDecimal(order.amountMinor),
      currency: "PKR",
      orderStatus: order.orderStatus,
    });
    return json(200, { merOrderNo: order.merchantRef, orderNo: order.gatewayRef, orderStatus: order.orderStatus });
  };

  const checkoutPage = (order: Order, error = ""): SandboxResponse => {
    const wallet = order.channel === "EASYPAISA" ? "EasyPaisa" : "JazzCash";
    if (order.orderStatus !== "1") {
      return html(page(`${wallet} payment`, `<p id="result">This payment is ${order.orderStatus === "2" ? "paid" : "closed"}.</p>`));
    }
    const mobileField = order.mobile
      ? `<p>Wallet: <strong>${escapeHtml(order.mobile.replace(/^(\d{4})\d{4}/, "$1****"))}</strong>. Approve the request in your ${wallet} app.</p>`
      : `<label for="mobile">${wallet} account number</label><input id="mobile" name="mobile" inputmode="numeric" placeholder="03001234567" pattern="03[0-9]{9}" required>`;
    return html(
      page(
        `Pay with ${wallet}`,
        `<p class="amount">PKR ${minorToDecimal(order.amountMinor)}</p><p>Order ${escapeHtml(order.merchantRef)}</p>
         ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
         ${decisionForm(`/xpress-pay/checkout/${order.gatewayRef}`, mobileField, [
           { value: "approve", label: "Approve payment", kind: "primary" },
           { value: "decline", label: "Decline", kind: "danger" },
           { value: "cancel", label: "Cancel" },
         ])}`,
      ),
    );
  };

  return {
    id: "xpress-pay",
    credentials: { appId: XPRESS_PAY_APP_ID },
    register(router: Router) {
      router.add("POST", "/api/v2/payment/order/create", "payInCreate", (req) => create(req, "payin"));
      router.add("POST", "/api/v2/payout/order/create", "payoutCreate", (req) => create(req, "payout"));
      router.add("GET", "/api/v2/payment/order/query", "payInQuery", (req) => query(req, "payin"));
      router.add("GET", "/api/v2/payout/order/query", "payoutQuery", (req) => query(req, "payout"));
      router.add("GET", "/api/v2/merchant/balance", "balance", (req) => {
        const appId = checkAppId(req.query.appId);
        if (appId) return appId;
        return json(200, {
          code: 200,
          data: { currency: "PKR", payinValue: minorToNumber(balance.payinMinor), payoutValue: minorToNumber(balance.payoutMinor), disableValue: minorToNumber(balance.frozenMinor) },
          msg: "success",
        });
      });
      router.add("GET", "/checkout/:orderNo", "checkoutPage", (req) => {
        const order = orders.payin.byGatewayRef(req.params.orderNo as string);
        return order ? checkoutPage(order) : html(page("Not found", "<p>No such payment.</p>"), 404);
      });
      router.add("POST", "/checkout/:orderNo", "checkoutSubmit", (req) => {
        const order = orders.payin.byGatewayRef(req.params.orderNo as string);
        if (!order) return html(page("Not found", "<p>No such payment.</p>"), 404);
        const form = (req.body ?? {}) as Record<string, string>;
        const decision = form.decision === "approve" || form.decision === "decline" ? form.decision : "cancel";
        let mobile: string | undefined;
        if (decision === "approve" && !order.mobile) {
          mobile = (form.mobile ?? "").trim();
          if (!PK_MOBILE.test(mobile)) return checkoutPage(order, "Enter an 11-digit wallet number starting with 03.");
        }
        settle(order, decision, mobile);
        const status = order.orderStatus === "2" ? "success" : decision === "cancel" ? "cancel" : "failed";
        if (order.returnUrl) return redirect(withQuery(order.returnUrl, { merOrderNo: order.merchantRef, status }));
        return checkoutPage(order);
      });
    },
    act(ref, action, options) {
      const order = orders.payin.find(ref) ?? orders.payout.find(ref);
      if (!order) return json(404, { error: `ref: no xpress-pay order ${ref}` });
      const mobile = options.mobile === undefined ? (order.mobile ? undefined : "03000000000") : String(options.mobile);
      if (mobile !== undefined && !PK_MOBILE.test(mobile)) return json(400, { error: "mobile: expected 11 digits starting with 03" });
      return settle(order, action, mobile);
    },
    control(ref, action, options) {
      if (action !== "recall") return undefined;
      const order = orders.payin.find(ref);
      if (!order) return json(404, { error: `ref: no xpress-pay pay-in ${ref}` });
      if (order.orderStatus !== "2") return json(409, { error: "only a paid order can be recalled" });
      const amountMinor = options.amount === undefined ? order.amountMinor - order.recalledMinor : decimalToMinor(options.amount);
      if (!amountMinor || amountMinor > order.amountMinor - order.recalledMinor) {
        return json(400, { error: "amount: expected a decimal string no larger than the unrecalled amount" });
      }
      order.recalledMinor += amountMinor;
      const reason = typeof options.reason === "string" ? options.reason : "Customer dispute / account unauthorized charge";
      notify(order, { appId: XPRESS_PAY_APP_ID, merOrderNo: order.merchantRef, orderNo: order.gatewayRef, recallAmount: minorToDecimal(amountMinor), currency: "PKR", reason });
      return json(200, { merOrderNo: order.merchantRef, recallAmount: minorToDecimal(amountMinor) });
    },
    orders: () => [...orders.payin.all(), ...orders.payout.all()].map(({ request: _r, ...o }) => ({ ...o, amount: minorToDecimal(o.amountMinor) })),
    reset() {
      orders.payin.clear();
      orders.payout.clear();
      Object.assign(balance, { payinMinor: 15_000_000, payoutMinor: 13_000_000, frozenMinor: 1_000_000 });
    },
  };
}
