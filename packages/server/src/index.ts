/**
 * @xpay-connect/server: the connector service.
 *
 *   const service = await startService({ port: 4000 });   // PGlite in .data/ unless DATABASE_URL
 *   const { apiKey, merchant } = await service.ctx.merchants.create("My store");
 */
export { startService, openDb, createLogger, type Service } from "./service";
/** The service as a process with storefront plugins mounted (plugins/shopify/src/main.ts). */
export { runService, serviceFailed } from "./run-service";
export { loadConfig, type ServerConfig } from "./config";
/** `pnpm start` for launchers that mount storefront plugins (plugins/shopify/src/start.ts). */
export { runStart, startFailed } from "./start";
export type { BannerRow } from "./demo/launch";
export { migrate, MIGRATIONS, type PluginMigration } from "./db/migrations";
export type { App, RouteModule } from "./app";
export type { Db, Sql } from "./db/db";
export { int } from "./db/db";
export { Merchants } from "./merchants";
export { Secrets } from "./crypto";
export type { ServiceContext } from "./context";
export { verifyStorefrontSignature, signStorefrontPayload, SIGNATURE_HEADER, EVENT_ID_HEADER } from "./outbox/signature";
