// PLACEHOLDER (payouts helper): payouts, balances and refunds API.
import type { RouteModule } from "../app";
export const payoutRoutes: RouteModule = () => undefined;
