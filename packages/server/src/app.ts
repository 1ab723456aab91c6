import { InvalidInputError } from "@xpay-connect/core";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { ServiceContext } from "./context";
import { callbackRoutes } from "./api/callbacks";
import { errorReply } from "./api/errors";
import { paymentRoutes } from "./api/payments";

/** A route module: registers its routes with the shared context. */
export type RouteModule = (app: FastifyInstance, ctx: ServiceContext) => void;

/** Route modules, in order; features add theirs here. */
export const ROUTES: RouteModule[] = [paymentRoutes, callbackRoutes];

/** Builds the HTTP app: bodies kept raw for callbacks, API keys on /v1, one error shape. */
export function buildApp(ctx: ServiceContext, extra: RouteModule[] = []): FastifyInstance {
  // Request lines would drown a callback flood: Fastify logs only warnings; our own lines go to ctx.log.
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log.child({ component: "http" }, { level: "warn" }) as FastifyBaseLogger,
    bodyLimit: 1_048_576,
    return503OnClosing: true,
    // Errors Fastify raises before routing (a path parameter over 100 characters, a malformed URL) get our error shape too.
    frameworkErrors: (error, _request, reply) => {
      const { status, body } = errorReply(error);
      return (reply as FastifyReply).code(status).send(body);
    },
  });

  // Callbacks must be verified over the exact bytes received: keep every body as text and parse JSON ourselves.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    const type = String(request.headers["content-type"] ?? "");
    if (request.url.startsWith("/callbacks/")) return done(null, text);
    if (text === "") return done(null, undefined);
    if (type.includes("application/json")) {
      try {
        return done(null, JSON.parse(text));
      } catch {
        return done(Object.assign(new InvalidInputError("body", "valid JSON", `${text.length} bytes that do not parse`), { statusCode: 400 }), undefined);
      }
    }
    if (type.includes("application/x-www-form-urlencoded")) return done(null, Object.fromEntries(new URLSearchParams(text)));
    return done(null, text);
  });

  app.addHook("onRequest", async (request: FastifyRequest & { merchantId?: string }, reply) => {
    if (!request.url.startsWith("/v1/")) return;
    const header = request.headers.authorization ?? "";
    const key = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
    const merchantId = key ? await ctx.merchants.authenticate(key) : undefined;
    if (!merchantId) {
      return reply.code(401).send({ error: { code: "unauthenticated", message: "Authorization: expected `Bearer <API key>` with a valid key", field: "Authorization" } });
    }
    request.merchantId = merchantId;
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorReply(error);
    // The route pattern, not the URL: a callback URL carries the payment's secret token.
    if (status >= 500) ctx.log.error({ err: error, method: request.method, route: request.routeOptions.url ?? "unmatched" }, "request failed");
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: { code: "not_found", message: `no route ${request.method} ${request.url.split("?")[0]}` } }));

  app.get("/healthz", async () => ({ ok: true }));
  for (const register of [...ROUTES, ...extra]) register(app, ctx);
  return app;
}
