import type { Logger as PinoLogger } from "pino";
import type { CallbackInbox } from "./callbacks";
import type { ServerConfig } from "./config";
import type { Secrets } from "./crypto";
import type { Db } from "./db/db";
import type { Merchants } from "./merchants";

/** What every part of the service shares. */
export interface ServiceContext {
  config: ServerConfig;
  db: Db;
  secrets: Secrets;
  merchants: Merchants;
  inbox: CallbackInbox;
  log: PinoLogger;
  /** The per-payment callback URL a gateway posts to. */
  callbackUrl(gateway: string, paymentId: string): string;
}
