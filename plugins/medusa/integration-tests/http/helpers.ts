/**
 * Seeding and storefront steps for the Medusa integration tests: a real Medusa 2 server (booted by
 * medusaIntegrationTestRunner on real PostgreSQL) with the providers in test mode against a real
 * sandbox on loopback. Nothing here is mocked.
 */
import type { AxiosInstance, AxiosResponse } from "axios";
import { generateJwtToken, Modules, ProductStatus } from "@medusajs/framework/utils";
import { Money } from "@xpay-connect/core";

export type Headers = { headers: Record<string, string> };

export interface Market {
  region: string;
  currency: "pkr" | "egp" | "kgs";
  country: "pk" | "eg" | "kg";
  /** Item price and shipping price, major units as Medusa takes them. */
  price: number;
  shipping: number;
  /** What the shopper pays: item + shipping, exact. */
  total: Money;
}

export interface Seed {
  admin: Headers;
  store: Headers;
  variant: string;
  shippingOption: string;
  markets: Record<Market["currency"], Market>;
}

/** Admin identity the way Medusa's own tests make one: a user, an auth identity, a JWT signed with the app's jwtSecret. */
async function adminHeaders(container: any): Promise<Headers> {
  const user = await container.resolve(Modules.USER).createUsers({ email: "admin@xpay-connect.test", first_name: "Admin" });
  const identity = await container.resolve(Modules.AUTH).createAuthIdentities({
    provider_identities: [{ provider: "emailpass", entity_id: "admin@xpay-connect.test" }],
    app_metadata: { user_id: user.id },
  });
  const token = generateJwtToken({ actor_id: user.id, actor_type: "user", auth_identity_id: identity.id }, { secret: "test", expiresIn: "1d" });
  return { headers: { authorization: `Bearer ${token}` } };
}

const MARKETS: Array<Market & { name: string; providers: readonly string[] }> = ([
  { name: "Pakistan", currency: "pkr", country: "pk", price: 1500.5, shipping: 200, providers: ["pp_xpress-pay_default", "pp_xpay-pk_default"] },
  { name: "Egypt", currency: "egp", country: "eg", price: 99.99, shipping: 50, providers: ["pp_xpay-eg_default"] },
  { name: "Kyrgyzstan", currency: "kgs", country: "kg", price: 1234, shipping: 100, providers: ["pp_xpay-kg_default"] },
] as const).map((m) => ({ ...m, region: "", total: Money.fromJsonNumber(m.price, m.currency.toUpperCase()).plus(Money.fromJsonNumber(m.shipping, m.currency.toUpperCase())) }));

/** A store selling one product in Pakistan, Egypt and Kyrgyzstan, each region with its xpay-connect providers. */
export async function seedStore(api: AxiosInstance, container: any): Promise<Seed> {
  const admin = await adminHeaders(container);
  const post = async (path: string, body: unknown) => (await api.post(path, body, admin)).data;

  const salesChannel = (await post("/admin/sales-channels", { name: "Web", is_disabled: false })).sales_channel;
  const key = (await post("/admin/api-keys", { title: "Storefront", type: "publishable" })).api_key;
  await post(`/admin/api-keys/${key.id}/sales-channels`, { add: [salesChannel.id] });
  const store: Headers = { headers: { "x-publishable-api-key": key.token } };

  const markets = {} as Seed["markets"];
  for (const m of MARKETS) {
    const region = (await post("/admin/regions", { name: m.name, currency_code: m.currency, countries: [m.country], payment_providers: m.providers, automatic_taxes: false })).region;
    markets[m.currency] = { region: region.id, currency: m.currency, country: m.country, price: m.price, shipping: m.shipping, total: m.total };
  }

  const profile = (await post("/admin/shipping-profiles", { name: "Default", type: "default" })).shipping_profile;
  const product = (
    await post("/admin/products", {
      title: "Handwoven shawl",
      status: ProductStatus.PUBLISHED,
      options: [{ title: "Size", values: ["One size"] }],
      variants: [{ title: "One size", sku: "SHAWL-1", manage_inventory: false, options: { Size: "One size" }, prices: MARKETS.map((m) => ({ currency_code: m.currency, amount: m.price })) }],
      sales_channels: [{ id: salesChannel.id }],
      shipping_profile_id: profile.id,
    })
  ).product;

  const location = (await post("/admin/stock-locations", { name: "Warehouse" })).stock_location;
  await post(`/admin/stock-locations/${location.id}/sales-channels`, { add: [salesChannel.id] });
  await post(`/admin/stock-locations/${location.id}/fulfillment-providers`, { add: ["manual_manual"] });
  const sets = (await post(`/admin/stock-locations/${location.id}/fulfillment-sets?fields=*fulfillment_sets`, { name: "Shipping", type: "shipping" })).stock_location.fulfillment_sets;
  const zone = (await post(`/admin/fulfillment-sets/${sets[0].id}/service-zones`, { name: "Everywhere", geo_zones: MARKETS.map((m) => ({ type: "country", country_code: m.country })) })).fulfillment_set.service_zones[0];
  const option = (
    await post("/admin/shipping-options", {
      name: "Courier",
      service_zone_id: zone.id,
      shipping_profile_id: profile.id,
      provider_id: "manual_manual",
      price_type: "flat",
      type: { label: "Courier", description: "Door to door", code: "courier" },
      prices: MARKETS.map((m) => ({ currency_code: m.currency, amount: m.shipping })),
      rules: [],
    })
  ).shipping_option;

  return { admin, store, variant: product.variants[0].id, shippingOption: option.id, markets };
}

const SHOPPERS: Record<Market["country"], { first_name: string; last_name: string; phone: string; address_1: string; city: string }> = {
  pk: { first_name: "Ayesha", last_name: "Khan", phone: "03001234567", address_1: "12 Mall Road", city: "Lahore" },
  eg: { first_name: "Islam", last_name: "Rostom", phone: "+201119045759", address_1: "5 Tahrir Square", city: "Cairo" },
  kg: { first_name: "Aibek", last_name: "Usenov", phone: "+996700123456", address_1: "1 Chui Avenue", city: "Bishkek" },
};

let shoppers = 0;

export interface Checkout {
  cartId: string;
  collectionId: string;
  session: { id: string; status: string; amount: number; data: Record<string, any> };
  market: Market;
}

/** What a storefront does: cart, address, shipping, payment collection, payment session with the shopper's method. */
export async function checkout(api: AxiosInstance, seed: Seed, currency: Market["currency"], provider: string, method?: string): Promise<Checkout> {
  const market = seed.markets[currency];
  const who = SHOPPERS[market.country];
  const email = `${who.first_name.toLowerCase()}.${++shoppers}@example.com`; // one guest customer per checkout
  const address = { first_name: who.first_name, last_name: who.last_name, address_1: who.address_1, city: who.city, country_code: market.country, phone: who.phone };
  const cart = (await api.post("/store/carts", { region_id: market.region, email, shipping_address: address, billing_address: address, items: [{ variant_id: seed.variant, quantity: 1 }] }, seed.store)).data.cart;
  await api.post(`/store/carts/${cart.id}/shipping-methods`, { option_id: seed.shippingOption }, seed.store);
  const collection = (await api.post("/store/payment-collections", { cart_id: cart.id }, seed.store)).data.payment_collection;
  // The storefront passes the shopper's contact: guest carts give providers no customer in their context.
  const data = { ...(method ? { method } : {}), customer: { name: `${who.first_name} ${who.last_name}`, email, phone: who.phone } };
  const withSession = (await api.post(`/store/payment-collections/${collection.id}/payment-sessions`, { provider_id: provider, data }, seed.store)).data.payment_collection;
  const session = withSession.payment_sessions.find((s: { provider_id: string }) => s.provider_id === provider);
  return { cartId: cart.id, collectionId: collection.id, session, market };
}

/** The storefront's "complete" call; answers the response whatever its status (400/409 are part of the pattern). */
export async function complete(api: AxiosInstance, seed: Seed, cartId: string): Promise<AxiosResponse> {
  return api.post(`/store/carts/${cartId}/complete`, {}, { ...seed.store, validateStatus: () => true });
}

/** The cart's order as the admin sees it (payment status, payments with captures and refunds), or undefined. */
export async function orderOfCart(container: any, api: AxiosInstance, seed: Seed, cartId: string): Promise<{ id: string; payment_status: string; payments: any[] } | undefined> {
  const { data: carts } = await container.resolve("query").graph({ entity: "cart", fields: ["id", "order.id"], filters: { id: cartId } });
  const orderId = carts[0]?.order?.id as string | undefined;
  if (!orderId) return undefined;
  const fields = "+payment_status,*payment_collections,*payment_collections.payments,*payment_collections.payments.captures,*payment_collections.payments.refunds";
  const order = (await api.get(`/admin/orders/${orderId}?fields=${fields}`, seed.admin)).data.order;
  return { id: order.id, payment_status: order.payment_status, payments: (order.payment_collections ?? []).flatMap((c: any) => c.payments ?? []) };
}

/** Every order in the store (tests start from the same restored database, so counts are exact). */
export async function orderCount(container: any): Promise<number> {
  const [, count] = await container.resolve(Modules.ORDER).listAndCountOrders({}, { take: 1 });
  return count;
}

export async function sessionOf(container: any, sessionId: string): Promise<{ status: string; data: Record<string, any>; authorized_at?: Date | null }> {
  return container.resolve(Modules.PAYMENT).retrievePaymentSession(sessionId);
}

/** Polls `probe` until it returns a value (not undefined): the condition, not a fixed sleep, ends the wait. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 45_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Watches the payment webhooks Medusa processes: the providers' verdict lines (Medusa's logger, shared
 * with the payment module) and the processPaymentWorkflow runs the webhook subscriber starts. A test
 * waits until every callback the sandbox delivered was judged and every run it started has finished,
 * instead of sleeping.
 */
export function watchWebhooks(container: any) {
  const logger = container.resolve("logger");
  const lines: string[] = [];
  for (const level of ["info", "warn"] as const) {
    const original = logger[level].bind(logger);
    logger[level] = (message: unknown, ...rest: unknown[]) => {
      lines.push(String(message));
      return original(message, ...rest);
    };
  }
  const engine = container.resolve(Modules.WORKFLOW_ENGINE);
  const runs: { sessionId: string; done: boolean; error?: unknown }[] = [];
  const run = engine.run.bind(engine);
  engine.run = (id: string, options: { input?: { data?: { session_id?: string } } }, ...rest: unknown[]) => {
    const entry = { sessionId: options?.input?.data?.session_id ?? "", done: false } as (typeof runs)[number];
    if (id === "process-payment-workflow") runs.push(entry);
    const p = run(id, options, ...rest);
    Promise.resolve(p).then(
      (r: any) => { entry.done = true; if (r?.errors?.length) entry.error = r.errors; },
      (e: unknown) => { entry.done = true; entry.error = e; },
    );
    return p;
  };
  const about = (sessionId: string) => lines.filter((l) => l.includes(sessionId));
  return {
    lines,
    about,
    runs: (sessionId: string) => runs.filter((r) => r.sessionId === sessionId),
    /** Waits until `count` verdicts about the session were logged and each capture/authorize verdict's workflow run finished. */
    settled: (sessionId: string, count: number) =>
      eventually(async () => {
        const verdicts = about(sessionId);
        if (verdicts.length < count) return undefined;
        const starting = verdicts.filter((l) => / -> (captured|authorized)$/.test(l)).length;
        const started = runs.filter((r) => r.sessionId === sessionId);
        return started.length >= starting && started.every((r) => r.done) ? verdicts : undefined;
      }, `${count} processed webhook(s) for ${sessionId}`),
  };
}
