import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ShopifyConfigError, originFromTemplate, resolveConfig, shopifyOptionsFromEnv } from "../src/config";
import { CookieJar, signQuery, startShopifyStack, visit, type ShopifyStack } from "./helpers/stack";

describe("the app's configuration (SHOPIFY_* variables)", () => {
  it("is off without SHOPIFY_API_KEY, and names each missing or wrong variable", () => {
    expect(shopifyOptionsFromEnv({})).toBeNull();
    expect(() => shopifyOptionsFromEnv({ SHOPIFY_API_KEY: "k" })).toThrow("SHOPIFY_API_SECRET, SHOPIFY_APP_URL: required when SHOPIFY_API_KEY is set");
    expect(() => shopifyOptionsFromEnv({ SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://a.example", SHOPIFY_ORIGIN_TEMPLATE: "http://x" })).toThrow(/SHOPIFY_ORIGIN_TEMPLATE: expected a URL containing \{shop\}/);
    const options = shopifyOptionsFromEnv({ SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://a.example", SHOPIFY_ORIGIN_TEMPLATE: "http://127.0.0.1:4010/shopify/stores/{shop}/" });
    expect(options?.shopifyOrigin?.("a.myshopify.com")).toBe("http://127.0.0.1:4010/shopify/stores/a.myshopify.com");
    const url = () => "http://127.0.0.1:1";
    expect(() => resolveConfig({ apiKey: "k", apiSecret: "s", appUrl: "https://a.example/shopify" }, url)).toThrow(ShopifyConfigError);
    expect(() => resolveConfig({ apiKey: "k", apiSecret: "s", appUrl: "not a url" }, url)).toThrow(/SHOPIFY_APP_URL/);
    expect(() => resolveConfig({ apiKey: " ", apiSecret: "s", appUrl: "https://a.example" }, url)).toThrow(/SHOPIFY_API_KEY/);
    const config = resolveConfig({ apiKey: "k", apiSecret: "s", appUrl: "https://a.example/" }, url);
    expect(config).toMatchObject({ appUrl: "https://a.example", apiVersion: "2026-07", scopes: ["write_payment_gateways", "write_payment_sessions"] });
    expect(config.shopifyOrigin("a.myshopify.com")).toBe("https://a.myshopify.com");
    expect(config.cookieSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(originFromTemplate("https://{shop}")("b.myshopify.com")).toBe("https://b.myshopify.com");
  });
});

describe("the mTLS listener's variables", () => {
  const base = { SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://a.example" };

  it("reads the PEM files named by SHOPIFY_MTLS_*_FILE when SHOPIFY_MTLS_PORT is set, and names what is wrong", () => {
    expect(shopifyOptionsFromEnv(base)?.mtls).toBeUndefined();
    expect(() => shopifyOptionsFromEnv({ ...base, SHOPIFY_MTLS_PORT: "x" })).toThrow("SHOPIFY_MTLS_PORT: expected a port number, got x");
    expect(() => shopifyOptionsFromEnv({ ...base, SHOPIFY_MTLS_PORT: "8443" })).toThrow(
      "SHOPIFY_MTLS_CERT_FILE, SHOPIFY_MTLS_KEY_FILE, SHOPIFY_MTLS_CA_FILE: required when SHOPIFY_MTLS_PORT is set",
    );
    const dir = mkdtempSync(path.join(tmpdir(), "xpay-shopify-env-"));
    try {
      for (const name of ["cert", "key", "ca"]) writeFileSync(path.join(dir, `${name}.pem`), `${name} pem`);
      const files = { SHOPIFY_MTLS_CERT_FILE: path.join(dir, "cert.pem"), SHOPIFY_MTLS_KEY_FILE: path.join(dir, "key.pem"), SHOPIFY_MTLS_CA_FILE: path.join(dir, "ca.pem") };
      expect(shopifyOptionsFromEnv({ ...base, ...files, SHOPIFY_MTLS_PORT: "8443" })?.mtls).toEqual({ cert: "cert pem", key: "key pem", ca: "ca pem", port: 8443 });
      expect(() => shopifyOptionsFromEnv({ ...base, ...files, SHOPIFY_MTLS_CA_FILE: path.join(dir, "none.pem"), SHOPIFY_MTLS_PORT: "8443" })).toThrow(/^SHOPIFY_MTLS_CA_FILE: cannot read .*none\.pem \(ENOENT\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("hostile input on the install and config routes: a 4xx, never a 5xx", () => {
  let stack: ShopifyStack;
  beforeAll(async () => {
    stack = await startShopifyStack();
  });
  afterAll(() => stack?.stop());

  const now = () => String(Math.floor(Date.now() / 1000));
  const cases: [string, string, RequestInit?][] = [
    ["GET", "/shopify/auth"],
    ["GET", "/shopify/auth?shop=a.myshopify.com&shop=b.myshopify.com"],
    ["GET", "/shopify/auth?shop=%00"],
    ["GET", "/shopify/auth/callback"],
    ["GET", "/shopify/auth/callback?code=x&shop=a.myshopify.com&state=s&timestamp=1&hmac=zz"],
    ["GET", "/shopify/app?hmac=abc"],
    ["GET", "/shopify/app?hmac=abc&hmac=def&shop=a.myshopify.com&timestamp=1"],
    ["GET", "/shopify/app?hmac=abc&shop=a.myshopify.com&timestamp=notanumber"],
    ["GET", `/shopify/app?hmac=${"f".repeat(64)}&shop=..&timestamp=${now()}`],
    ["POST", "/shopify/app/link", { headers: { "content-type": "application/json" }, body: "{" }],
    ["POST", "/shopify/app/link", { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "%%%" }],
    ["POST", "/shopify/app/unlink", { headers: { "content-type": "text/plain" }, body: "x" }],
    ["POST", `/shopify/app/gateways/${"x".repeat(90)}`, { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "csrf=a" }],
    ["POST", "/shopify/webhooks", { headers: { "content-type": "application/json" }, body: "" }],
    ["POST", "/shopify/webhooks", { headers: { "x-shopify-hmac-sha256": "%%%", "x-shopify-topic": "shop/redact" }, body: "{}" }],
  ];

  it.each(cases)("%s %s", async (method, path, init = {}) => {
    const res = await visit(new CookieJar(), `${stack.appUrl}${path}`, { method, ...init });
    expect([path, res.status >= 400 && res.status < 500]).toEqual([path, true]);
  });

  it("a signed admin link for a shop name that is not a myshopify domain is refused", async () => {
    const params = { shop: "evil.example.com", timestamp: now() };
    const res = await visit(new CookieJar(), `${stack.appUrl}/shopify/app?${new URLSearchParams({ ...params, hmac: signQuery(stack.clientSecret, params) })}`);
    expect(res.status).toBe(401);
  });
});
