import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { GATEWAYS } from "@xpay-connect/core";
import { APP_DIR, TOML_APP_URL, deployedApp, extensionTomlFiles } from "../src/deploy";
import { PAYMENTS_API_VERSION, SCOPES } from "../src/config";

/** Shopify's allowed supported_payment_methods names (activemerchant/payment_icons, MIT, copied into test/data with its source line). */
const ALLOWED_METHODS = new Set(
  [...readFileSync(path.resolve(__dirname, "data/shopify-payment-icons.yml"), "utf8").matchAll(/^\s*name:\s*(\S+)\s*$/gm)].map((m) => m[1]),
);

interface Extension {
  name: string;
  handle: string;
  type: string;
  targeting: { target: string }[];
  payment_session_url: string;
  refund_session_url?: string;
  merchant_label: string;
  supported_countries: string[];
  supported_payment_methods: string[];
  supported_buyer_contexts: { currency: string; countries?: string[] }[];
  test_mode_available: boolean;
}

const extensions = extensionTomlFiles().map((file) => {
  const toml = parse(readFileSync(file, "utf8")) as unknown as { api_version: string; extensions: Extension[] };
  expect(toml.extensions).toHaveLength(1);
  return { file, apiVersion: toml.api_version, ...(toml.extensions[0] as Extension) };
});

describe("shopify.app.toml", () => {
  const app = parse(readFileSync(path.join(APP_DIR, "shopify.app.toml"), "utf8")) as unknown as {
    embedded: boolean;
    client_id: string;
    application_url: string;
    access_scopes: { scopes: string };
    auth: { redirect_urls: string[] };
    webhooks: { api_version: string; subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
  };

  it("is a non-embedded app with the payments scopes, its redirect URL and application_url under /shopify", () => {
    expect(app.embedded).toBe(false);
    expect(app.client_id).toMatch(/^\S+$/);
    expect(app.access_scopes.scopes.split(",")).toEqual(SCOPES);
    expect(app.application_url).toBe(`${TOML_APP_URL}/shopify`);
    expect(app.auth.redirect_urls).toEqual([`${TOML_APP_URL}/shopify/auth/callback`]);
  });

  it("subscribes the three compliance topics and app/uninstalled with relative URIs that resolve to /shopify/webhooks", () => {
    expect(app.webhooks.api_version).toBe(PAYMENTS_API_VERSION);
    const subs = app.webhooks.subscriptions;
    expect(subs.flatMap((s) => s.compliance_topics ?? []).sort()).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
    expect(subs.flatMap((s) => s.topics ?? [])).toEqual(["app/uninstalled"]);
    for (const s of subs) expect(s.uri).toBe("/webhooks");
    const deployed = deployedApp({ appUrl: "https://pay.example.org", clientId: "id", clientSecret: "secret" });
    expect(deployed.webhooks).toEqual({ api_version: PAYMENTS_API_VERSION, compliance_uri: "https://pay.example.org/shopify/webhooks", app_uninstalled_uri: "https://pay.example.org/shopify/webhooks" });
    expect(deployed.application_url).toBe("https://pay.example.org/shopify");
    expect(deployed.redirect_urls).toEqual(["https://pay.example.org/shopify/auth/callback"]);
  });
});

describe("extensions/*/shopify.extension.toml", () => {
  const payIn = Object.values(GATEWAYS).filter((g) => g.capabilities.payIn).map((g) => g.id);

  it("has one offsite payments extension per pay-in gateway, in a folder named by its unique handle", () => {
    expect(extensions.map((e) => e.handle).sort()).toEqual([...payIn].sort());
    expect(new Set(extensions.map((e) => e.handle)).size).toBe(extensions.length);
    for (const e of extensions) {
      expect(path.basename(path.dirname(e.file))).toBe(e.handle);
      expect(e.handle).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(e.type).toBe("payments_extension");
      expect(e.targeting).toEqual([{ target: "payments.offsite.render" }]);
      expect(e.apiVersion).toBe(PAYMENTS_API_VERSION);
      expect(e.test_mode_available).toBe(true);
    }
  });

  it("uses absolute https session URLs on the app, a merchant_label of 50 characters or fewer", () => {
    for (const e of extensions) {
      expect(e.payment_session_url).toBe(`${TOML_APP_URL}/shopify/sessions/payment/${e.handle}`);
      expect(e.merchant_label.length).toBeGreaterThan(0);
      expect(e.merchant_label.length).toBeLessThanOrEqual(50);
    }
  });

  it("declares a refund_session_url only where the gateway refunds (XPay EG)", () => {
    for (const e of extensions) {
      const refunds = GATEWAYS[e.handle as keyof typeof GATEWAYS].capabilities.refund;
      expect([e.handle, e.refund_session_url]).toEqual([e.handle, refunds ? `${TOML_APP_URL}/shopify/sessions/refund/${e.handle}` : undefined]);
    }
    expect(extensions.filter((e) => e.refund_session_url).map((e) => e.handle)).toEqual(["xpay-eg"]);
  });

  it("names only payment methods on Shopify's list, the ones each gateway takes", () => {
    expect(ALLOWED_METHODS.size).toBeGreaterThan(500);
    for (const e of extensions) for (const m of e.supported_payment_methods) expect([e.handle, m, ALLOWED_METHODS.has(m)]).toEqual([e.handle, m, true]);
    const methods = Object.fromEntries(extensions.map((e) => [e.handle, [...e.supported_payment_methods].sort()]));
    expect(methods).toEqual({
      "xpress-pay": ["easypaisa"],
      "xpay-pk": ["master", "visa"],
      "xpay-eg": ["aman", "fawry", "master", "meeza", "valu", "visa"],
      // No Kyrgyz method or QR scheme is on Shopify's list (docs/platforms/shopify.md).
      "xpay-kg": [],
    });
    for (const name of ["jazzcash", "raast", "instapay", "elcart"]) expect(ALLOWED_METHODS.has(name)).toBe(false);
  });

  it("offers each gateway's currencies as buyer contexts, and its country", () => {
    for (const e of extensions) {
      const gateway = GATEWAYS[e.handle as keyof typeof GATEWAYS];
      expect(e.supported_buyer_contexts.map((c) => c.currency).sort()).toEqual([...gateway.capabilities.currencies].sort());
      expect(e.supported_countries).toEqual([gateway.country]);
    }
  });

  it("deployedApp moves every URL to the app URL and keeps the rest as written", () => {
    const deployed = deployedApp({ appUrl: "http://127.0.0.1:4000/", clientId: "cid", clientSecret: "sec" });
    expect(deployed.client_id).toBe("cid");
    expect(deployed.scopes).toBe(SCOPES.join(","));
    expect(deployed.extensions.map((e) => e.handle).sort()).toEqual(extensions.map((e) => e.handle).sort());
    for (const e of deployed.extensions) {
      expect(e.payment_session_url).toBe(`http://127.0.0.1:4000/shopify/sessions/payment/${e.handle}`);
      expect(e.api_version).toBe(PAYMENTS_API_VERSION);
      expect(JSON.stringify(e)).not.toContain(TOML_APP_URL);
    }
    expect(deployed.extensions.find((e) => e.handle === "xpay-eg")?.refund_session_url).toBe("http://127.0.0.1:4000/shopify/sessions/refund/xpay-eg");
  });
});
