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
