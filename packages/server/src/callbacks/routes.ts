import rateLimit from "@fastify/rate-limit";
import { z } from "zod";
import { GATEWAYS, GATEWAY_IDS, callbackReplyFor, gatewayDefinition, isGatewayId, type CallbackReply, type GatewayId } from "@xpay-connect/core";
import type { FastifyReply } from "fastify";
import type { App } from "../app";
import type { ServiceContext } from "../context";
import { ApiError } from "../api/errors";
import { ErrorSchema, OPEN, json } from "../api/schemas";

/** Gateways whose callback URL is a dashboard setting, not one per payment (as each declares). */
export const DASHBOARD_CALLBACK_GATEWAYS: readonly GatewayId[] = GATEWAY_IDS.filter((g) => GATEWAYS[g].capabilities.callbackUrl === "dashboard");

/** A per-payment callback URL's body cap: generous (its token is checked before anything is stored; real callbacks are under 2 KB). */
export const PER_PAYMENT_CALLBACK_BODY_LIMIT = 64 * 1024;

/** A dashboard callback URL's body cap for `gateway`: what the gateway declares it sends (8 KB when it declares nothing). */
export function dashboardBodyLimit(gateway: GatewayId): number {
  return GATEWAYS[gateway].callbackBodyLimit ?? 8 * 1024;
}

/** The largest dashboard cap: the route's own limit, so Fastify stops reading past it; each gateway's is checked after. */
const DASHBOARD_ROUTE_BODY_LIMIT = Math.max(...DASHBOARD_CALLBACK_GATEWAYS.map(dashboardBodyLimit));

function send(reply: FastifyReply, answer: CallbackReply) {
  return reply.code(answer.status).type(answer.contentType).send(answer.body);
}

/** A 404 for a callback URL that is not ours, naming the part of the URL that is wrong. */
function unknownUrl(field: string, expected: string): ApiError {
  return new ApiError(404, "unknown_callback_url", `unknown callback URL: ${field}: expected ${expected}`, field);
}

/** The exact bytes a gateway sent (verification runs over them), or a 400 naming `body`. */
function received(body: unknown): Buffer {
  if (Buffer.isBuffer(body) && body.length > 0) return body;
  throw new ApiError(400, "invalid_input", "body: expected the gateway's callback, got nothing", "body");
}

/**
 * A dashboard callback's body, refused before it is stored unless it is what the gateway sends:
 * at most its declared size (413), and a callback its credential-free parser can read (400).
 * Nothing unreadable is kept from a URL anyone can post to.
 */
function dashboardBody(gateway: GatewayId, body: unknown): Buffer {
  const bytes = received(body);
  const limit = dashboardBodyLimit(gateway);
  if (bytes.length > limit) throw new ApiError(413, "payload_too_large", `body: expected at most ${limit} bytes (the largest ${gateway} callback), got ${bytes.length}`, "body");
  try {
    gatewayDefinition(gateway).parseCallback({ rawBody: bytes });
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(new RegExp(`^${gateway} `), "") : "unreadable";
    throw new ApiError(400, "invalid_callback", `body: expected a ${gateway} callback (${why})`, "body");
  }
  return bytes;
}

/** Any body, kept as its exact bytes. */
const RawBody = z.custom<Buffer>(() => true).meta({ description: "The gateway's own callback body, kept and verified as the exact bytes received." });

/** What a gateway gets back: its own acknowledgement (xpress-pay plaintext `SUCCESS`, others JSON). */
const Acknowledgement = {
  description: "Stored: the gateway's own acknowledgement.",
  content: { "text/plain": { schema: z.string() }, "application/json": { schema: z.string().meta({ description: "A JSON acknowledgement, as the gateway expects it." }) } },
};

/**
 * Gateway callbacks under `/callbacks`, one encapsulated plugin: it reads every body, of any
 * content type, as the exact bytes received (a Buffer), since signatures are computed over them.
 * `/callbacks/<gateway>/<payment>/<token>` (per payment, the token checked in constant time without
 * a database read) and `/callbacks/<gateway>` (dashboard URLs). A callback is stored before it is
 * acknowledged; verification and the status change happen right after, in the inbox.
 */
export function callbackPlugin(ctx: ServiceContext) {
  return async (app: App): Promise<void> => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    // Only the dashboard URLs are limited (they carry no per-payment secret); a route opts in with config.rateLimit.
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) =>
        new ApiError(429, "rate_limited", `too many callbacks from this address: at most ${context.max} a minute on a dashboard callback URL; retry after ${Math.ceil(context.ttl / 1000)} s`, "source address"),
    });
    const perMinute = ctx.config.callbackRateLimitPerMinute;

    app.post(
      "/:gateway/:paymentId/:token",
      {
        schema: {
          operationId: "gatewayCallback",
          summary: "A gateway's callback for one payment (the URL we give the gateway with each payment)",
          description:
            "Not for you to call: gateways post here. The token is checked in constant time; the body is stored before it is acknowledged, then verified (signature or query-back, amount and currency) and applied.",
          tags: ["callbacks"],
          security: OPEN,
          consumes: ["*/*"],
          params: z.object({
            gateway: z.string().meta({ description: "The gateway.", examples: ["xpress-pay"] }),
            paymentId: z.string().meta({ description: "Our payment id." }),
            token: z.string().meta({ description: "The payment's unguessable callback token." }),
          }),
          body: RawBody,
          response: {
            200: Acknowledgement,
            400: json(ErrorSchema, "An empty body, or one the database refused on its own (`field: body`)."),
            404: json(ErrorSchema, "Not one of our callback URLs (`field: gateway` or `token`; an unknown payment answers like a wrong token)."),
            413: json(ErrorSchema, `A body over ${PER_PAYMENT_CALLBACK_BODY_LIMIT / 1024} KB (\`field: body\`).`),
            503: json(ErrorSchema, "The callback could not be stored now (the database failed): nothing was kept; the gateway should send it again."),
          },
        },
        bodyLimit: PER_PAYMENT_CALLBACK_BODY_LIMIT,
      },
      async (request, reply) => {
        const { gateway, paymentId, token } = request.params;
        if (!isGatewayId(gateway)) throw unknownUrl("gateway", `one of ${GATEWAY_IDS.join(", ")}`);
        // One answer for a wrong token and an unknown payment: the URL must not reveal which payments exist.
        if (!ctx.secrets.checkCallbackToken(paymentId, token)) throw unknownUrl("token", "the token of this payment's callback URL");
        await ctx.inbox.store({ gateway, paymentId, rawBody: received(request.body), headers: request.headers });
        return send(reply, callbackReplyFor(gateway, true));
      },
    );

    app.post(
      "/:gateway",
      {
        schema: {
          operationId: "gatewayDashboardCallback",
          summary: "A gateway's callback to the URL set in its dashboard",
          description: `For ${DASHBOARD_CALLBACK_GATEWAYS.join(" and ")}, whose callback URL is a dashboard setting: set it to <PUBLIC_URL>/callbacks/<gateway>. The body names our payment id. It must be what the gateway sends (at most ${DASHBOARD_CALLBACK_GATEWAYS.map((g) => `${dashboardBodyLimit(g) / 1024} KB for ${g}`).join(", ")}, readable as its callback); it is stored, then verified and applied. Requests are limited per source address (CALLBACK_RATE_LIMIT_PER_MINUTE).`,
          tags: ["callbacks"],
          security: OPEN,
          consumes: ["*/*"],
          params: z.object({ gateway: z.string().meta({ description: `${DASHBOARD_CALLBACK_GATEWAYS.join(" or ")}.`, examples: ["xpay-eg"] }) }),
          body: RawBody,
          response: {
            200: Acknowledgement,
            400: json(ErrorSchema, "An empty body, or one that is not this gateway's callback (`field: body`): nothing was stored."),
            404: json(ErrorSchema, "Not a dashboard-configured gateway (`field: gateway`)."),
            413: json(ErrorSchema, "A body bigger than the gateway's callbacks (`field: body`): nothing was stored."),
            429: json(ErrorSchema, "Too many requests from this address (`field: source address`); the `Retry-After` header says when to try again."),
            503: json(ErrorSchema, "The callback could not be stored now (the database failed): nothing was kept; the gateway should send it again."),
          },
        },
        bodyLimit: DASHBOARD_ROUTE_BODY_LIMIT,
        ...(perMinute > 0 ? { config: { rateLimit: { max: perMinute, timeWindow: 60_000 } } } : {}),
      },
      async (request, reply) => {
        const { gateway } = request.params;
        if (!isGatewayId(gateway) || !DASHBOARD_CALLBACK_GATEWAYS.includes(gateway)) {
          throw unknownUrl("gateway", `${DASHBOARD_CALLBACK_GATEWAYS.join(" or ")} (the others call back on each payment's own URL)`);
        }
        await ctx.inbox.store({ gateway, rawBody: dashboardBody(gateway, request.body), headers: request.headers });
        return send(reply, callbackReplyFor(gateway, true));
      },
    );
  };
}
