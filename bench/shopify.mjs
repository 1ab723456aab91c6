// The Shopify app's payment session request against the bare service create it wraps, measured in the same run.
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { startSandbox } from "./sandbox.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const requireServer = createRequire(path.join(root, "packages/server/package.json"));
const server = requireServer("./dist/index.js");
const { sandboxAccounts } = requireServer("./dist/demo/sandbox-merchant.js");
const pino = requireServer("pino");
const shopify = createRequire(path.join(root, "plugins/shopify/package.json"))("./dist/index.js");
const ROUNDS = Number(process.env.BENCH_SHOPIFY_ROUNDS ?? 8);
const PER_ROUND = Number(process.env.BENCH_SHOPIFY_PER_ROUND ?? 40);
const SHOP = "bench-shop.myshopify.com";

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function freePort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** Lines `shopify_session_ms`, `shopify_bare_create_ms`, `shopify_session_overhead_ratio` (target below 1.25). */
export async function shopifyBench() {
  const sandbox = await startSandbox();
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const app = shopify.shopifyApp({ apiKey: "bench-client", apiSecret: randomBytes(24).toString("hex"), appUrl, shopifyOrigin: (shop) => `${sandbox.url}/shopify/stores/${shop}` });
  const service = await server.startService(
    { port, host: "127.0.0.1", dataDir: ":memory:", databaseUrl: undefined, masterKey: randomBytes(32).toString("hex"), publicUrl: appUrl, logLevel: "silent" },
    { log: pino({ level: "silent" }), routes: app.routes, migrations: app.migrations },
  );
  const { merchant, apiKey } = await service.ctx.merchants.create("Bench store", "test");
  await service.ctx.merchants.setGatewayAccount(merchant.id, "xpress-pay", sandboxAccounts(sandbox.url)["xpress-pay"]);
  const deps = app.deps();
  await deps.shops.installed(SHOP, { accessToken: "bench", accessTokenExpiresAt: null, refreshToken: null, refreshTokenExpiresAt: null, scopes: "" });
  await deps.shops.link(SHOP, { merchantId: merchant.id, apiKey, externalHandle: "bench" });

  let seq = 0;
  const customer = { name: "Ayesha Khan", email: "buyer@example.com", phone: "03001234567" };
  // The same create the app sends for a session (its fields, description and metadata), so both sides do the same payment work.
  const bare = async () => {
    const ref = `BARE-${++seq}${randomBytes(4).toString("hex")}`;
    const res = await fetch(`${service.url}/v1/payments`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "idempotency-key": `shopify-payment-session:${ref}` },
      body: JSON.stringify({
        gateway: "xpress-pay", method: "easypaisa", currency: "PKR", amount: "1500.00", order_ref: ref, customer,
        return_url: `${appUrl}/shopify/return/${randomBytes(18).toString("base64url")}`, description: "Shopify checkout",
        metadata: { shopify_shop: SHOP, shopify_session: ref, shopify_group: ref },
      }),
    });
    if (res.status !== 201) throw new Error(`bare create answered ${res.status}: ${await res.text()}`);
  };
  const session = async () => {
    const id = `bench${++seq}${randomBytes(4).toString("hex")}`;
    const res = await fetch(`${appUrl}/shopify/sessions/payment/xpress-pay`, {
      method: "POST",
      headers: { "content-type": "application/json", "shopify-shop-domain": SHOP, "shopify-request-id": id, "shopify-api-version": "2026-07" },
      body: JSON.stringify({
        id, gid: `gid://shopify/PaymentSession/${id}`, group: id, amount: "1500.00", currency: "PKR", test: true, kind: "sale", merchant_locale: "en",
        payment_method: { type: "offsite", data: { cancel_url: `https://${SHOP}/checkouts/cn/x/processing` } }, proposed_at: new Date().toISOString(),
        customer: { email: "buyer@example.com", phone_number: "03001234567", billing_address: { given_name: "Ayesha", family_name: "Khan" } },
      }),
    });
    if (res.status !== 200) throw new Error(`session answered ${res.status}: ${await res.text()}`);
  };
  // Each pair of requests runs back to back, bare first then the session, so load on a shared machine hits both alike.
  const timed = async (fn) => {
    const t0 = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  for (let i = 0; i < PER_ROUND; i++) {
    await bare();
    await session();
  }
  const bareMs = [];
  const sessionMs = [];
  for (let i = 0; i < ROUNDS * PER_ROUND; i++) {
    bareMs.push(await timed(bare));
    sessionMs.push(await timed(session));
  }
  await service.stop();
  await sandbox.stop();
  return [
    `shopify_bare_create_ms: ${median(bareMs).toFixed(3)}`,
    `shopify_session_ms: ${median(sessionMs).toFixed(3)}`,
    `shopify_session_overhead_ratio: ${(median(sessionMs) / median(bareMs)).toFixed(3)}`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) for (const line of await shopifyBench()) console.log(line);
