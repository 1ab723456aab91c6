import { Router, json, type SandboxRequest, type SandboxResponse } from "../http";
import { checkoutMethods, pay } from "./checkout";
import { control } from "./control";
import { graphqlEndpoint } from "./graphql";
import { accessToken, authorizeGrant, authorizePage, openApp } from "./oauth";
import { checkoutPage, errorPage, found, orderStatus, settingsPage, thankYouPage } from "./pages";
import { SHOP_DOMAIN, ShopifyState, type Checkout } from "./state";

export { paymentsAppsSchema, PAYMENTS_APPS_API_VERSION } from "./schema";

/**
 * Shopify's side of a payments app: each shop's origin at `<sandbox>/shopify/stores/<shop>` (OAuth, the Payments
 * Apps GraphQL API, the admin's app link and settings page, checkout pages) and the test hooks at
 * `<sandbox>/_sandbox/shopify`. State lives in memory.
 */
export class ShopifyEmulator {
  readonly state = new ShopifyState();
  private readonly router = new Router();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor() {
    const r = this.router;
    const shopRoute = (method: string, path: string, name: string, handler: (req: SandboxRequest, shop: string) => SandboxResponse | Promise<SandboxResponse>) =>
      r.add(method, `/stores/:shop${path}`, name, (req) => {
        const shop = req.params.shop as string;
        if (!SHOP_DOMAIN.test(shop)) return errorPage(404, "Not Found", `shop: ${JSON.stringify(shop)} is not a shop domain like my-shop.myshopify.com`);
        return handler(req, shop);
      });
    shopRoute("GET", "/admin/oauth/authorize", "oauthAuthorize", (req, shop) => authorizePage(this.state, shop, req.query));
    shopRoute("POST", "/admin/oauth/authorize", "oauthGrant", (req, shop) => authorizeGrant(this.state, shop, formOf(req.body)));
    shopRoute("POST", "/admin/oauth/access_token", "oauthAccessToken", (req, shop) => accessToken(this.state, shop, req.body));
    shopRoute("POST", "/payments_apps/api/:version/graphql.json", "graphql", (req, shop) =>
      graphqlEndpoint(this.state, shop, req.params.version as string, header(req, "x-shopify-access-token"), req.body, shopOrigin(req, shop), (ms) => this.sleep(ms)),
    );
    shopRoute("GET", "/admin/apps/:clientId", "adminApp", (req, shop) => openApp(this.state, shop, req.params.clientId as string));
    shopRoute("GET", "/services/payments_partners/gateways/:clientId/settings", "gatewaySettings", (req, shop) => {
      const app = this.state.apps.get(req.params.clientId as string);
      if (!app) return errorPage(404, "Not Found", `client_id: no app ${JSON.stringify(req.params.clientId)} is deployed`);
      return settingsPage(shop, app, this.state.shop(shop).installations.get(app.client_id));
    });
    const checkoutRoute = (method: string, path: string, name: string, handler: (req: SandboxRequest, checkout: Checkout) => SandboxResponse | Promise<SandboxResponse>) =>
      shopRoute(method, path, name, (req, shop) => {
        const checkout = this.state.checkouts.get(req.params.token as string);
        if (!checkout || checkout.shop !== shop) return errorPage(404, "Checkout not found", `token: no checkout ${JSON.stringify(req.params.token)} on ${shop}`);
        return handler(req, checkout);
      });
    checkoutRoute("GET", "/checkouts/:token", "checkout", (req, checkout) =>
      checkoutPage(checkout, checkoutMethods(this.state, checkout), payAction(req, checkout), req.query.payment_failed ? "Your payment couldn't be processed. Try again or choose another method." : undefined),
    );
    checkoutRoute("GET", "/checkouts/cn/:token/processing", "checkoutCancel", (req, checkout) =>
      checkoutPage(checkout, checkoutMethods(this.state, checkout), payAction(req, checkout), "You didn't finish your payment. Choose a payment method to try again."),
    );
    checkoutRoute("POST", "/checkouts/:token/pay", "checkoutPay", async (req, checkout) => {
      const handle = formOf(req.body).handle;
      const method = checkoutMethods(this.state, checkout).find((m) => m.extension.handle === handle);
      if (!method) return errorPage(400, "Checkout", `handle: ${JSON.stringify(handle ?? "")} is not a payment method of this checkout`);
      const outcome = await pay(this.state, checkout, method, shopOrigin(req, checkout.shop), (ms) => this.sleep(ms));
      return found(outcome.redirectUrl ?? `${shopOrigin(req, checkout.shop)}/checkouts/${checkout.token}?payment_failed=1`);
    });
    checkoutRoute("GET", "/checkouts/:token/thank_you", "thankYou", (_req, checkout) => thankYouPage(checkout, this.lastSession(checkout)));
    checkoutRoute("GET", "/checkouts/:token/thank_you/status", "thankYouStatus", (_req, checkout) => {
      const session = this.lastSession(checkout);
      return json(200, { status: orderStatus(session), final: session?.state.code === "RESOLVED" || session?.state.code === "REJECTED" });
    });
  }

  /** A request on a shop's origin (`path` below `/shopify`). */
  handle(req: SandboxRequest): Promise<SandboxResponse> | SandboxResponse {
    const match = this.router.match(req.method, req.path);
    if (!match) return json(404, { errors: "Not Found" });
    req.params = match.params;
    return match.handler(req);
  }

  /** A control request (`path` below `/_sandbox/shopify`). */
  control(req: SandboxRequest): Promise<SandboxResponse> {
    return control({ state: this.state, shopOrigin: (shop) => `${req.origin}/shopify/stores/${shop}`, sleep: (ms) => this.sleep(ms) }, req);
  }

  reset(): void {
    this.state.reset();
  }

  /** Stops the timers of requests waiting for a retry. */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  /** The session the thank-you page is about: the checkout's last one the app answered. */
  private lastSession(checkout: Checkout) {
    const answered = checkout.sessions.map((id) => this.state.sessions.get(id)).filter((s) => s?.answered);
    return answered[answered.length - 1];
  }
}

function shopOrigin(req: SandboxRequest, shop: string): string {
  return `${req.origin}/shopify/stores/${shop}`;
}

function payAction(req: SandboxRequest, checkout: Checkout): string {
  return `${shopOrigin(req, checkout.shop)}/checkouts/${checkout.token}/pay`;
}

function header(req: SandboxRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function formOf(body: unknown): Record<string, string> {
  if (!body || typeof body !== "object") return {};
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string"));
}
