import type { IncomingMessage, ServerResponse } from "node:http";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type RawServerDefault } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { ServiceContext } from "./context";
import { callbackPlugin } from "./callbacks";
import { clientErrorHandler } from "./api/client-errors";
import { errorReply } from "./api/errors";
import { v1Plugin } from "./api/v1";
import { V1_ROUTES } from "./features";
import { observeRequests } from "./ops/metrics";
import { safeError } from "./ops/log";
import { openApiOptions } from "./ops/openapi";

/** The service's Fastify instance, its routes typed from their zod schemas. */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** A route module: registers its routes with the shared context. */
export type RouteModule = (app: App, ctx: ServiceContext) => void;

/**
 * Builds the HTTP app: the zod type provider, one error shape, request metrics, the OpenAPI
 * generator, and the route groups as encapsulated plugins: `/v1` (its API-key hook inside),
 * `/callbacks` (its raw-body parser inside), then each of `plugins` (operations, the demo store...).
 */
export function buildApp(ctx: ServiceContext, plugins: RouteModule[] = []): App {
  // Request lines would drown a callback flood: Fastify logs only warnings; our own lines go to ctx.log.
  const app = Fastify({
    loggerInstance: ctx.log.child({ component: "http" }, { level: "warn" }) as FastifyBaseLogger,
    bodyLimit: 1_048_576,
    return503OnClosing: true,
    clientErrorHandler,
    // Errors Fastify raises before routing (a path parameter over 100 characters, a malformed URL) get our error shape too.
    frameworkErrors: (error, _request, reply) => {
      const { status, body } = errorReply(error);
      return (reply as FastifyReply).code(status).send(body);
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorReply(error);
    // The route pattern, not the URL: a callback URL carries the payment's secret token.
    if (status >= 500) ctx.log.error({ err: safeError(error), method: request.method, route: request.routeOptions.url ?? "unmatched" }, "request failed");
    return reply.code(status).send(body as never);
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: { code: "not_found", message: `no route ${request.method} ${request.url.split("?")[0]}` } }));

  void app.register(swagger, openApiOptions());
  app.decorate("metrics", observeRequests(app, ctx));
  void app.register(v1Plugin(ctx, V1_ROUTES), { prefix: "/v1" });
  void app.register(callbackPlugin(ctx), { prefix: "/callbacks" });
  for (const register of plugins) void app.register(async (child: App) => register(child, ctx));
  return app;
}
