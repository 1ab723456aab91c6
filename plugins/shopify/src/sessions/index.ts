import type { FastifyInstance } from "fastify";
import type { ShopDataHooks, ShopifyAppDeps } from "../deps";

/** Registers the payment/refund/capture/void session routes and the service events route (part B replaces this stub). */
export function sessionRoutes(_app: FastifyInstance, _deps: ShopifyAppDeps): void {}

/** What uninstall and the compliance webhooks do to the sessions' data (part B replaces this stub). */
export const sessionHooks: ShopDataHooks = {
  uninstalled: async () => {},
  redactShop: async () => {},
  redactCustomer: async () => 0,
  customerData: async () => [],
};
