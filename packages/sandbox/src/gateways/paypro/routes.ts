import type { EmulatorContext, EmulatorRoutes, OrderAction } from "../../emulator";
import { json, type Router, type SandboxRequest, type SandboxResponse } from "../../http";
import { lagQueries, lookedUp } from "../../lag";
import { notFoundPage, statusPage } from "./pages";
import { PayProState, type PayProPayout } from "./state";
import { PAYPRO_ERRORS, authenticate, balanceQueryBody, fail, fieldProblem, ok, payoutBody, payoutQueryBody } from "./validation";

/** PayPro (spec 001): signed payout, payout query, balance, signed notifications, a payout status page. */
export function payProRoutes(ctx: EmulatorContext): EmulatorRoutes {
  const state = new PayProState(ctx);

  const payoutAnswer = (payout: PayProPayout): SandboxResponse =>
    ok({ platFormTradeNo: payout.gatewayRef, remark: payout.remark, status: payout.status, desc: payout.desc });

  const createPayout = (req: SandboxRequest): SandboxResponse => {
    const auth = authenticate(req);
    if ("refused" in auth) return auth.refused;
    const body = auth.body;
    const problem = fieldProblem(payoutBody(body.accountType), body);
    if (problem) return problem;
    const { sign: _sign, timestamp: _timestamp, ...business } = body;
    const request = JSON.stringify(Object.keys(business).sort().map((k) => [k, business[k]]));
    const tradeNo = body.tradeNo as string;
    const existing = state.book.byMerchantRef(tradeNo);
    // A retry of the same payout answers the same payout (safe after a timeout); a different one is refused.
    if (existing) {
      return existing.request === request ? payoutAnswer(existing) : fail(PAYPRO_ERRORS.duplicateTradeNo, `tradeNo ${tradeNo} already exists with a different request`);
    }
    const payout = state.create(body, request);
    if (payout === "insufficient_balance") {
      return fail(PAYPRO_ERRORS.insufficientBalance, `insufficient balance: ${state.balance.available} PKR available, ${Number(body.amount)} PKR requested`);
    }
    return payoutAnswer(payout);
  };

  const queryPayout = (req: SandboxRequest): SandboxResponse => {
    const auth = authenticate(req);
    if ("refused" in auth) return auth.refused;
    const problem = fieldProblem(payoutQueryBody, auth.body);
    if (problem) return problem;
    const payout = state.book.byMerchantRef(auth.body.tradeNo as string);
    if (!payout) return fail(PAYPRO_ERRORS.orderNotFound, `tradeNo ${String(auth.body.tradeNo)}: no such payout`);
    const { status, desc } = lookedUp(payout.lag, { status: payout.status, desc: payout.desc });
    return ok({
      platFormTradeNo: payout.gatewayRef,
      tradeNo: payout.merchantRef,
      amount: String(payout.amount),
      status,
      desc,
      remark: payout.remark,
      ...(payout.successTime ? { successTime: payout.successTime } : {}),
    });
  };

  const queryBalance = (req: SandboxRequest): SandboxResponse => {
    const auth = authenticate(req);
    if ("refused" in auth) return auth.refused;
    const problem = fieldProblem(balanceQueryBody, auth.body);
    if (problem) return problem;
    return ok({ availableAmount: String(state.balance.available), freezeAmount: String(state.frozen()), unsettledAmount: String(state.balance.unsettled) });
  };

  const page = (payout: PayProPayout) => statusPage(payout, state.processing(payout));

  return {
    register(router: Router) {
      router.add("POST", "/v1/payproPK/payout", "payout", createPayout);
      router.add("POST", "/v1/payproPK/queryPayOutResult", "payoutQuery", queryPayout);
      router.add("POST", "/v1/payproPK/queryBalance", "balance", queryBalance);
      router.add("GET", "/payout/:platFormTradeNo", "payoutPage", (req) => {
        const payout = state.book.byGatewayRef(req.params.platFormTradeNo as string);
        return payout ? page(payout) : notFoundPage();
      });
      router.add("POST", "/payout/:platFormTradeNo", "payoutPageSubmit", (req) => {
        const payout = state.book.byGatewayRef(req.params.platFormTradeNo as string);
        if (!payout) return notFoundPage();
        const decision = (req.body ?? {}) as Record<string, string>;
        const action: OrderAction = decision.decision === "approve" || decision.decision === "decline" ? decision.decision : "cancel";
        state.settle(payout, action);
        return page(payout);
      });
    },
    act(ref, action) {
      const payout = state.book.find(ref);
      if (!payout) return json(404, { error: `ref: no paypro payout ${ref}` });
      if (!state.settle(payout, action)) return json(409, { error: `payout ${payout.gatewayRef} is already final (status ${payout.status} ${payout.desc})` });
      return json(200, { tradeNo: payout.merchantRef, platFormTradeNo: payout.gatewayRef, status: payout.status, desc: payout.desc });
    },
    control(ref, action, options) {
      if (action !== "lag") return undefined;
      const payout = state.book.find(ref);
      if (!payout) return json(404, { error: `ref: no paypro payout ${ref}` });
      const queries = lagQueries(options);
      if (typeof queries === "string") return json(400, { error: queries });
      payout.lag = { before: { status: payout.status, desc: payout.desc }, queries };
      return json(200, { tradeNo: payout.merchantRef, lag_queries: queries });
    },
    orders: () => state.orders(),
    reset: () => state.reset(),
    snapshot: () => state.snapshot(),
    restore: (snapshot) => state.restore(snapshot),
  };
}
