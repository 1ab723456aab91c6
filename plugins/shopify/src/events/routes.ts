import type { FastifyInstance } from "fastify";
import { EVENT_ID_HEADER, SIGNATURE_HEADER, verifyStorefrontSignature } from "@xpay-connect/server";
import type { ShopifyAppDeps } from "../deps";
import type { ServicePayment } from "./outcome";

/** What the events route hands on: a verified payment status change for one shop. */
export type PaymentEventHandler = (shop: string, type: string, payment: ServicePayment) => Promise<void>;

/**
 * POST /events/:shop: the service's signed status events for the shop's merchant (the endpoint the
 * config page registered). Verified with the endpoint's secret over the raw body before anything is
 * read; a bad or missing signature answers 401 and changes nothing.
 */
export function eventRoutes(app: FastifyInstance, deps: ShopifyAppDeps, handle: PaymentEventHandler): void {
  void app.register(async (child) => {
    // The raw bytes, as signed: JSON is parsed only after the signature holds.
    child.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    child.post<{ Params: { shop: string } }>("/events/:shop", async (request, reply) => {
      const shop = request.params.shop;
      const raw = request.body as Buffer | undefined;
      const secret = /^[a-zA-Z0-9][a-zA-Z0-9-_]*\.myshopify\.com$/.test(shop) ? await deps.shops.endpointSecret(shop) : null;
      if (!secret || !raw || !verifyStorefrontSignature(request.headers[SIGNATURE_HEADER.toLowerCase()], raw, secret)) {
        return reply.code(401).send({ error: { code: "invalid_signature", message: `${SIGNATURE_HEADER}: not a valid signature for ${shop}'s endpoint` } });
      }
      let event: { type?: unknown; data?: Partial<ServicePayment> & { object?: string } };
      try {
        event = JSON.parse(raw.toString("utf8")) as typeof event;
      } catch {
        return reply.code(400).send({ error: { code: "invalid_request", message: "body: expected JSON" } });
      }
      const payment = event.data;
      if (typeof event.type !== "string" || !payment || typeof payment.id !== "string" || typeof payment.status !== "string") {
        return reply.code(400).send({ error: { code: "invalid_request", message: "data: expected a payment with id and status" } });
      }
      // Payouts and other storefronts' payments of the merchant are acknowledged and ignored by the handler.
      if (payment.object === undefined || payment.object === "payment") await handle(shop, event.type, payment as ServicePayment);
      deps.log.debug({ shop, event: request.headers[EVENT_ID_HEADER.toLowerCase()], type: event.type }, "shopify: service event received");
      return reply.code(200).send({ received: true });
    });
  });
}
