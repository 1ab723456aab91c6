import { Money } from "@xpay-connect/core";
import { ApiError } from "../api/errors";
import type { ApiAnswer, DemoBackend } from "./backend";
import type { PayoutRequest, SandboxActionParams } from "./requests";

/** The gateway of the payouts panel: Xpress Pay sends to EasyPaisa and JazzCash wallets and reports a balance. */
export const PAYOUT_GATEWAY = "xpress-pay";

/** A payout as the panel shows it. */
export interface PayoutView {
  id: string;
  order_ref: string;
  amount: string;
  currency: string;
  method: string;
  status: string;
  recipient: string | null;
  created_at: string;
}

/** The panel's balance: decimal strings, never floats. */
export interface BalanceView {
  gateway: string;
  currency: string;
  available: string;
  collected: string | null;
  frozen: string | null;
}

/** The API's error as an ApiError the demo answers with (a 5xx becomes a plain 502). */
function fail(answer: ApiAnswer): never {
  const error = (answer.body.error ?? {}) as { code?: string; message?: string; field?: string };
  if (answer.status >= 500) throw new ApiError(502, "gateway_unavailable", "the gateway did not answer; try again");
  throw new ApiError(answer.status, error.code ?? "invalid_request", error.message ?? "request refused", error.field);
}

/** An API amount (`{amount: "1500.00", currency}`) as its decimal string, checked against the currency. */
function amountText(value: unknown, currency: string): string | null {
  const amount = value && typeof value === "object" ? (value as { amount?: unknown }).amount : undefined;
  return typeof amount === "string" ? Money.parse(amount, currency).format() : null;
}

/** The Xpress Pay balance, asked of the gateway now through GET /v1/balances/xpress-pay. */
export async function balance(backend: DemoBackend): Promise<BalanceView> {
  const answer = await backend.call("GET", `/v1/balances/${PAYOUT_GATEWAY}`);
  if (answer.status !== 200) fail(answer);
  const b = answer.body;
  const currency = typeof b.currency === "string" ? b.currency : "PKR";
  const available = amountText(b.available, currency);
  if (available === null) throw new ApiError(502, "internal", "the balance could not be read");
  return { gateway: PAYOUT_GATEWAY, currency, available, collected: amountText(b.collected, currency), frozen: amountText(b.frozen, currency) };
}

/** Sends a checked payout (see PayoutRequest) through POST /v1/payouts as the demo merchant. */
export async function sendPayout(backend: DemoBackend, input: PayoutRequest, orderRef: string): Promise<PayoutView> {
  const answer = await backend.call(
    "POST",
    "/v1/payouts",
    { gateway: PAYOUT_GATEWAY, method: input.method, amount: input.amount, currency: "PKR", order_ref: orderRef, recipient: { name: input.name, mobile: input.mobile } },
    { "idempotency-key": orderRef },
  );
  if (answer.status !== 200 && answer.status !== 201 && answer.status !== 202) fail(answer);
  return payoutView(answer.body);
}

/** The latest payouts of the demo merchant. */
export async function recentPayouts(backend: DemoBackend): Promise<PayoutView[]> {
  const answer = await backend.call("GET", "/v1/payouts?limit=6");
  if (answer.status !== 200) fail(answer);
  return ((answer.body.data as Record<string, unknown>[] | undefined) ?? []).map(payoutView);
}

/** Plays the wallet provider in the sandbox: settles (approve) or fails (decline) a processing payout. */
export async function settleInSandbox(backend: DemoBackend, payoutId: string, action: SandboxActionParams["action"]): Promise<PayoutView> {
  const sandboxUrl = backend.state.sandboxUrl;
  if (!sandboxUrl) throw new ApiError(409, "no_sandbox", "this demo is not running against the sandbox");
  const answer = await backend.call("GET", `/v1/payouts/${encodeURIComponent(payoutId)}`);
  if (answer.status !== 200) fail(answer);
  const ref = typeof answer.body.gateway_ref === "string" ? answer.body.gateway_ref : String(answer.body.id);
  const res = await fetch(`${sandboxUrl}/_sandbox/${PAYOUT_GATEWAY}/orders/${encodeURIComponent(ref)}/${action}`, {
    method: "POST",
    body: "{}",
    headers: { "content-type": "application/json" },
  });
  const text = await res.text();
  if (!res.ok) throw new ApiError(409, "sandbox_refused", `the sandbox refused: ${text.slice(0, 200)}`);
  return payoutView(answer.body);
}

function payoutView(p: Record<string, unknown>): PayoutView {
  const s = (k: string) => (typeof p[k] === "string" ? (p[k] as string) : "");
  const recipient = (p.recipient ?? {}) as Record<string, unknown>;
  const mobile = typeof recipient.mobile === "string" ? recipient.mobile : null;
  return {
    id: s("id"),
    order_ref: s("order_ref"),
    amount: s("amount"),
    currency: s("currency"),
    method: s("method"),
    status: s("status"),
    // The wallet number, masked as the wallet pages do.
    recipient: mobile ? mobile.replace(/^(\d{4})\d{4}/, "$1****") : null,
    created_at: s("created_at"),
  };
}
