import { request } from "node:https";
import { installAndLink } from "./helpers/install";
import { makePki, type TestPki } from "./helpers/certs";
import { deployToEmulator, startShopifyStack, type ShopifyStack } from "./helpers/stack";

/** A POST over HTTPS to the mTLS listener, with or without a client certificate; answers the status or the TLS error's code. */
function post(url: string, ca: string, client?: { cert: string; key: string }): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", ca, ...(client ?? {}), headers: { "content-type": "application/json" }, timeout: 10_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode as number }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end("{}");
  });
}

describe("mTLS: Shopify's session requests only with a client certificate from the configured CA", () => {
  let stack: ShopifyStack;
  let pki: TestPki;
  let rogue: TestPki;
  let emulator = false;
  beforeAll(async () => {
    pki = makePki("shopify");
    rogue = makePki("rogue");
    stack = await startShopifyStack({ mtls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, port: 0 } });
    emulator = await deployToEmulator(stack);
  });
  afterAll(() => stack?.stop());

  const mtlsUrl = () => {
    const url = stack.app.mtlsUrl();
    if (!url) throw new Error("the mTLS listener is not running");
    return url;
  };

  it("refuses a client without a certificate and one with a certificate from another CA at the handshake", async () => {
    const url = `${mtlsUrl()}/shopify/sessions/payment/xpay-eg`;
    const none = await post(url, pki.ca);
    expect(none.status).toBeUndefined();
    expect(none.error).toMatch(/ECONNRESET|ERR_SSL|EPROTO|CERTIFICATE/i);
    const other = await post(url, pki.ca, { cert: rogue.clientCert, key: rogue.clientKey });
    expect(other.status).toBeUndefined();
    expect(other.error).toMatch(/ECONNRESET|ERR_SSL|EPROTO|CERTIFICATE|UNKNOWN_CA/i);
  });

  it("passes a request with a valid client certificate on to the session routes (their own 400 for an empty body)", async () => {
    const answer = await post(`${mtlsUrl()}/shopify/sessions/payment/xpay-eg`, pki.ca, { cert: pki.clientCert, key: pki.clientKey });
    expect(answer).toEqual({ status: 400 });
  });

  it("the plain listener refuses session requests (403) while the rest of the app stays on it", async () => {
    const plain = await fetch(`${stack.appUrl}/shopify/sessions/payment/xpay-eg`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(plain.status).toBe(403);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe("mtls_required");
    expect((await fetch(`${stack.appUrl}/shopify/app`)).status).toBe(401);
  });

  it("the emulator's checkout pays over mTLS with the app's client certificate, and gets no answer with another one", async () => {
    if (!emulator) return;
    const shop = "mtls-shop.myshopify.com";
    await installAndLink(stack, shop);
    const overTls = (cert: TestPki) => ({
      ...stack.deployed,
      extensions: stack.deployed.extensions.map((e) => ({ ...e, payment_session_url: e.payment_session_url.replace(stack.appUrl, mtlsUrl()) })),
      client_certificate: { cert: cert.clientCert, key: cert.clientKey, ca: pki.ca },
    });
    expect((await stack.control("/apps", overTls(pki))).status).toBe(201);
    await stack.control("/faults", { sessionRetryDelaysMs: [10, 10, 10], sessionTimeoutMs: 5000 });
    const checkout = await stack.control<{ token: string }>("/checkouts", { shop, amount: "1500.00", currency: "PKR", test: true });
    expect(checkout.status).toBe(201);
    const paid = await stack.control<{ status: number; redirect_url?: string }>(`/checkouts/${checkout.body.token}/pay`, { handle: "xpress-pay" });
    expect(paid.body.status).toBeGreaterThanOrEqual(200);
    expect(paid.body.status).toBeLessThan(300);
    expect(paid.body.redirect_url).toMatch(/^https?:\/\//);

    expect((await stack.control("/apps", overTls(rogue))).status).toBe(201);
    const refusedCheckout = await stack.control<{ token: string }>("/checkouts", { shop, amount: "1500.00", currency: "PKR", test: true });
    const refused = await stack.control<{ status: number; redirect_url?: string }>(`/checkouts/${refusedCheckout.body.token}/pay`, { handle: "xpress-pay" });
    expect(refused.body).toMatchObject({ status: 0 });
    expect(refused.body.redirect_url).toBeUndefined();
  });
});
