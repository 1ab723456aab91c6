import { z } from "zod";
import { json, type SandboxRequest, type SandboxResponse } from "../http";
import { firstProblem } from "../validation";
import { checkoutMethods, followUp, pay } from "./checkout";
import { revokeTokens } from "./oauth";
import { SHOP_DOMAIN, randomBase64, randomToken, type DeployedApp, type FollowUpSessionRecord, type PaymentSessionRecord, type Shop, type ShopifyState } from "./state";
import { WEBHOOK_TOPICS, sendWebhook } from "./webhooks";

const absoluteUrl = z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), "expected an absolute http(s) URL");
const shopDomain = z.string().regex(SHOP_DOMAIN, "expected a shop domain like my-shop.myshopify.com");
const currency = z.string().regex(/^[A-Z]{3}$/, "expected an ISO 4217 currency code like PKR");
/** A decimal amount as Shopify sends it ("1500.00"): digits, a point, two decimals (a whole number gets ".00"). */
const amount = z
  .string()
  .regex(/^(0|[1-9]\d{0,11})(\.\d{1,2})?$/, 'expected a decimal string like "1500.00"')
  .refine((v) => /[1-9]/.test(v), "expected more than zero")
  .transform((v) => (v.includes(".") ? v.padEnd(v.indexOf(".") + 3, "0") : `${v}.00`));

const extensionSchema = z.object({
  handle: z.string().regex(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,48}[a-zA-Z0-9])?$/, "expected up to 50 letters, digits and hyphens"),
  api_version: z.string().min(1),
  payment_session_url: absoluteUrl,
  refund_session_url: absoluteUrl.optional(),
  capture_session_url: absoluteUrl.optional(),
  void_session_url: absoluteUrl.optional(),
  merchant_label: z.string().min(1).max(50),
  buyer_label: z.string().max(50).optional(),
  supported_payment_methods: z.array(z.string()),
  supported_buyer_contexts: z.array(z.object({ currency, countries: z.array(z.string()).min(1).optional() })).min(1),
  test_mode_available: z.boolean(),
  supports_3ds: z.boolean().optional(),
});

const appSchema = z.object({
  client_id: z.string().min(1).max(200),
  client_secret: z.string().min(1).max(500),
  name: z.string().min(1).max(200),
  application_url: absoluteUrl,
  redirect_urls: z.array(absoluteUrl).min(1),
  scopes: z.string().default(""),
  webhooks: z.object({ api_version: z.string().min(1), compliance_uri: z.string().min(1).optional(), app_uninstalled_uri: z.string().min(1).optional() }),
  extensions: z
    .array(extensionSchema)
    .refine((list) => new Set(list.map((e) => e.handle)).size === list.length, "expected unique handles"),
  client_certificate: z.object({ cert: z.string().min(1), key: z.string().min(1), ca: z.string().optional() }).optional(),
});

const shopSchema = z.object({ shop: shopDomain, name: z.string().max(200).optional(), currency: currency.optional() });

const checkoutSchema = z.object({
  shop: shopDomain,
  amount,
  currency,
  test: z.boolean().default(false),
  kind: z.enum(["sale", "authorization"]).default("sale"),
  customer: z.record(z.string(), z.unknown()).optional(),
});

const followUpSchema = z.object({ shop: shopDomain, payment_session_id: z.string().min(1), amount: amount.optional(), currency: currency.optional() });

const webhookSchema = z.object({
  shop: shopDomain,
  topic: z.enum(WEBHOOK_TOPICS),
  payload: z.unknown().optional(),
  tamper: z.boolean().optional(),
  webhook_id: z.string().min(1).optional(),
  client_id: z.string().optional(),
});

const nonNegative = z.number().int().min(0).max(600_000);
const faultSchema = z.object({
  graphqlDelayMs: nonNegative.optional(),
  throttleNext: nonNegative.optional(),
  dropSessionResponses: nonNegative.optional(),
  sessionRetryDelaysMs: z.array(nonNegative).max(10).optional(),
  sessionTimeoutMs: z.number().int().min(1).max(600_000).optional(),
});

/** Parses a body against a schema, or a 400 naming the field. */
function read<S extends z.ZodType>(schema: S, body: unknown): z.output<S> | SandboxResponse {
  const problem = firstProblem(schema, body ?? {});
  if (problem) return json(400, { error: `${problem.field || "body"}: ${problem.message}` });
  return schema.parse(body ?? {});
}

const isAnswer = (v: unknown): v is SandboxResponse => typeof v === "object" && v !== null && "status" in v && "body" in v && typeof (v as SandboxResponse).status === "number";

/** What the control API needs from the emulator around its state. */
export interface ControlContext {
  state: ShopifyState;
  shopOrigin(shop: string): string;
  sleep(ms: number): Promise<void>;
}

/** The app installed on a shop that a control call means: the one named, else the only or latest one. */
function appOn(state: ShopifyState, shop: Shop, clientId?: string): DeployedApp | undefined {
  if (clientId) return state.apps.get(clientId);
  const installed = [...shop.installations.values()];
  const latest = installed[installed.length - 1];
  return latest ? state.apps.get(latest.clientId) : state.apps.size === 1 ? [...state.apps.values()][0] : undefined;
}

/** `/_sandbox/shopify/...`: the test hooks (contract: /tmp/prompts/shopify-contract.md). */
export async function control(ctx: ControlContext, req: SandboxRequest): Promise<SandboxResponse> {
  const { state } = ctx;
  const parts = req.path.split("/").filter(Boolean);
  const route = `${req.method} /${parts.map((p, i) => (i > 0 && ["shops", "checkouts"].includes(parts[i - 1] as string) ? ":id" : p)).join("/")}`;
  switch (route) {
    case "POST /apps": {
      const app = read(appSchema, req.body);
      if (isAnswer(app)) return app;
      state.apps.set(app.client_id, app as DeployedApp);
      return json(201, { client_id: app.client_id });
    }
    case "POST /shops": {
      const body = read(shopSchema, req.body);
      if (isAnswer(body)) return body;
      const shop = state.shop(body.shop);
      if (body.name) shop.name = body.name;
      if (body.currency) shop.currency = body.currency;
      return json(201, { shop: shop.domain, name: shop.name, currency: shop.currency });
    }
    case "GET /shops/:id": {
      const domain = parts[1] as string;
      if (!SHOP_DOMAIN.test(domain)) return json(400, { error: "shop: expected a shop domain like my-shop.myshopify.com" });
      return json(200, shopJournal(state, state.shop(domain)));
    }
    case "POST /shops/:id/uninstall": {
      const domain = parts[1] as string;
      if (!SHOP_DOMAIN.test(domain)) return json(400, { error: "shop: expected a shop domain like my-shop.myshopify.com" });
      const shop = state.shop(domain);
      const app = appOn(state, shop, typeof (req.body as Record<string, unknown> | undefined)?.client_id === "string" ? ((req.body as Record<string, string>).client_id as string) : undefined);
      const installation = app ? shop.installations.get(app.client_id) : undefined;
      if (!app || !installation) return json(404, { error: `shop: no app is installed on ${domain}` });
      revokeTokens(state, domain, app.client_id);
      installation.installed = false;
      installation.configuration = { ready: false, externalHandle: installation.configuration.externalHandle };
      const sent = await sendWebhook(state, app, shop, "app/uninstalled");
      return json(200, { uninstalled: true, webhook: typeof sent === "string" ? { error: sent } : { status: sent.status, webhook_id: sent.webhook_id } });
    }
    case "POST /checkouts": {
      const body = read(checkoutSchema, req.body);
      if (isAnswer(body)) return body;
      state.shop(body.shop);
      const token = randomToken(16).replace(/[^a-zA-Z0-9]/g, "x");
      state.checkouts.set(token, { token, shop: body.shop, amount: body.amount, currency: body.currency, test: body.test, kind: body.kind, ...(body.customer ? { customer: body.customer } : {}), group: randomBase64(), sessions: [] });
      return json(201, { token, checkout_url: `${ctx.shopOrigin(body.shop)}/checkouts/${token}` });
    }
    case "POST /checkouts/:id/pay": {
      const checkout = state.checkouts.get(parts[1] as string);
      if (!checkout) return json(404, { error: `token: no checkout ${parts[1]}` });
      const handle = (req.body as Record<string, unknown> | undefined)?.handle;
      const method = checkoutMethods(state, checkout).find((m) => m.extension.handle === handle);
      if (!method) return json(400, { error: `handle: ${JSON.stringify(handle)} is not a payment method of this checkout (installed, ready, taking ${checkout.currency})` });
      const outcome = await pay(state, checkout, method, ctx.shopOrigin(checkout.shop), ctx.sleep);
      return json(200, { status: outcome.status, attempts: outcome.attempts, ...(outcome.redirectUrl ? { redirect_url: outcome.redirectUrl } : {}), session: sessionJournal(outcome.session) });
    }
    case "POST /refunds":
    case "POST /captures":
    case "POST /voids": {
      const kind = ({ refunds: "refund", captures: "capture", voids: "void" } as const)[parts[0] as "refunds" | "captures" | "voids"];
      const body = read(followUpSchema, req.body);
      if (isAnswer(body)) return body;
      const payment = state.session(body.payment_session_id);
      if (!payment || payment.shop !== body.shop) return json(404, { error: `payment_session_id: no payment session ${body.payment_session_id} on ${body.shop}` });
      if (body.currency && body.currency !== payment.currency) return json(400, { error: `currency: the payment is in ${payment.currency}` });
      const session = await followUp(state, kind, payment, kind === "void" ? undefined : body.amount, ctx.sleep);
      if (typeof session === "string") return json(400, { error: session });
      return json(200, { [`${kind}_session_id`]: session.id, gid: session.gid, status: session.status, requests: session.requests });
    }
    case "POST /webhooks": {
      const body = read(webhookSchema, req.body);
      if (isAnswer(body)) return body;
      const shop = state.shop(body.shop);
      const app = appOn(state, shop, body.client_id);
      if (!app) return json(404, { error: `client_id: no app is deployed for ${body.shop}` });
      const sent = await sendWebhook(state, app, shop, body.topic, { payload: body.payload, ...(body.tamper ? { tamper: true } : {}), ...(body.webhook_id ? { webhookId: body.webhook_id } : {}) });
      if (typeof sent === "string") return json(400, { error: sent });
      return json(200, { status: sent.status, webhook_id: sent.webhook_id });
    }
    case "POST /faults": {
      const body = read(faultSchema, req.body);
      if (isAnswer(body)) return body;
      Object.assign(state.faults, body);
      return json(200, { faults: state.faults });
    }
    case "POST /reset":
      state.reset();
      return json(200, { reset: true });
    case "GET /graphql-log":
      return json(200, { calls: state.graphqlLog });
    default:
      return json(404, { error: `no control route ${req.method} /_sandbox/shopify/${parts.join("/")}` });
  }
}

function sessionJournal(s: PaymentSessionRecord): Record<string, unknown> {
  return {
    id: s.id,
    gid: s.gid,
    group: s.group,
    handle: s.handle,
    checkout: s.checkout,
    amount: s.amount,
    currency: s.currency,
    test: s.test,
    kind: s.kind,
    state: s.state,
    answered: s.answered,
    ...(s.redirectUrl ? { redirect_url: s.redirectUrl } : {}),
    requests: s.requests,
    mutations: s.mutations,
  };
}

function followUpJournal(s: FollowUpSessionRecord): Record<string, unknown> {
  const { mutations, ...rest } = s;
  return { ...rest, mutations };
}

/** `GET /_sandbox/shopify/shops/<shop>`: what Shopify knows about a shop and the app on it. */
function shopJournal(state: ShopifyState, shop: Shop): Record<string, unknown> {
  const installations = [...shop.installations.values()];
  const main = installations[installations.length - 1];
  const followUps = (kind: FollowUpSessionRecord["kind"]) => [...state.followUps.values()].filter((f) => f.kind === kind && f.shop === shop.domain).map(followUpJournal);
  return {
    shop: shop.domain,
    installed: main?.installed ?? false,
    scopes: main?.scopes ?? [],
    configuration: main?.configuration ?? { ready: false, externalHandle: null },
    installations: installations.map((i) => ({ client_id: i.clientId, installed: i.installed, scopes: i.scopes, configuration: i.configuration })),
    payment_sessions: [...state.sessions.values()].filter((s) => s.shop === shop.domain).map(sessionJournal),
    refund_sessions: followUps("refund"),
    capture_sessions: followUps("capture"),
    void_sessions: followUps("void"),
    webhooks: shop.webhooks.map(({ topic, webhook_id, status }) => ({ topic, webhook_id, status })),
  };
}
