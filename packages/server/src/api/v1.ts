import formbody from "@fastify/formbody";
import type { FastifyRequest } from "fastify";
import type { App, RouteModule } from "../app";
import type { ServiceContext } from "../context";
import { ApiError } from "./errors";

declare module "fastify" {
  interface FastifyRequest {
    /** The merchant the API key authenticates (set by the /v1 auth hook). */
    merchantId: string;
  }
}

/** The merchant a /v1 request is authenticated as. */
export function merchantOf(request: FastifyRequest): string {
  if (!request.merchantId) throw new ApiError(401, "unauthenticated", "Authorization: expected `Bearer <API key>`", "Authorization");
  return request.merchantId;
}

/**
 * The merchant API under `/v1`, one encapsulated plugin: its API-key hook runs before any of its
 * routes (and only for them), and it reads JSON (Fastify's own parser) and HTML form bodies.
 */
export function v1Plugin(ctx: ServiceContext, modules: readonly RouteModule[]) {
  return async (v1: App): Promise<void> => {
    await v1.register(formbody);
    v1.decorateRequest("merchantId", "");
    v1.addHook("onRequest", async (request, reply) => {
      const header = request.headers.authorization ?? "";
      const key = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
      const merchantId = key ? await ctx.merchants.authenticate(key) : undefined;
      if (!merchantId) {
        return reply.code(401).send({ error: { code: "unauthenticated", message: "Authorization: expected `Bearer <API key>` with a valid key", field: "Authorization" } });
      }
      request.merchantId = merchantId;
    });
    for (const register of modules) register(v1, ctx);
  };
}
