import type { EmulatorContext, EmulatorRoutes } from "../../emulator";
import { json, redirect, type Router, type SandboxRequest, type SandboxResponse } from "../../http";
import { decimalToMinor, minorToDecimal, minorToNumber } from "../../money";
import { withQuery } from "../../orders";
import { checkoutPage, notFoundPage } from "./pages";
import { XpressPayState, type OrderKind, type XpressPayOrder } from "./state";
import { PK_MOBILE, XPRESS_PAY_ERRORS, appIdProblem, createProblem, fail } from "./validation";

/** Xpress Pay (spec 000): pay-in/payout create and query, balance, hosted EasyPaisa/JazzCash page, callbacks, recalls. */
export function xpressPayRoutes(ctx: EmulatorContext): EmulatorRoutes {
  const state = new XpressPayState(ctx);

  const checkoutUrl = (order: XpressPayOrder) => `${ctx.origin()}/xpress-pay/checkout/${order.gatewayRef}`;
  const created = (order: XpressPayOrder) =>
    order.kind === "payin"
      ? json(200, { code: 0, msg: "success", data: { orderNo: order.gatewayRef, params: { paymentLink: checkoutUrl(order) } } })
      : json(200, { code: 0, msg: "success", data: { orderNo: order.gatewayRef, orderStatus: order.orderStatus } });

  const create = (req: SandboxRequest, kind: OrderKind): SandboxResponse => {
    if (!req.body || typeof req.body !== "object") return fail(XPRESS_PAY_ERRORS.invalidParam, "request body must be JSON");
    const body = req.body as Record<string, unknown>;
    const problem = createProblem(body, kind);
    if (problem) return problem;
    const existing = state.book(kind).byMerchantRef(body.merOrderNo as string);
    const request = JSON.stringify(body);
    // A retry of the same request answers the same order (safe after a timeout); a different one is refused.
    if (existing) return existing.request === request ? created(existing) : fail(XPRESS_PAY_ERRORS.duplicateOrder, "merOrderNo already exists");
    const order = state.create(kind, body, request);
    return order === "insufficient_balance" ? fail(XPRESS_PAY_ERRORS.insufficientBalance, "insufficient balance") : created(order);
  };

  const query = (req: SandboxRequest, kind: OrderKind): SandboxResponse => {
    const appId = appIdProblem(req.query.appId);
    if (appId) return appId;
    if (!req.query.merOrderNo) return fail(XPRESS_PAY_ERRORS.invalidParam, "merOrderNo is required");
    const order = state.book(kind).byMerchantRef(req.query.merOrderNo);
    if (!order) return fail(XPRESS_PAY_ERRORS.orderNotFound, "order not found");
    return json(200, {
      code: 0,
      msg: "success",
      data: { merOrderNo: order.merchantRef, orderNo: order.gatewayRef, amount: minorToDecimal(order.amountMinor), currency: "PKR", orderStatus: order.orderStatus },
    });
  };

  const balance = (req: SandboxRequest): SandboxResponse => {
    const appId = appIdProblem(req.query.appId);
    if (appId) return appId;
    const { payinMinor, payoutMinor, frozenMinor } = state.balance;
    return json(200, {
      code: 200,
      data: { currency: "PKR", payinValue: minorToNumber(payinMinor), payoutValue: minorToNumber(payoutMinor), disableValue: minorToNumber(frozenMinor) },
      msg: "success",
    });
  };

  /** The control API's answer to a settlement. */
  const settled = (order: XpressPayOrder, ok: boolean): SandboxResponse =>
    ok
      ? json(200, { merOrderNo: order.merchantRef, orderNo: order.gatewayRef, orderStatus: order.orderStatus })
      : json(409, { error: `order ${order.gatewayRef} is already final (orderStatus ${order.orderStatus})` });

  const checkoutSubmit = (req: SandboxRequest): SandboxResponse => {
    const order = state.payIns.byGatewayRef(req.params.orderNo as string);
    if (!order) return notFoundPage();
    const form = (req.body ?? {}) as Record<string, string>;
    const decision = form.decision === "approve" || form.decision === "decline" ? form.decision : "cancel";
    let mobile: string | undefined;
    if (decision === "approve" && !order.mobile) {
      mobile = (form.mobile ?? "").trim();
      if (!PK_MOBILE.test(mobile)) return checkoutPage(order, "Enter an 11-digit wallet number starting with 03.");
    }
    state.settle(order, decision, mobile);
    const status = order.orderStatus === "2" ? "success" : decision === "cancel" ? "cancel" : "failed";
    if (order.returnUrl) return redirect(withQuery(order.returnUrl, { merOrderNo: order.merchantRef, status }));
    return checkoutPage(order);
  };

  return {
    register(router: Router) {
      router.add("POST", "/api/v2/payment/order/create", "payInCreate", (req) => create(req, "payin"));
      router.add("POST", "/api/v2/payout/order/create", "payoutCreate", (req) => create(req, "payout"));
      router.add("GET", "/api/v2/payment/order/query", "payInQuery", (req) => query(req, "payin"));
      router.add("GET", "/api/v2/payout/order/query", "payoutQuery", (req) => query(req, "payout"));
      router.add("GET", "/api/v2/merchant/balance", "balance", balance);
      router.add("GET", "/checkout/:orderNo", "checkoutPage", (req) => {
        const order = state.payIns.byGatewayRef(req.params.orderNo as string);
        return order ? checkoutPage(order) : notFoundPage();
      });
      router.add("POST", "/checkout/:orderNo", "checkoutSubmit", checkoutSubmit);
    },
    act(ref, action, options) {
      const order = state.find(ref);
      if (!order) return json(404, { error: `ref: no xpress-pay order ${ref}` });
      const mobile = options.mobile === undefined ? (order.mobile ? undefined : "03000000000") : String(options.mobile);
      if (mobile !== undefined && !PK_MOBILE.test(mobile)) return json(400, { error: "mobile: expected 11 digits starting with 03" });
      return settled(order, state.settle(order, action, mobile));
    },
    control(ref, action, options) {
      if (action !== "recall") return undefined;
      const order = state.payIns.find(ref);
      if (!order) return json(404, { error: `ref: no xpress-pay pay-in ${ref}` });
      if (order.orderStatus !== "2") return json(409, { error: "only a paid order can be recalled" });
      const amountMinor = options.amount === undefined ? order.amountMinor - order.recalledMinor : decimalToMinor(options.amount);
      if (!amountMinor || amountMinor > order.amountMinor - order.recalledMinor) {
        return json(400, { error: "amount: expected a decimal string no larger than the unrecalled amount" });
      }
      state.recall(order, amountMinor, typeof options.reason === "string" ? options.reason : "Customer dispute / account unauthorized charge");
      return json(200, { merOrderNo: order.merchantRef, recallAmount: minorToDecimal(amountMinor) });
    },
    orders: () => state.orders(),
    reset: () => state.reset(),
    snapshot: () => state.snapshot(),
    restore: (snapshot) => state.restore(snapshot),
  };
}
