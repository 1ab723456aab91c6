import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

/** The app's Shopify CLI project (shopify.app.toml, extensions/) beside dist/ and src/. */
export const APP_DIR = path.resolve(__dirname, "..");

/** The URL the TOMLs are written with; deployedApp rewrites it to the real app URL. */
export const TOML_APP_URL = "https://xpay-connect.example.com";

interface AppToml {
  client_id: string;
  name: string;
  application_url: string;
  access_scopes: { scopes: string };
  auth: { redirect_urls: string[] };
  webhooks: { api_version: string; subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
}

/** One extension as it is deployed (and as the emulator takes it). */
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

/** An extension TOML: the same fields, the API version beside them, buyer contexts optional. */
interface ExtensionToml {
  api_version: string;
  extensions: (Omit<DeployedExtension, "api_version" | "supported_buyer_contexts"> & Partial<Pick<DeployedExtension, "supported_buyer_contexts">>)[];
}

/** What `shopify app deploy` registers, as the sandbox's Shopify emulator takes it (POST /_sandbox/shopify/apps). */
export interface DeployedApp {
  client_id: string;
  client_secret: string;
  name: string;
  application_url: string;
  redirect_urls: string[];
  scopes: string;
  webhooks: { api_version: string; compliance_uri: string; app_uninstalled_uri: string };
  extensions: DeployedExtension[];
  client_certificate?: { cert: string; key: string; ca?: string };
}

const readToml = <T>(file: string): T => parse(readFileSync(file, "utf8")) as unknown as T;

/** The extension TOML files, by handle directory. */
export function extensionTomlFiles(dir = APP_DIR): string[] {
  const root = path.join(dir, "extensions");
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(root, d.name, "shopify.extension.toml"))
    .sort();
}

/**
 * The app as deployed: shopify.app.toml and every extension TOML read from `dir`, their URLs moved from
 * TOML_APP_URL to `appUrl`, relative webhook URIs resolved against application_url (as the Shopify CLI does).
 */
export function deployedApp(options: { appUrl: string; clientId: string; clientSecret: string; dir?: string; clientCertificate?: DeployedApp["client_certificate"] }): DeployedApp {
  const dir = options.dir ?? APP_DIR;
  const base = options.appUrl.replace(/\/+$/, "");
  const move = (url: string) => (url.startsWith(TOML_APP_URL) ? base + url.slice(TOML_APP_URL.length) : url);
  const app = readToml<AppToml>(path.join(dir, "shopify.app.toml"));
  const applicationUrl = move(app.application_url);
  const uri = (u: string) => (u.startsWith("/") ? applicationUrl.replace(/\/+$/, "") + u : move(u));
  const compliance = app.webhooks.subscriptions.find((s) => s.compliance_topics?.length);
  const uninstalled = app.webhooks.subscriptions.find((s) => s.topics?.includes("app/uninstalled"));
  if (!compliance || !uninstalled) throw new Error("shopify.app.toml: expected a compliance_topics subscription and an app/uninstalled subscription");
  return {
    client_id: options.clientId,
    client_secret: options.clientSecret,
    name: app.name,
    application_url: applicationUrl,
    redirect_urls: app.auth.redirect_urls.map(move),
    scopes: app.access_scopes.scopes,
    webhooks: { api_version: app.webhooks.api_version, compliance_uri: uri(compliance.uri), app_uninstalled_uri: uri(uninstalled.uri) },
    extensions: extensionTomlFiles(dir).flatMap((file) => {
      const toml = readToml<ExtensionToml>(file);
      return toml.extensions.map((e) => ({
        handle: e.handle,
        api_version: toml.api_version,
        payment_session_url: move(e.payment_session_url),
        ...(e.refund_session_url ? { refund_session_url: move(e.refund_session_url) } : {}),
        ...(e.capture_session_url ? { capture_session_url: move(e.capture_session_url) } : {}),
        ...(e.void_session_url ? { void_session_url: move(e.void_session_url) } : {}),
        merchant_label: e.merchant_label,
        ...(e.buyer_label ? { buyer_label: e.buyer_label } : {}),
        supported_payment_methods: e.supported_payment_methods,
        supported_buyer_contexts: e.supported_buyer_contexts ?? [],
        test_mode_available: e.test_mode_available,
        ...(e.supports_3ds !== undefined ? { supports_3ds: e.supports_3ds } : {}),
      }));
    }),
    ...(options.clientCertificate ? { client_certificate: options.clientCertificate } : {}),
  };
}
