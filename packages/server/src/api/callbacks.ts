import type { FastifyInstance, FastifyReply } from "fastify";
import { GATEWAY_IDS, callbackReplyFor, type CallbackReply, type GatewayId } from "@xpay-connect/core";
import type { ServiceContext } from "../context";
import { ApiError } from "./errors";

/** Gateways whose callback URL is a dashboard setting, not one per payment. */
export const DASHBOARD_CALLBACK_GATEWAYS: readonly GatewayId[] = ["xpay-eg", "xpay-pk"];

function send(reply: FastifyReply, answer: CallbackReply) {
  return reply.code(answer.status).type(answer.contentType).send(answer.body);
}

/** A 404 for a callback URL that is not ours, naming the part of the URL that is wrong. */
function unknownUrl(field: string, expected: string): ApiError {
  return new ApiError(404, "unknown_callback_url", `unknown callback URL: ${field}: expected ${expected}`, field);
}

function rawBody(body: unknown): string {
  return typeof body === "string" ? body : Buffer.isBuffer(body) ? body.toString("utf8") : "";
}

/**
 * Gateway callbacks: `/callbacks/<gateway>/<payment>/<token>` (per payment, the token checked in
 * constant time without a database read) and `/callbacks/<gateway>` (dashboard URLs). A callback is
 * stored before it is acknowledged; verification and the status change happen right after, in the inbox.
 */
export function callbackRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const isGateway = (g: string): g is GatewayId => (GATEWAY_IDS as readonly string[]).includes(g);

  app.post<{ Params: { gateway: string; paymentId: string; token: string } }>("/callbacks/:gateway/:paymentId/:token", async (request, reply) => {
    const { gateway, paymentId, token } = request.params;
    if (!isGateway(gateway)) throw unknownUrl("gateway", `one of ${GATEWAY_IDS.join(", ")}`);
    // One answer for a wrong token and an unknown payment: the URL must not reveal which payments exist.
    if (!ctx.secrets.checkCallbackToken(paymentId, token)) throw unknownUrl("token", "the token of this payment's callback URL");
    const body = rawBody(request.body);
    if (!body) throw new ApiError(400, "invalid_input", "body: expected the gateway's callback, got nothing", "body");
    await ctx.inbox.store({ gateway, paymentId, rawBody: body, headers: request.headers });
    return send(reply, callbackReplyFor(gateway, true));
  });

  app.post<{ Params: { gateway: string } }>("/callbacks/:gateway", async (request, reply) => {
    const { gateway } = request.params;
    if (!isGateway(gateway) || !DASHBOARD_CALLBACK_GATEWAYS.includes(gateway)) {
      throw unknownUrl("gateway", `${DASHBOARD_CALLBACK_GATEWAYS.join(" or ")} (the others call back on each payment's own URL)`);
    }
    const body = rawBody(request.body);
    if (!body) throw new ApiError(400, "invalid_input", "body: expected the gateway's callback, got nothing", "body");
    await ctx.inbox.store({ gateway, rawBody: body, headers: request.headers });
    return send(reply, callbackReplyFor(gateway, true));
  });
}
