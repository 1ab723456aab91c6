import type { PluginMigration } from "@xpay-connect/server";

/** The sessions' and mutations' tables (part B: src/sessions, src/mutations); ids "shopify-sessions-N"; never edit a shipped step. */
export const SESSION_MIGRATIONS: readonly PluginMigration[] = [
  {
    id: "shopify-sessions-1",
    name: "payment, refund/capture/void sessions, mutations to Shopify",
    sql: `
create table shopify_payment_sessions (
  id text primary key,
  gid text not null unique,
  shop text not null,
  session_group text not null,
  handle text not null,
  token text not null unique,
  gateway text not null,
  method text not null,
  amount_minor bigint not null,
  currency text not null,
  test boolean not null,
  kind text not null,
  cancel_url text not null,
  customer jsonb,
  service_request jsonb not null,
  payment_id text,
  gateway_ref text,
  next_action jsonb,
  payment_status text,
  expires_at timestamptz,
  redirect_url text,
  outcome text check (outcome in ('resolve', 'reject')),
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index shopify_payment_sessions_open on shopify_payment_sessions (created_at) where outcome is null;
create index shopify_payment_sessions_payment on shopify_payment_sessions (payment_id);
create index shopify_payment_sessions_gateway_ref on shopify_payment_sessions (gateway_ref);
create index shopify_payment_sessions_group on shopify_payment_sessions (shop, session_group);
create table shopify_action_sessions (
  id text primary key,
  gid text not null unique,
  kind text not null check (kind in ('refund', 'capture', 'void')),
  shop text not null,
  payment_session_id text not null,
  amount_minor bigint,
  currency text,
  status text not null default 'received' check (status in ('received', 'refunding', 'done')),
  service_ref text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create table shopify_mutations (
  id bigserial primary key,
  shop text not null,
  session_id text not null,
  session_gid text not null,
  operation text not null,
  variables jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'accepted', 'failed', 'cancelled')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  lease_token text,
  last_error text,
  redirect_url text,
  accepted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (session_gid, operation)
);
create index shopify_mutations_due on shopify_mutations (next_attempt_at) where status = 'pending';
create index shopify_mutations_shop on shopify_mutations (shop) where status = 'pending';
`,
  },
];
