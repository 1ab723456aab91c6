import type { EventEmitter } from "node:events";
import type { PgBoss } from "pg-boss";
import type { Logger as PinoLogger } from "pino";
import type { CallbackInbox } from "./callbacks";
import type { ServerConfig } from "./config";
import type { Secrets } from "./crypto";
import type { Db } from "./db/db";
import type { Merchants } from "./merchants";
import type { EndpointAddressPolicy } from "./outbox/address-guard";

/** What every part of the service shares. */
export interface ServiceContext {
  config: ServerConfig;
  db: Db;
  secrets: Secrets;
  merchants: Merchants;
  inbox: CallbackInbox;
  log: PinoLogger;
  /** pg-boss on the service's database, for background work. */
  jobs: PgBoss;
  /**
   * In-process notifications for metrics and wake-ups:
   * "callback.stored" (gateway), "callback.processed" ({gateway, outcome, latencyMs, callbackId, paymentId, note}), "callback.drain_failed" (error),
   * "callback.store_failed" ({code, message, rows}: an intake INSERT failed, without its values),
   * "payment.changed" ({payment, from, to}), "outbox.recorded" (eventId), "payment.needs_attention" ({payment, reason, amount}).
   * "reconcile.result" ({gateway, outcome}: applied|unchanged|expired|conflict|mismatch|error, one per payment re-queried).
   */
  events: EventEmitter;
  /** Which addresses storefront endpoints may resolve to (ALLOW_PRIVATE_ENDPOINTS), and how names are resolved. */
  endpointPolicy: EndpointAddressPolicy;
  /** The per-payment callback URL a gateway posts to. */
  callbackUrl(gateway: string, paymentId: string): string;
}
