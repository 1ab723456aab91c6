/** The XPay EG emulator answers the spec's own examples (host replaced by the sandbox) with the spec's shapes. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startSandbox, type SandboxHandle } from "../src";
import { XPAY_EG_API_KEY, XPAY_EG_COMMUNITIES, XPAY_EG_RETRY_DELAYS_MS, XPAY_EG_TEST_CARDS } from "../src/gateways/xpay-eg";
import * as spec from "../../core/test/xpay-eg/fixtures";

let sandbox: SandboxHandle;
const KIOSK_COMMUNITY_KEY = XPAY_EG_COMMUNITIES.find((c) => c.communityId === "1")?.apiKey as string;

type Answer = { status: number; body: { status: { code: number; message: string; errors: unknown[] }; data: Record<string, unknown> | null; count: unknown; next: unknown; previous: unknown } };
const call = (method: string, path: string, body?: unknown, key: string | null = XPAY_EG_API_KEY): Promise<Answer> =>
  fetch(`${sandbox.url}/xpay-eg${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headers: { "content-type": "application/json", ...(key ? { "x-api-key": key } : {}) },
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Answer["body"] }));
const PAY = "/api/v1/payments/pay/variable-amount";
const PREPARE = "/api/v1/payments/prepare-amount/";
const REFUND = "/api/payments/refund-transaction/";
const lookup = (uuid: string, community = "zogDmQW", key = XPAY_EG_API_KEY) => call("GET", `/api/v1/communities/${community}/transactions/${uuid}/`, undefined, key);
const control = (path: string, body: Record<string, unknown> = {}) =>
  fetch(`${sandbox.url}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
const form = (url: string, body: string) => fetch(url, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });

// The spec's examples, verbatim, shared with the connector's unit tests.
const { payBodyEgp: egp, payBodyUsd: usd, payBodyKiosk: kiosk } = spec;
const customFields = [
  { field_label: "test label1", field_value: "test one" },
  { field_label: "test label3", field_value: false },
  { field_label: "test label2", field_value: 25 },
];

/** A merchant endpoint answering `statuses` in turn (the last one repeats). */
async function merchant(statuses: number[]): Promise<{ url: string; bodies: string[]; close: () => Promise<void> }> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      bodies.push(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(statuses[Math.min(bodies.length, statuses.length) - 1] as number, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/xpay/callback`,
    bodies,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const afterThis: (() => Promise<void>)[] = [];
beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, seed: 3, retryScale: 0.001 });
});
afterEach(async () => {
  await sandbox.close();
  await Promise.all(afterThis.splice(0).map((close) => close()));
});

describe("xpay-eg emulator: the spec's examples", () => {
  it("pay with EGP answers the envelope with iframe_url, transaction_id, transaction_status, transaction_uuid", async () => {
    const res = await call("POST", PAY, egp);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: { code: 200, message: "success", errors: [] },
      data: {
        iframe_url: expect.stringMatching(new RegExp(`^${sandbox.url}/xpay-eg/core/payment_iframe/[0-9a-f-]{36}/$`)),
        transaction_id: expect.any(Number),
        transaction_status: "PENDING",
        transaction_uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
      count: null,
      next: null,
      previous: null,
    });
  });

  it("pay with USD, and with the custom fields example, answer the same shape", async () => {
    expect((await call("POST", PAY, usd)).body.data).toMatchObject({ transaction_status: "PENDING" });
    const res = await call("POST", PAY, { ...egp, custom_fields: customFields });
    expect(res.status).toBe(200);
    const uuid = res.body.data?.transaction_uuid as string;
    expect(JSON.parse((await lookup(uuid)).body.data?.custom_fields_json as string)).toEqual(customFields);
  });

  it("pay using kiosk answers a message and an integer bill_refrence", async () => {
    const res = await call("POST", PAY, kiosk, KIOSK_COMMUNITY_KEY);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data ?? {}).sort()).toEqual(["bill_refrence", "iframe_url", "message", "transaction_id", "transaction_status", "transaction_uuid"]);
    expect(res.body.data?.bill_refrence).toEqual(expect.any(Number));
    expect(String(res.body.data?.message)).toContain(String(res.body.data?.bill_refrence));
    const tx = await lookup(res.body.data?.transaction_uuid as string, "1", KIOSK_COMMUNITY_KEY);
    expect(tx.body.data).toMatchObject({ total_amount: 50, total_amount_piasters: 5000, status: "PENDING" });
  });

  it("prepare-amount turns the spec's 50 EGP into 53.36 and 10 USD into 10.27", async () => {
    const a = await call("POST", PREPARE, { community_id: "zogDmQW", amount: 50, currency: "EGP", selected_payment_method: "card" });
    expect(a.body).toEqual({ status: { code: 200, message: "success", errors: [] }, data: { total_amount: 53.36 }, count: null, next: null, previous: null });
    expect((await call("POST", PREPARE, { community_id: "zogDmQW", amount: 10, currency: "USD", selected_payment_method: "card" })).body.data).toEqual({ total_amount: 10.27 });
  });

  it("the transaction lookup answers status, total_amount and total_amount_piasters", async () => {
    const uuid = (await call("POST", PAY, egp)).body.data?.transaction_uuid as string;
    const res = await lookup(uuid);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ uuid, status: "PENDING", total_amount: 53.36, total_amount_piasters: 5336, member_id: null });
    // XPay's public lookup shape names no currency; the dashboard switch lookupCurrency adds it.
    expect(res.body.data).not.toHaveProperty("total_amount_currency");
    expect((await control("xpay-eg/settings", { lookupCurrency: "yes" })).status).toBe(400);
    expect(await (await control("xpay-eg/settings", { lookupCurrency: true })).json()).toMatchObject({ lookupCurrency: true });
    expect((await lookup(uuid)).body.data).toMatchObject({ total_amount_currency: "EGP" });
    await control("xpay-eg/settings", { lookupCurrency: false });
    expect((await lookup(uuid)).body.data).not.toHaveProperty("total_amount_currency");
  });

  it("lag: the next N lookups answer the status before the last change, then the truth (a lookup lagging its callback)", async () => {
    const uuid = (await call("POST", PAY, egp)).body.data?.transaction_uuid as string;
    expect((await control(`xpay-eg/orders/${uuid}/lag`, { queries: -1 })).status).toBe(400);
    expect((await control("xpay-eg/orders/nope/lag", { queries: 1 })).status).toBe(404);
    expect(await (await control(`xpay-eg/orders/${uuid}/lag`, { queries: 2 })).json()).toEqual({ transaction_uuid: uuid, lag_queries: 2 });
    expect((await control(`xpay-eg/orders/${uuid}/approve`)).status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await lookup(uuid)).body.data?.status);
    expect(statuses).toEqual(["PENDING", "PENDING", "SUCCESSFUL"]);
  });

  it("is deterministic from the seed", async () => {
    const first = (await call("POST", PAY, egp)).body;
    sandbox.reset(3);
    expect((await call("POST", PAY, egp)).body).toEqual(first);
  });
});

describe("xpay-eg emulator: refusals in XPay's shape", () => {
  it("refuses a missing or unknown x-api-key (401) and another community's (403)", async () => {
    expect(await call("POST", PAY, egp, null)).toMatchObject({ status: 401, body: { status: { code: 401, message: "Authentication credentials were not provided." }, data: null } });
    expect(await call("POST", PAY, egp, "nope")).toMatchObject({ status: 401, body: { status: { message: "Invalid API key." } } });
    expect(await call("POST", PAY, egp, KIOSK_COMMUNITY_KEY)).toMatchObject({ status: 403, body: { status: { code: 403 } } });
    expect((await call("POST", PREPARE, { community_id: "1", amount: 1 })).status).toBe(403);
    expect((await lookup("x", "1")).status).toBe(403);
  });

  it.each([
    [{ community_id: undefined }, ["community_id"], "required"],
    [{ amount: undefined }, ["amount"], "required"],
    [{ amount: "53.36" }, ["amount"], "valid number"],
    [{ amount: 53.365 }, ["amount"], "2 decimal places"],
    [{ amount: -1 }, ["amount"], "greater than 0"],
    [{ original_amount: undefined }, ["original_amount"], "required"],
    [{ original_amount: 60 }, ["original_amount"], "not greater than amount"],
    [{ currency: "JPY" }, ["currency"], "Supported currencies are EGP, USD, EUR, SAR, AED, GBP"],
    [{ variable_amount_id: "4" }, ["variable_amount_id"], "valid integer"],
    [{ variable_amount_id: 99 }, ["variable_amount_id"], "does not exist"],
    [{ pay_using: "paypal" }, ["pay_using"], "not a valid choice"],
    [{ pay_using: "kiosk", currency: "USD" }, ["currency"], "EGP only"],
    [{ billing_data: undefined }, ["billing_data"], "required"],
    [{ billing_data: { ...egp.billing_data, name: "Islam" } }, ["billing_data", "name"], "first and last name in english letters"],
    [{ billing_data: { ...egp.billing_data, name: "إسلام رستم" } }, ["billing_data", "name"], "english letters"],
    [{ billing_data: { ...egp.billing_data, email: "nope" } }, ["billing_data", "email"], "valid email"],
    [{ billing_data: { ...egp.billing_data, phone_number: "" } }, ["billing_data", "phone_number"], "may not be blank"],
    [{ billing_data: { ...egp.billing_data, phone_number: "01119045759" } }, ["billing_data", "phone_number"], "country code"],
    [{ language: "fr" }, ["language"], "not a valid choice"],
    [{ is_recurring: "yes" }, ["is_recurring"], "boolean"],
    [{ is_recurring: true, minimum_days_between_payments: 30 }, ["expiry_date"], "required for a recurring payment"],
    [{ is_recurring: true, expiry_date: "2099-13-01", minimum_days_between_payments: 30 }, ["expiry_date"], "YYYY-MM-DD"],
    [{ is_recurring: true, expiry_date: "2001-01-01", minimum_days_between_payments: 30 }, ["expiry_date"], "past"],
    [{ is_recurring: true, expiry_date: "2099-12-31" }, ["minimum_days_between_payments"], "required"],
    [{ is_recurring: true, expiry_date: "2099-12-31", minimum_days_between_payments: 0 }, ["minimum_days_between_payments"], "greater than or equal to 1"],
    [{ custom_fields: { field_label: "a" } }, ["custom_fields"], "list"],
    [{ custom_fields: [{ field_label: "", field_value: 1 }] }, ["custom_fields", "0", "field_label"], "required"],
    [{ custom_fields: [{ field_label: "a", field_value: 1 }, { field_label: "b", field_value: null }] }, ["custom_fields", "1", "field_value"], "string, number or boolean"],
  ])("refuses %j: HTTP 400, errors naming %j", async (change, path, message) => {
    const res = await call("POST", PAY, { ...egp, ...change });
    expect(res.status).toBe(400);
    expect(res.body.status.code).toBe(400);
    expect(res.body.data).toBeNull();
    const leaf = path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], res.body.status.errors[0]) as string[];
    expect(leaf?.[0]).toContain(message);
    expect(res.body.status.message).toContain(path.join("."));
  });

  it("reports every field problem at once, and refuses a body that is not an object", async () => {
    const res = await call("POST", PAY, { pay_using: "card" });
    expect(Object.keys(res.body.status.errors[0] as object).sort()).toEqual(["amount", "billing_data", "community_id", "original_amount", "variable_amount_id"]);
    expect((await call("POST", PAY, [1, 2])).body.status.errors).toEqual([{ non_field_errors: ["Invalid data. Expected a dictionary."] }]);
  });

  it("refuses a bad prepare-amount, an unknown transaction and bad refunds", async () => {
    expect((await call("POST", PREPARE, { community_id: "zogDmQW", amount: 1, selected_payment_method: "cash" })).body.status.errors).toEqual([{ selected_payment_method: [expect.stringContaining("not a valid choice")] }]);
    expect(await lookup("0901eddd-f71c-4f31-81a9-f03d08c328b5")).toMatchObject({ status: 404, body: { status: { code: 404, message: "Not found." } } });
    expect((await call("POST", REFUND, { transaction_uuid: "nope", refund_amount: 1 })).status).toBe(404);
    expect((await call("POST", REFUND, { refund_amount: 1 })).body.status.errors).toEqual([{ transaction_uuid: ["This field is required."] }]);
    const uuid = (await call("POST", PAY, egp)).body.data?.transaction_uuid as string;
    expect(await call("POST", REFUND, { transaction_uuid: uuid, refund_amount: 1 })).toMatchObject({ status: 400, body: { status: { message: expect.stringContaining("Only a SUCCESSFUL transaction") } } });
    await control(`xpay-eg/orders/${uuid}/approve`);
    expect((await call("POST", REFUND, { transaction_uuid: uuid, refund_amount: 53.37 })).body.status.errors).toEqual([{ refund_amount: [expect.stringContaining("53.36")] }]);
    expect((await call("POST", REFUND, { transaction_uuid: uuid, refund_amount: 3.36 })).body.data).toEqual({ transaction_uuid: uuid, transaction_status: "PARTIALLY_REFUNDED", refund_amount: 3.36, total_refunded_amount: 3.36 });
    expect((await call("POST", REFUND, { transaction_uuid: uuid, refund_amount: 50 })).body.data).toMatchObject({ transaction_status: "REFUNDED", total_refunded_amount: 53.36 });
    expect((await lookup(uuid)).body.data?.status).toBe("REFUNDED");
  });
});

describe("xpay-eg emulator: hosted pages and the redirect", () => {
  const create = async (change: Record<string, unknown> = {}, key = XPAY_EG_API_KEY) => (await call("POST", PAY, { ...egp, ...change }, key)).body.data as { iframe_url: string; transaction_uuid: string; bill_refrence?: number };

  it("the card form refuses bad card details, declines the decline card, and redirects with the spec's query", async () => {
    await control("xpay-eg/settings", { redirectUrl: "https://shop.example/back?order=7" });
    const tx = await create();
    const page = await (await fetch(tx.iframe_url)).text();
    expect(page).toContain("EGP 53.36");
    expect(page).toContain('name="card_number"');
    expect(page).toContain(XPAY_EG_TEST_CARDS.approved);
    expect(await (await form(tx.iframe_url, "decision=pay&card_number=4111111111111112&expiry=12/99&cvv=123")).text()).toContain("Enter a valid card number.");
    expect(await (await form(tx.iframe_url, "decision=pay&card_number=4111111111111111&expiry=01/20&cvv=123")).text()).toContain("not in the past");
    expect(await (await form(tx.iframe_url, "decision=pay&card_number=4111111111111111&expiry=12/99&cvv=12")).text()).toContain("CVV");
    const done = await form(tx.iframe_url, `decision=pay&card_number=${XPAY_EG_TEST_CARDS.approved.replace(/(\d{4})/g, "$1 ").trim()}&expiry=12/99&cvv=123`);
    expect(done.status).toBe(303);
    const back = new URL(done.headers.get("location") ?? "");
    expect(back.origin + back.pathname).toBe("https://shop.example/back");
    expect(Object.fromEntries(back.searchParams)).toEqual({ order: "7", amount_piasters: "5336", amount: "53.36", transaction_uuid: tx.transaction_uuid, transaction_status: "SUCCESSFUL" });
    expect(await (await fetch(tx.iframe_url)).text()).toContain("SUCCESSFUL");

    const declined = await create();
    await form(declined.iframe_url, `decision=pay&card_number=${XPAY_EG_TEST_CARDS.declined}&expiry=12/99&cvv=123`);
    expect((await lookup(declined.transaction_uuid)).body.data?.status).toBe("FAILED");
  });

  it("without a dashboard redirect URL the page shows the result; cancel is a FAILED transaction", async () => {
    const tx = await create();
    const res = await form(tx.iframe_url, "decision=cancel");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("FAILED");
  });

  it("the kiosk page shows the bill reference; the kiosk pays it or the bill expires", async () => {
    const paid = await create({ ...kiosk, community_id: "1", amount: undefined, original_amount: undefined, currency: undefined, language: undefined }, KIOSK_COMMUNITY_KEY);
    const page = await (await fetch(paid.iframe_url)).text();
    expect(page).toContain(String(paid.bill_refrence));
    expect(page).toContain("Customer paid at kiosk");
    expect(page).toContain("Expire bill");
    await form(paid.iframe_url, "decision=approve");
    expect((await lookup(paid.transaction_uuid, "1", KIOSK_COMMUNITY_KEY)).body.data?.status).toBe("SUCCESSFUL");
    const expired = await create({ ...kiosk, community_id: "1", amount: undefined, original_amount: undefined, currency: undefined }, KIOSK_COMMUNITY_KEY);
    expect(await (await form(expired.iframe_url, "decision=decline")).text()).toContain("Choose one of the buttons.");
    await form(expired.iframe_url, "decision=expire");
    expect((await lookup(expired.transaction_uuid, "1", KIOSK_COMMUNITY_KEY)).body.data?.status).toBe("FAILED");
  });

  it.each([
    ["fawry", "approve", "SUCCESSFUL"],
    ["meeza/digital", "decline", "FAILED"],
    ["valU", "cancel", "FAILED"],
  ])("the %s page %ss", async (payUsing, decision, status) => {
    const tx = await create({ pay_using: payUsing });
    const page = await (await fetch(tx.iframe_url)).text();
    for (const button of ["approve", "decline", "cancel"]) expect(page).toContain(`value="${button}"`);
    await form(tx.iframe_url, `decision=${decision}`);
    expect((await lookup(tx.transaction_uuid)).body.data?.status).toBe(status);
  });

  it("an unknown transaction's page is a 404", async () => {
    expect((await fetch(`${sandbox.url}/xpay-eg/core/payment_iframe/nope/`)).status).toBe(404);
  });
});

describe("xpay-eg emulator: callbacks and dashboard settings", () => {
  it("posts the spec's callback body to the dashboard URL, custom fields as keys", async () => {
    const m = await merchant([200]);
    afterThis.push(m.close);
    await control("xpay-eg/settings", { callbackUrl: m.url });
    const uuid = (await call("POST", PAY, { ...egp, custom_fields: customFields, membership_id: "M-1" })).body.data?.transaction_uuid as string;
    await control(`xpay-eg/orders/${uuid}/approve`);
    await sandbox.callbacks.idle();
    expect(m.bodies).toHaveLength(1);
    expect(JSON.parse(m.bodies[0] as string)).toEqual({
      member_id: "M-1",
      "test label1": "test one",
      "test label3": false,
      "test label2": 25,
      total_amount: 53.36,
      transaction_id: uuid,
      transaction_uuid: uuid,
      transaction_status: "SUCCESSFUL",
      total_amount_piasters: 5336,
    });
  });

  it(`retries until a 2xx (4xx included), at most ${XPAY_EG_RETRY_DELAYS_MS.length} times`, async () => {
    const m = await merchant([400, 500, 202]);
    const never = await merchant([404]);
    afterThis.push(m.close, never.close);
    await control("xpay-eg/settings", { callbackUrl: m.url });
    const a = (await call("POST", PAY, egp)).body.data?.transaction_uuid as string;
    await control(`xpay-eg/orders/${a}/decline`);
    await sandbox.callbacks.idle();
    expect(m.bodies).toHaveLength(3);
    expect(JSON.parse(m.bodies[2] as string)).toMatchObject({ transaction_status: "FAILED" });

    await control("xpay-eg/settings", { callbackUrl: never.url });
    const b = (await call("POST", PAY, egp)).body.data?.transaction_uuid as string;
    await control(`xpay-eg/orders/${b}/approve`);
    await sandbox.callbacks.idle();
    expect(never.bodies).toHaveLength(1 + XPAY_EG_RETRY_DELAYS_MS.length);
    const log = (await (await fetch(`${sandbox.url}/_sandbox/callbacks`)).json()) as { deliveries: { state: string }[] };
    expect(log.deliveries.map((d) => d.state)).toEqual(["acked", "gave_up"]);
  });

  it("sends no callback while the dashboard has no callback URL; a decision is final once", async () => {
    const uuid = (await call("POST", PAY, egp)).body.data?.transaction_uuid as string;
    expect((await control(`xpay-eg/orders/${uuid}/approve`)).status).toBe(200);
    await sandbox.callbacks.idle();
    expect(sandbox.callbacks.log).toHaveLength(0);
    expect((await control(`xpay-eg/orders/${uuid}/decline`)).status).toBe(409);
    expect((await control("xpay-eg/orders/nope/approve")).status).toBe(404);
  });

  it("finds a transaction by its merchant_ref custom field too", async () => {
    await call("POST", PAY, { ...egp, custom_fields: [{ field_label: "merchant_ref", field_value: "ORDER-42" }] });
    expect(await (await control("xpay-eg/orders/ORDER-42/approve")).json()).toMatchObject({ transaction_status: "SUCCESSFUL" });
    const orders = (await (await fetch(`${sandbox.url}/_sandbox/orders?gateway=xpay-eg`)).json()) as Record<string, { merchantRef: string; status: string }[]>;
    expect(orders["xpay-eg"]).toEqual([expect.objectContaining({ merchantRef: "ORDER-42", status: "SUCCESSFUL", amount: "53.36", currency: "EGP" })]);
  });

  it("validates the dashboard settings, and null clears them", async () => {
    expect((await control("xpay-eg/settings", { callbackUrl: "not a url" })).status).toBe(400);
    expect((await control("xpay-eg/settings", { communityId: "nope", callbackUrl: "https://x.example/cb" })).status).toBe(400);
    expect(await (await control("xpay-eg/settings", { callbackUrl: "https://x.example/cb" })).json()).toEqual({ communityId: "zogDmQW", callbackUrl: "https://x.example/cb", redirectUrl: null, lookupCurrency: false });
    expect(await (await control("xpay-eg/settings", { communityId: "1", redirectUrl: "https://x.example/back" })).json()).toMatchObject({ communityId: "1", callbackUrl: null });
    expect(await (await control("xpay-eg/settings", { callbackUrl: null })).json()).toMatchObject({ callbackUrl: null });
  });
});
