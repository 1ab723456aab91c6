/**
 * Outbox to storefronts: the per-merchant endpoints API and the signed, retried delivery of every
 * status event (written by payments.recordEvent in the status change's own transaction).
 */
import type { RouteModule } from "../app";
import type { Worker } from "../features";
import { endpointRoutes } from "./endpoints";
import { startOutboxWorker } from "./worker";

/** POST/GET /v1/endpoints, DELETE /v1/endpoints/:id, POST /v1/endpoints/:id/rotate-secret. */
export const outboxRoutes: RouteModule = endpointRoutes;

/** The service's delivery worker, with the options configureOutbox set (the production schedule by default). */
export const startOutbox: Worker = async (ctx) => startOutboxWorker(ctx);

/** The pieces, for tests, tools and storefront adapters. */
export { endpointJson, newSigningSecret, MAX_ENABLED_ENDPOINTS, MAX_GRACE_SECONDS } from "./endpoints";
export { configureOutbox, outboxOptions, retryDelayMs, startOutboxWorker, DEFAULT_OUTBOX_OPTIONS, type OutboxOptions, type OutboxWorker } from "./worker";
export {
  verifyStorefrontSignature,
  signStorefrontPayload,
  parseStorefrontSignature,
  storefrontSignature,
  SIGNATURE_HEADER,
  EVENT_ID_HEADER,
  DEFAULT_TOLERANCE_SECONDS,
} from "./signature";
