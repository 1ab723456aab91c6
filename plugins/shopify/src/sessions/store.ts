import type { Sql } from "@xpay-connect/server";

/** A payment session as the app keeps it (Shopify has no query to read one back). */
export interface PaymentSessionRow {
  id: string;
  gid: string;
  shop: string;
  session_group: string;
  handle: string;
  /** Random; names the session in the app's buyer-facing URLs. */
  token: string;
  gateway: string;
  method: string;
  amount_minor: number | string;
  currency: string;
  test: boolean;
  kind: string;
  cancel_url: string;
  /** What the buyer gave Shopify (name, email, phone): kept for the gateway, blanked on customers/redact. */
  customer: { name?: string; email?: string; phone?: string } | null;
  /** The service's payment request (its body), replayed with the same Idempotency-Key on a retry. */
  service_request: Record<string, unknown>;
  payment_id: string | null;
  gateway_ref: string | null;
  next_action: { type: string; url?: string; qrData?: string; billReference?: string } | null;
  payment_status: string | null;
  expires_at: Date | null;
  redirect_url: string | null;
  /** The final mutation chosen (resolve or reject), at most one; null while open. */
  outcome: "resolve" | "reject" | null;
  /** Set when the buyer cancelled on the gateway's page (sent to cancel_url, no reject). */
  cancelled_at: Date | null;
  created_at: Date;
}

/** A new session's columns (the rest start null or now). */
export type NewPaymentSession = Pick<
  PaymentSessionRow,
  "id" | "gid" | "shop" | "session_group" | "handle" | "token" | "gateway" | "method" | "currency" | "test" | "kind" | "cancel_url" | "customer" | "service_request"
> & { amount_minor: number };

/**
 * In one statement: the shop's linked service API key (still encrypted), and the session stored when the shop has
 * one and no session has this id yet. `apiKeyCiphertext` is null when the shop has not linked a merchant (nothing is
 * stored); `inserted` is the stored service request as the database gives it back (what a retry replays, keys in
 * jsonb's order), or undefined when the id was already taken (a retry or a concurrent copy: read that row with
 * findPaymentSession).
 */
export async function insertPaymentSession(sql: Sql, row: NewPaymentSession): Promise<{ apiKeyCiphertext: string | null; inserted?: Pick<PaymentSessionRow, "service_request"> }> {
  const [found] = await sql.query<{ api_key_ciphertext: string; service_request: PaymentSessionRow["service_request"] | null }>(
    `with linked as (select service_api_key_ciphertext from shopify_shops where shop = $3 and service_api_key_ciphertext is not null),
     inserted as (
       insert into shopify_payment_sessions (id, gid, shop, session_group, handle, token, gateway, method, amount_minor, currency, test, kind, cancel_url, customer, service_request)
       select $1, $2, $3, $4, $5, $6, $7, $8, $9::bigint, $10, $11::boolean, $12, $13, $14::jsonb, $15::jsonb from linked
       on conflict (id) do nothing returning service_request
     )
     select linked.service_api_key_ciphertext as api_key_ciphertext, (select service_request from inserted) as service_request from linked`,
    [
      row.id, row.gid, row.shop, row.session_group, row.handle, row.token, row.gateway, row.method, row.amount_minor, row.currency, row.test, row.kind, row.cancel_url,
      JSON.stringify(row.customer), JSON.stringify(row.service_request),
    ],
  );
  if (!found) return { apiKeyCiphertext: null };
  return { apiKeyCiphertext: found.api_key_ciphertext, ...(found.service_request ? { inserted: { service_request: found.service_request } } : {}) };
}

export async function findPaymentSession(sql: Sql, where: "id" | "token" | "gateway_ref" | "payment_id", value: string): Promise<PaymentSessionRow | undefined> {
  const [row] = await sql.query<PaymentSessionRow>(`select * from shopify_payment_sessions where ${where} = $1`, [value]);
  return row;
}

/** A refund, capture or void session. */
export interface ActionSessionRow {
  id: string;
  gid: string;
  kind: "refund" | "capture" | "void";
  shop: string;
  payment_session_id: string;
  amount_minor: number | string | null;
  currency: string | null;
  /** received: to act on; refunding: a service refund still pending; done: its mutation is stored. */
  status: "received" | "refunding" | "done";
  /** The service's refund id. */
  service_ref: string | null;
  created_at: Date;
}
