import { randomBytes, randomUUID } from "node:crypto";

/** A payments extension as `shopify app deploy` registers it (the extension TOML's fields). */
export interface DeployedExtension {
  handle: string;
  api_version: string;
  payment_session_url: string;
  refund_session_url?: string;
  capture_session_url?: string;
  void_session_url?: string;
  merchant_label: string;
  buyer_label?: string;
  supported_payment_methods: string[];
  supported_buyer_contexts: { currency: string; countries?: string[] }[];
  test_mode_available: boolean;
  supports_3ds?: boolean;
}

/** The deployed app (`POST /_sandbox/shopify/apps`). */
export interface DeployedApp {
  client_id: string;
  client_secret: string;
  name: string;
  application_url: string;
  redirect_urls: string[];
  scopes: string;
  webhooks: { api_version: string; compliance_uri?: string; app_uninstalled_uri?: string };
  extensions: DeployedExtension[];
  /** PEM client certificate the emulator presents to https session URLs (Shopify's mTLS). */
  client_certificate?: { cert: string; key: string; ca?: string };
}

/** An access token the token endpoint handed out. */
export interface AccessToken {
  token: string;
  shop: string;
  clientId: string;
  scopes: string[];
  /** Epoch ms; absent for a non-expiring offline token. */
  expiresAt?: number;
  refreshToken?: string;
  refreshExpiresAt?: number;
  revoked: boolean;
}

/** One app installed on one shop. */
export interface Installation {
  clientId: string;
  scopes: string[];
  installed: boolean;
  configuration: { ready: boolean; externalHandle: string | null };
}

/** A mutation the app sent about a session, as the journal shows it. */
export interface MutationRecord {
  operation: string;
  at: string;
  accepted: boolean;
  userErrors: { field?: string[] | null; message: string; code?: string | null }[];
}

/** The state of a payment session as the `PaymentSessionStates` union shows it. */
export type PaymentSessionState =
  | { code: "REDIRECTING" }
  | { code: "PENDING"; reason: string }
  | { code: "RESOLVED" }
  | { code: "REJECTED"; reason: string; merchantMessage?: string | null; source?: string | null };

/** One payment session: the body Shopify POSTs to payment_session_url, plus what happened to it. */
export interface PaymentSessionRecord {
  id: string;
  gid: string;
  group: string;
  session_id: string;
  shop: string;
  clientId: string;
  handle: string;
  checkout: string;
  amount: string;
  currency: string;
  test: boolean;
  kind: "sale" | "authorization";
  proposed_at: string;
  customer?: Record<string, unknown>;
  /** The app's redirect_url once a 2xx answer was received (and not dropped). */
  redirectUrl?: string;
  answered: boolean;
  state: PaymentSessionState;
  pendingExpiresAt?: string;
  authorizationExpiresAt?: string;
  requests: number;
  mutations: MutationRecord[];
}

/** A refund, capture or void session. */
export interface FollowUpSessionRecord {
  kind: "refund" | "capture" | "void";
  id: string;
  gid: string;
  shop: string;
  payment_id: string;
  amount?: string;
  currency?: string;
  /** The app's last HTTP status (0: no answer). */
  status: number;
  requests: number;
  state: { code: "RESOLVED" } | { code: "REJECTED"; reason: string; merchantMessage?: string | null } | null;
  mutations: MutationRecord[];
}

/** A checkout the control API opened. */
export interface Checkout {
  token: string;
  shop: string;
  amount: string;
  currency: string;
  test: boolean;
  kind: "sale" | "authorization";
  customer?: Record<string, unknown>;
  /** Shared by every payment session of this checkout. */
  group: string;
  sessions: string[];
}

/** One webhook delivery. */
export interface WebhookRecord {
  topic: string;
  webhook_id: string;
  status: number;
  shop: string;
  body: string;
}

/** One call of the GraphQL endpoint. */
export interface GraphqlLogEntry {
  shop: string;
  operationName: string | null;
  query: string;
  variables: unknown;
  errors?: unknown[];
}

/** Switches that make Shopify's side misbehave, as `POST /_sandbox/shopify/faults` sets them. */
export interface ShopifyFaults {
  graphqlDelayMs: number;
  throttleNext: number;
  dropSessionResponses: number;
  sessionRetryDelaysMs: number[];
  sessionTimeoutMs: number;
}

export const DEFAULT_FAULTS: ShopifyFaults = {
  graphqlDelayMs: 0,
  throttleNext: 0,
  dropSessionResponses: 0,
  // Shopify says session requests are "retried several times"; 3 retries, doubling, is our choice.
  sessionRetryDelaysMs: [1000, 2000, 4000],
  sessionTimeoutMs: 10_000,
};

export interface Shop {
  domain: string;
  name: string;
  currency: string;
  installations: Map<string, Installation>;
  webhooks: WebhookRecord[];
}

/** Everything the Shopify emulator knows, in memory. */
export class ShopifyState {
  apps = new Map<string, DeployedApp>();
  shops = new Map<string, Shop>();
  tokens = new Map<string, AccessToken>();
  refreshTokens = new Map<string, AccessToken>();
  /** OAuth codes: single use, valid 60 s. */
  codes = new Map<string, { shop: string; clientId: string; scopes: string[]; expiresAt: number }>();
  checkouts = new Map<string, Checkout>();
  sessions = new Map<string, PaymentSessionRecord>();
  followUps = new Map<string, FollowUpSessionRecord>();
  graphqlLog: GraphqlLogEntry[] = [];
  faults: ShopifyFaults = { ...DEFAULT_FAULTS, sessionRetryDelaysMs: [...DEFAULT_FAULTS.sessionRetryDelaysMs] };
  /** GraphQL cost bucket per shop: what is left, and when it was last refilled. */
  buckets = new Map<string, { available: number; at: number }>();

  reset(): void {
    this.apps.clear();
    this.shops.clear();
    this.tokens.clear();
    this.refreshTokens.clear();
    this.codes.clear();
    this.checkouts.clear();
    this.sessions.clear();
    this.followUps.clear();
    this.graphqlLog.length = 0;
    this.faults = { ...DEFAULT_FAULTS, sessionRetryDelaysMs: [...DEFAULT_FAULTS.sessionRetryDelaysMs] };
    this.buckets.clear();
  }

  /** The shop, created on first use (shops exist implicitly). */
  shop(domain: string): Shop {
    let shop = this.shops.get(domain);
    if (!shop) {
      shop = { domain, name: domain.replace(/\.myshopify\.com$/, ""), currency: "USD", installations: new Map(), webhooks: [] };
      this.shops.set(domain, shop);
    }
    return shop;
  }

  /** The session with this id or gid. */
  session(idOrGid: string): PaymentSessionRecord | undefined {
    return this.sessions.get(idOrGid.replace(/^gid:\/\/shopify\/PaymentSession\//, ""));
  }
}

/** Shopify's shop domains: what @shopify/shopify-api's sanitizeShop accepts for *.myshopify.com. */
export const SHOP_DOMAIN = /^[a-zA-Z0-9][a-zA-Z0-9-_]*\.myshopify\.com$/;

/** A random token of `bytes` bytes, URL-safe. */
export function randomToken(bytes = 18): string {
  return randomBytes(bytes).toString("base64url");
}

/** A random base64 value of 32 bytes, like Shopify's `group` and `session_id`. */
export function randomBase64(): string {
  return randomBytes(32).toString("base64");
}

/** A request id like Shopify-Request-Id's. */
export function requestId(): string {
  return randomUUID();
}
