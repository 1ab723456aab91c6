import type { FastifyInstance } from "fastify";
import { requireBalance } from "@xpay-connect/core";
import type { ServiceContext } from "../context";
import { merchantOf } from "../api/payments";
import { gatewayId } from "../merchants";
import { capable } from "./shared";

/** GET /v1/balances/:gateway: the merchant's balance, asked of the gateway now (amounts as decimal strings). */
export function balanceRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get<{ Params: { gateway: string } }>("/v1/balances/:gateway", async (request) => {
    const merchantId = merchantOf(request);
    const gateway = gatewayId(request.params.gateway);
    const connector = await capable(async () => requireBalance(await ctx.merchants.connector(merchantId, gateway)));
    const balance = await connector.getBalance();
    return {
      object: "balance",
      gateway,
      currency: balance.available.currency,
      available: balance.available.toJSON(),
      ...(balance.collected ? { collected: balance.collected.toJSON() } : {}),
      ...(balance.frozen ? { frozen: balance.frozen.toJSON() } : {}),
    };
  });
}
