import type { RouteModule } from "../app";
import { balanceRoutes } from "./balances";
import { payoutRoutes as payouts } from "./payouts";

export { payoutJson } from "./payouts";

/** Payouts (xpress-pay, paypro) and balances, under /v1. */
export const payoutRoutes: RouteModule = (app, ctx) => {
  payouts(app, ctx);
  balanceRoutes(app, ctx);
};
