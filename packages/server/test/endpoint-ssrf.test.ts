/**
 * Storefront endpoints and SSRF, over real HTTP: without ALLOW_PRIVATE_ENDPOINTS an endpoint URL
 * that is, or resolves to, a loopback, private, link-local (cloud metadata), CGNAT, unspecified or
 * IPv4-mapped private address is refused at creation with a 422 naming `url`; a name that resolved
 * publicly at creation but resolves to loopback at delivery (DNS rebinding) is refused at connect
 * time, recorded as a failed attempt, and the receiver never sees a byte. With the setting, the
 * same name is delivered to: the check is the policy, not a broken connection. Host names resolve
 * through a lookup injected into the service (no /etc/hosts); `localhost` through the real resolver.
 */
import { lookup as dnsLookup } from "node:dns";
import type { LookupFunction } from "node:net";
import { refusedRange } from "../src/outbox/address-guard";
import { configureOutbox } from "../src/outbox";
import { eventually, startStack, type Stack } from "./harness";
import { Receiver } from "./outbox-receiver";

configureOutbox({ baseDelayMs: 20, maxDelayMs: 200, pollMs: 50, timeoutMs: 5_000 });

const PUBLIC = "93.184.216.34";
const PAY_IN = { gateway: "xpress-pay", method: "easypaisa", amount: "1500.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" } };

/** A resolver the tests steer: names in `names` resolve as set, any other through the real one. */
function steeredLookup(names: Map<string, string>): LookupFunction {
  return (hostname, options, callback) => {
    const address = names.get(hostname);
    if (!address) return dnsLookup(hostname, options, callback as never);
    if (address === "ENOTFOUND") return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), "", 0);
    const family = address.includes(":") ? 6 : 4;
    if (options.all) return (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    callback(null, address, family);
  };
}

describe("address classification (ipaddr.js)", () => {
  it.each([
    ["127.0.0.1", /loopback/],
    ["10.1.2.3", /private/],
    ["172.16.0.1", /private/],
    ["192.168.1.1", /private/],
    ["169.254.169.254", /link-local/],
    ["100.64.0.1", /carrier-grade/],
    ["0.0.0.0", /unspecified/],
    ["224.0.0.1", /multicast/],
    ["::1", /loopback/],
    ["fd00::1", /unique local/],
    ["fe80::1", /link-local/],
    ["::ffff:127.0.0.1", /loopback/],
    ["::ffff:10.0.0.1", /private/],
    ["::", /unspecified/],
  ])("%s is refused (%s)", (address, why) => {
    expect(refusedRange(address)).toMatch(why);
  });

  it.each([[PUBLIC], ["8.8.8.8"], ["2606:4700:4700::1111"]])("%s is allowed", (address) => {
    expect(refusedRange(address)).toBeUndefined();
  });
});

describe("storefront endpoints without ALLOW_PRIVATE_ENDPOINTS", () => {
  let stack: Stack;
  const names = new Map<string, string>();
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    stack = await startStack({ allowPrivateEndpoints: false, endpointLookup: steeredLookup(names) });
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it.each([
    ["http://127.0.0.1:8080/hooks", /127\.0\.0\.1, a loopback address/],
    ["http://10.0.0.5/hooks", /10\.0\.0\.5, a private \(RFC 1918\) address/],
    ["http://169.254.169.254/latest/meta-data/", /link-local .*metadata/],
    ["http://[::1]:8080/hooks", /::1, a loopback address/],
    ["http://[::ffff:127.0.0.1]/hooks", /loopback/],
    ["http://[fe80::1]/hooks", /link-local/],
    ["http://100.64.1.1/hooks", /carrier-grade NAT/],
    ["http://0.0.0.0:4000/hooks", /unspecified/],
    ["http://localhost:8080/hooks", /localhost resolves to (127\.0\.0\.1|::1), a loopback address/],
  ])("POST /v1/endpoints %s answers 422 naming url", async (url, why) => {
    const res = await stack.api("POST", "/v1/endpoints", { url });
    expect(res.status).toBe(422);
    const error = res.body.error as Record<string, string>;
    expect(error).toMatchObject({ code: "endpoint_address_refused", field: "url" });
    expect(error.message).toMatch(why);
    expect(error.message).toMatch(/ALLOW_PRIVATE_ENDPOINTS=true/);
  });

  it("refuses a name that resolves privately at creation, and one that does not resolve", async () => {
    names.set("intranet.shop.test", "192.168.10.20");
    const privateName = await stack.api("POST", "/v1/endpoints", { url: "https://intranet.shop.test/hooks" });
    expect(privateName.status).toBe(422);
    expect((privateName.body.error as Record<string, string>).message).toMatch(/intranet\.shop\.test resolves to 192\.168\.10\.20/);
    names.set("no-such-host.shop.test", "ENOTFOUND");
    const unknown = await stack.api("POST", "/v1/endpoints", { url: "https://no-such-host.shop.test/hooks" });
    expect(unknown.status).toBe(422);
    expect((unknown.body.error as Record<string, string>).message).toMatch(/no-such-host\.shop\.test does not resolve \(ENOTFOUND\)/);
    const { 0: count } = await stack.service.ctx.db.query<{ n: number }>("select count(*)::int as n from endpoints where merchant_id = $1", [stack.merchantId]);
    expect(Number(count?.n)).toBe(0);
  });

  it("refuses at connect time a name that turned private after creation (DNS rebinding): a failed attempt, nothing sent", async () => {
    const receiver = await new Receiver().listen();
    receivers.push(receiver);
    const port = new URL(receiver.url).port;
    names.set("rebind.shop.test", PUBLIC);
    const created = await stack.api("POST", "/v1/endpoints", { url: `http://rebind.shop.test:${port}/xpay-connect/events` });
    expect(created.status).toBe(201);
    // Now the name points at the service's own host.
    names.set("rebind.shop.test", "127.0.0.1");
    const payment = await stack.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "ORDER-SSRF-REBIND" });
    expect(payment.status).toBe(201);
    const [delivery] = await eventually(
      () => stack.service.ctx.db.query<{ attempts: number; delivered_at: Date | null; last_error: string | null }>("select attempts, delivered_at, last_error from deliveries where endpoint_id = $1", [String(created.body.id)]),
      (rows) => rows.length > 0 && Number(rows[0]?.attempts) >= 2,
    );
    expect(delivery?.delivered_at).toBeNull();
    expect(delivery?.last_error).toMatch(/^refused: rebind\.shop\.test resolves to 127\.0\.0\.1, a loopback address/);
    expect(receiver.receipts).toHaveLength(0);
  });

  it("refuses at delivery a literal private URL stored while private endpoints were allowed", async () => {
    const receiver = await new Receiver().listen();
    receivers.push(receiver);
    const { ctx } = stack.service;
    const id = "end_storedWhileAllowed";
    await ctx.db.query("insert into endpoints (id, merchant_id, url, description, secret_ciphertext) values ($1, $2, $3, null, $4)", [id, stack.merchantId, receiver.url, ctx.secrets.encrypt("whsec_test")]);
    const payment = await stack.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "ORDER-SSRF-LITERAL" });
    expect(payment.status).toBe(201);
    const [delivery] = await eventually(
      () => ctx.db.query<{ attempts: number; last_error: string | null }>("select attempts, last_error from deliveries where endpoint_id = $1", [id]),
      (rows) => rows.length > 0 && Number(rows[0]?.attempts) >= 1,
    );
    expect(delivery?.last_error).toMatch(/^refused: 127\.0\.0\.1, a loopback address/);
    expect(receiver.receipts).toHaveLength(0);
  });
});

describe("storefront endpoints with ALLOW_PRIVATE_ENDPOINTS=true", () => {
  let stack: Stack;
  const names = new Map<string, string>([["store.shop.test", "127.0.0.1"]]);
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await new Receiver().listen();
    stack = await startStack({ allowPrivateEndpoints: true, endpointLookup: steeredLookup(names) });
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  it("accepts a loopback name and delivers to the address the lookup gave", async () => {
    const port = new URL(receiver.url).port;
    const created = await stack.api("POST", "/v1/endpoints", { url: `http://store.shop.test:${port}/xpay-connect/events` });
    expect(created.status).toBe(201);
    const payment = await stack.api("POST", "/v1/payments", { ...PAY_IN, order_ref: "ORDER-SSRF-ALLOWED" });
    expect(payment.status).toBe(201);
    await eventually(
      async () => receiver.receipts.length,
      (n) => n >= 1,
    );
    expect(receiver.receipts[0]?.headers.host).toBe(`store.shop.test:${port}`);
  });
});
