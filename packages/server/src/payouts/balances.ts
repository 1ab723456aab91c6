import { z } from "zod";
import { requireBalance } from "@xpay-connect/core";
import type { App } from "../app";
import type { ServiceContext } from "../context";
import { capable } from "../api/errors";
import { BEARER, GatewayIdSchema, amountOut, errors, json } from "../api/schemas";
import { merchantOf } from "../api/v1";

const MoneyAmount = z.object({ amount: amountOut("The amount."), currency: z.string() }).meta({ id: "MoneyAmount" });

const BalanceSchema = z
  .object({
    object: z.literal("balance"),
    gateway: GatewayIdSchema,
    currency: z.string(),
    available: MoneyAmount.meta({ description: "What can be paid out now." }),
    collected: MoneyAmount.optional().meta({ description: "Collected from pay-ins, when the gateway reports it." }),
    frozen: MoneyAmount.optional().meta({ description: "Held back (frozen, disputed), when reported." }),
  })
  .meta({ id: "Balance" });

/** GET /v1/balances/:gateway: the merchant's balance, asked of the gateway now (amounts as decimal strings). */
export function balanceRoutes(app: App, ctx: ServiceContext): void {
  app.get(
    "/balances/:gateway",
    {
      schema: {
        operationId: "getBalance",
        summary: "The merchant's balance at a gateway (where it reports one)",
        tags: ["payouts"],
        security: BEARER,
        params: z.object({ gateway: GatewayIdSchema }),
        response: { 200: json(BalanceSchema, "The balance, asked of the gateway now."), ...errors(400, 401, 422, 502) },
      },
    },
    async (request) => {
      const merchantId = merchantOf(request);
      const gateway = request.params.gateway;
      const connector = await capable(async () => requireBalance(await ctx.merchants.connector(merchantId, gateway)));
      const balance = await connector.getBalance();
      return {
        object: "balance" as const,
        gateway,
        currency: balance.available.currency,
        available: balance.available.toJSON(),
        ...(balance.collected ? { collected: balance.collected.toJSON() } : {}),
        ...(balance.frozen ? { frozen: balance.frozen.toJSON() } : {}),
      };
    },
  );
}
