/** Test doubles of the *app* side (a tiny HTTP server) and steps every Shopify emulator test takes. */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { SandboxHandle } from "../src";

/** A request the fake app received. */
export interface AppRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the fake app answers a request: a status and body, or `"drop"` to never answer. */
export type AppReply = { status: number; body?: string; headers?: Record<string, string> } | "drop";

/** A tiny app server: records every request and answers with `reply` (changeable per test). */
export class FakeApp {
  readonly requests: AppRequest[] = [];
  reply: (req: AppRequest) => AppReply = () => ({ status: 200, body: "{}" });
  url = "";
  private server: Server | undefined;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const request = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
        this.requests.push(request);
        const answer = this.reply(request);
        if (answer === "drop") return; // the socket stays open: the emulator's timeout ends it
        res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        res.end(answer.body ?? "");
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A JSON answer, read loosely: the tests' expect() calls check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export const CLIENT_ID = "emu-test-client";
export const CLIENT_SECRET = "emu-test-secret";

/** The deployed app JSON (as `deployedApp()` of the app package gives it) for an app at `appUrl`. */
export function deployedApp(appUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    name: "XPay Connect",
    application_url: `${appUrl}/app`,
    redirect_urls: [`${appUrl}/auth/callback`],
    scopes: "",
    webhooks: { api_version: "2026-07", compliance_uri: `${appUrl}/webhooks/compliance`, app_uninstalled_uri: `${appUrl}/webhooks/app-uninstalled` },
    extensions: [
      {
        handle: "xpay-pk",
        api_version: "2026-07",
        payment_session_url: `${appUrl}/sessions/payment`,
        refund_session_url: `${appUrl}/sessions/refund`,
        capture_session_url: `${appUrl}/sessions/capture`,
        void_session_url: `${appUrl}/sessions/void`,
        merchant_label: "XPay (PK) cards",
        supported_payment_methods: ["visa", "master"],
        supported_buyer_contexts: [{ currency: "PKR" }],
        test_mode_available: true,
      },
      {
        handle: "xpay-eg",
        api_version: "2026-07",
        payment_session_url: `${appUrl}/sessions/payment`,
        merchant_label: "XPay (EG)",
        supported_payment_methods: ["meeza"],
        supported_buyer_contexts: [{ currency: "EGP" }],
        test_mode_available: true,
      },
    ],
    ...overrides,
  };
}

/** JSON request to the sandbox. */
export async function call(sandbox: SandboxHandle, path: string, body?: unknown, method = body === undefined ? "GET" : "POST") {
  const res = await fetch(`${sandbox.url}${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // an HTML page or text
  }
  return { status: res.status, headers: res.headers, body: parsed as Json };
}

/** The shop's origin on the emulator. */
export const origin = (sandbox: SandboxHandle, shop: string) => `${sandbox.url}/shopify/stores/${shop}`;

/** Installs the app on a shop as a merchant would (authorize page, Install, code for a token); returns the token answer. */
export async function install(sandbox: SandboxHandle, shop: string, appUrl: string, expiring = false): Promise<Json> {
  const form = new URLSearchParams({ client_id: CLIENT_ID, scope: "", redirect_uri: `${appUrl}/auth/callback`, state: "s1" });
  const granted = await fetch(`${origin(sandbox, shop)}/admin/oauth/authorize`, { method: "POST", body: form, redirect: "manual" });
  const code = new URL(granted.headers.get("location") as string).searchParams.get("code");
  const token = await call(sandbox, `/shopify/stores/${shop}/admin/oauth/access_token`, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code, expiring: expiring ? "1" : "0" });
  if (token.status !== 200) throw new Error(`install failed: ${JSON.stringify(token.body)}`);
  return token.body;
}

/** A GraphQL call to the shop's Payments Apps endpoint. */
export async function graphql(sandbox: SandboxHandle, shop: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${origin(sandbox, shop)}/payments_apps/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** Polls `check` until it returns a value, or fails after `ms`. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The fields a session mutation selects, in the template's shape. */
export const SESSION_FIELDS = `
  paymentSession {
    id
    state {
      __typename
      ... on PaymentSessionStateResolved { code }
      ... on PaymentSessionStateRejected { code reason merchantMessage }
      ... on PaymentSessionStatePending { code pendingReason: reason }
    }
    nextAction { action context { __typename ... on PaymentSessionActionsRedirect { redirectUrl } } }
  }`;

export const RESOLVE = `mutation PaymentSessionResolve($id: ID!, $authorizationExpiresAt: DateTime) {
  paymentSessionResolve(id: $id, authorizationExpiresAt: $authorizationExpiresAt) { ${SESSION_FIELDS} userErrors { field message } }
}`;
export const REJECT = `mutation PaymentSessionReject($id: ID!, $reason: PaymentSessionRejectionReasonInput!) {
  paymentSessionReject(id: $id, reason: $reason) { ${SESSION_FIELDS} userErrors { field message } }
}`;
export const PENDING = `mutation PaymentSessionPending($id: ID!, $pendingExpiresAt: DateTime!, $reason: PaymentSessionStatePendingReason!) {
  paymentSessionPending(id: $id, pendingExpiresAt: $pendingExpiresAt, reason: $reason) { ${SESSION_FIELDS} userErrors { field message code } }
}`;
export const CONFIGURE = `mutation PaymentsAppConfigure($externalHandle: String, $ready: Boolean!) {
  paymentsAppConfigure(externalHandle: $externalHandle, ready: $ready) { paymentsAppConfiguration { externalHandle ready } userErrors { field message } }
}`;
export const REFUND_RESOLVE = `mutation RefundSessionResolve($id: ID!) {
  refundSessionResolve(id: $id) { refundSession { id state { ... on RefundSessionStateResolved { code } } } userErrors { field message code } }
}`;
export const REFUND_REJECT = `mutation RefundSessionReject($id: ID!, $reason: RefundSessionRejectionReasonInput!) {
  refundSessionReject(id: $id, reason: $reason) { refundSession { id state { ... on RefundSessionStateRejected { code reason merchantMessage } } } userErrors { field message code } }
}`;
