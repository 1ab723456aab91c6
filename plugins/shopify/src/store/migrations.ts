import type { PluginMigration } from "@xpay-connect/server";
import { SESSION_MIGRATIONS } from "./session-tables";

/** The app's own tables in the service's database; ids are namespaced ("shopify-N"); never edit a shipped step, add one. */
export const SHOP_MIGRATIONS: readonly PluginMigration[] = [
  {
    id: "shopify-1",
    name: "shops, OAuth states, webhooks",
    sql: `
create table shopify_shops (
  shop text primary key,
  access_token_ciphertext text,
  access_token_expires_at timestamptz,
  refresh_token_ciphertext text,
  refresh_token_expires_at timestamptz,
  scopes text not null default '',
  merchant_id text,
  service_api_key_ciphertext text,
  external_handle text,
  endpoint_id text,
  endpoint_secret_ciphertext text,
  ready boolean not null default false,
  installed_at timestamptz,
  uninstalled_at timestamptz,
  updated_at timestamptz not null default now()
);
create table shopify_webhooks (
  webhook_id text primary key,
  shop text not null,
  topic text not null,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  outcome jsonb
);
create index shopify_webhooks_by_shop on shopify_webhooks (shop, received_at);
`,
  },
];

/** Every migration of the app: the shops' tables, then the sessions' and mutations' (src/store/session-tables.ts). */
export const SHOPIFY_MIGRATIONS: readonly PluginMigration[] = [...SHOP_MIGRATIONS, ...SESSION_MIGRATIONS];
