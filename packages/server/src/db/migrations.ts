import type { Db } from "./db";

/** The schema, one migration a step; never edit a shipped step, add one. Same SQL on PGlite and PostgreSQL. */
export const MIGRATIONS: readonly { id: number; name: string; sql: string }[] = [
  {
    id: 1,
    name: "init",
    sql: `
create table merchants (
  id text primary key,
  name text not null,
  created_at timestamptz not null default now()
);
create table api_keys (
  id text primary key,
  merchant_id text not null references merchants(id),
  key_hash text not null unique,
  prefix text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create table gateway_accounts (
  merchant_id text not null references merchants(id),
  gateway text not null,
  config_ciphertext text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (merchant_id, gateway)
);
create table payments (
  id text primary key,
  merchant_id text not null references merchants(id),
  kind text not null check (kind in ('pay_in', 'payout')),
  gateway text not null,
  method text not null,
  order_ref text not null,
  amount_minor bigint not null check (amount_minor > 0),
  currency text not null,
  status text not null,
  gateway_status text,
  gateway_ref text,
  next_action jsonb,
  party jsonb not null default '{}',
  return_url text,
  metadata jsonb not null default '{}',
  refunded_minor bigint not null default 0,
  flagged text,
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index payments_by_merchant on payments (merchant_id, created_at desc, id desc);
create index payments_open on payments (updated_at) where status in ('pending', 'requires_action', 'authorized');
create table payment_events (
  id bigserial primary key,
  payment_id text not null references payments(id),
  type text not null,
  from_status text,
  to_status text,
  source text not null,
  detail jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index payment_events_by_payment on payment_events (payment_id, id);
create table callbacks (
  id bigserial primary key,
  gateway text not null,
  payment_id text,
  path_token boolean not null default false,
  raw_body text not null,
  headers jsonb not null default '{}',
  state text not null default 'received' check (state in ('received', 'applied', 'rejected', 'retry')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  outcome text,
  received_at timestamptz not null default now(),
  processed_at timestamptz
);
create index callbacks_todo on callbacks (next_attempt_at, id) where state in ('received', 'retry');
create table idempotency_keys (
  merchant_id text not null references merchants(id),
  key text not null,
  request_hash text not null,
  status_code int,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (merchant_id, key)
);
create table endpoints (
  id text primary key,
  merchant_id text not null references merchants(id),
  url text not null,
  secret_ciphertext text not null,
  enabled boolean not null default true,
  created_at timestamptz not null default now()
);
create table outbox_events (
  id text primary key,
  merchant_id text not null references merchants(id),
  payment_id text not null references payments(id),
  type text not null,
  payload jsonb not null,
  created_at timestamptz not null default now()
);
create index outbox_by_merchant on outbox_events (merchant_id, created_at);
create table deliveries (
  event_id text not null references outbox_events(id),
  endpoint_id text not null references endpoints(id),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  delivered_at timestamptz,
  last_status int,
  last_error text,
  primary key (event_id, endpoint_id)
);
create index deliveries_due on deliveries (next_attempt_at) where delivered_at is null;
`,
  },
  {
    id: 2,
    name: "outbox delivery",
    // Endpoint secrets rotate with a grace period; deliveries carry their claim's token and can be given up.
    sql: `
alter table endpoints add column description text;
alter table endpoints add column disabled_at timestamptz;
alter table endpoints add column previous_secret_ciphertext text;
alter table endpoints add column previous_secret_expires_at timestamptz;
create index endpoints_by_merchant on endpoints (merchant_id, created_at desc);
alter table deliveries add column lease_token text;
alter table deliveries add column abandoned_at timestamptz;
drop index deliveries_due;
create index deliveries_due on deliveries (next_attempt_at) where delivered_at is null and abandoned_at is null;
`,
  },
  {
    id: 3,
    name: "payouts, refunds and reconciliation",
    sql: `
alter table payments add column reconcile_attempts int not null default 0;
alter table payments add column next_reconcile_at timestamptz;
create index payments_reconcile_due on payments (gateway, next_reconcile_at) where status in ('pending', 'requires_action', 'authorized');
create table refunds (
  id text primary key,
  merchant_id text not null references merchants(id),
  payment_id text not null references payments(id),
  amount_minor bigint not null check (amount_minor > 0),
  currency text not null,
  status text not null check (status in ('pending', 'succeeded', 'failed')),
  reason text,
  gateway_ref text,
  gateway_status text,
  error text,
  next_check_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index refunds_by_payment on refunds (payment_id, created_at);
create index refunds_pending on refunds (updated_at) where status = 'pending';
create table reconcile_limits (
  gateway text primary key,
  tokens double precision not null,
  refilled_ms double precision not null
);
`,
  },
  {
    id: 4,
    name: "callback bodies kept as bytes",
    // Text cannot hold every body a gateway may send (a NUL, invalid UTF-8): the bytes are kept
    // exactly; raw_body stays as a readable text view, and rows from before keep only it.
    sql: `
alter table callbacks add column raw_body_bytes bytea;
alter table callbacks alter column raw_body drop not null;
`,
  },
  {
    id: 5,
    name: "never twice",
    // An idempotency key's lock expires (locked_at), is held by one request at a time (lock_token), and
    // remembers the object its request stored (resource_id), so a reclaimed key recovers it instead of sending again.
    sql: `
alter table idempotency_keys add column locked_at timestamptz not null default now();
alter table idempotency_keys add column lock_token text;
alter table idempotency_keys add column resource_id text;
create index payments_by_order_ref on payments (merchant_id, order_ref) where kind = 'pay_in';
`,
  },
  {
    id: 6,
    name: "late payments and recalls",
    // A payment that needs a person (paid after it expired, a recall only the URL token vouches for),
    // the amount recalls clawed back, and each recall notice once (its gateway retries it).
    sql: `
alter table payments add column attention jsonb;
alter table payments add column reversed_minor bigint not null default 0;
create table recalls (
  payment_id text not null references payments(id),
  notice_key text not null,
  amount_minor bigint not null check (amount_minor > 0),
  currency text not null,
  reason text,
  verified_by text not null,
  callback_id bigint,
  created_at timestamptz not null default now(),
  primary key (payment_id, notice_key)
);
`,
  },
  {
    id: 7,
    name: "callback intake",
    // New rows keep only their bytes (a text copy could fail or double the write); people read
    // them through callbacks_readable, whose escape encoding never fails: NUL and non-ASCII bytes
    // show as \ooo. lag_retries counts the retries spent on a lookup lagging its own callback.
    sql: `
alter table callbacks add column lag_retries int not null default 0;
create view callbacks_readable as
  select id, gateway, payment_id, state, outcome, attempts, lag_retries, headers, received_at, processed_at,
         coalesce(raw_body, encode(raw_body_bytes, 'escape')) as body
  from callbacks;
`,
  },
  {
    id: 8,
    name: "payout recipients masked",
    // Payouts stored before wallet numbers were masked hold them whole: masked here as src/payouts/masking.ts
    // masks new ones (the API masks them when shown anyway). Values already holding a '*' were masked before.
    sql: `
update payments set party = jsonb_set(party, '{recipient,mobile}', to_jsonb(case
    when length(party #>> '{recipient,mobile}') >= 10
      then left(party #>> '{recipient,mobile}', 4) || repeat('*', length(party #>> '{recipient,mobile}') - 7) || right(party #>> '{recipient,mobile}', 3)
    else '****' || right(party #>> '{recipient,mobile}', least(3, length(party #>> '{recipient,mobile}') / 3))
  end))
where kind = 'payout' and jsonb_typeof(party #> '{recipient,mobile}') = 'string' and position('*' in party #>> '{recipient,mobile}') = 0;
update payments set party = jsonb_set(party, '{recipient,account_number}', to_jsonb(
    '****' || right(party #>> '{recipient,account_number}', least(4, length(party #>> '{recipient,account_number}') / 2))))
where kind = 'payout' and jsonb_typeof(party #> '{recipient,account_number}') = 'string' and position('*' in party #>> '{recipient,account_number}') = 0;
`,
  },
];

/** A storefront plugin's own migration (its tables in the service's database), recorded by its namespaced id in plugin_migrations. */
export interface PluginMigration {
  /** Unique across plugins, namespaced ("shopify-1"). */
  id: string;
  name: string;
  sql: string;
}

/**
 * Applies the migrations not yet applied, one transaction each, under an advisory lock so two instances never race:
 * the service's own, then the plugins' (`plugins`, in order, recorded in plugin_migrations).
 */
export async function migrate(db: Db, plugins: readonly PluginMigration[] = []): Promise<(number | string)[]> {
  await db.exec("create table if not exists schema_migrations (id int primary key, name text not null, applied_at timestamptz not null default now())");
  const applied: (number | string)[] = [];
  const steps = [
    ...MIGRATIONS.map((m) => ({ ...m, table: "schema_migrations" })),
    ...plugins.map((m) => ({ ...m, table: "plugin_migrations" })),
  ];
  if (plugins.length) await db.exec("create table if not exists plugin_migrations (id text primary key, name text not null, applied_at timestamptz not null default now())");
  for (const m of steps) {
    const done = await db.tx(async (sql) => {
      await sql.query("select pg_advisory_xact_lock(726354)");
      const rows = await sql.query(`select 1 from ${m.table} where id = $1`, [m.id]);
      if (rows.length) return false;
      for (const statement of m.sql.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) await sql.query(statement);
      await sql.query(`insert into ${m.table} (id, name) values ($1, $2)`, [m.id, m.name]);
      return true;
    });
    if (done) applied.push(m.id);
  }
  return applied;
}
