import type { RouteModule } from "../app";
import { balanceRoutes } from "./balances";
import { payoutRoutes as payouts } from "./payouts";
import { refundRoutes } from "./refunds";

export { payoutJson } from "./payouts";
export { refundJson, settleRefund, type RefundRow, type RefundResult } from "./refunds";

/** Payouts (xpress-pay, paypro), balances, and refunds of pay-ins where the gateway can refund. */
export const payoutRoutes: RouteModule = (app, ctx) => {
  payouts(app, ctx);
  balanceRoutes(app, ctx);
  refundRoutes(app, ctx);
};
