import type { PluginMigration } from "@xpay-connect/server";

/** The sessions' and mutations' tables (owned by part B; ids "shopify-sessions-N"). A stub until B writes them. */
export const SESSION_MIGRATIONS: readonly PluginMigration[] = [];
