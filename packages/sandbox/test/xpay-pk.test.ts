/** The XPay (PK) emulator answers the spec's shapes at XStak's public paths, refuses bad requests the gateway's way, and serves a clickable card + 3-D Secure checkout. */
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { startSandbox, type SandboxHandle } from "../src";
import {
  XPAY_PK_ACCOUNT_ID,
  XPAY_PK_API_KEY,
  XPAY_PK_HMAC_SECRET,
  XPAY_PK_TEST_CARDS,
  XPAY_PK_TEST_OTP,
  XPAY_PK_WEBHOOK_RETRY_DELAYS_MS,
  XPAY_PK_WEBHOOK_SECRET,
} from "../src/gateways/xpay-pk";
import * as spec from "../../core/test/xpay-pk/fixtures";

let sandbox: SandboxHandle;
/** A card expiry year that stays in the future. */
const FUTURE_YEAR = String(new Date().getUTCFullYear() + 3);
const hmac = (secret: string, text: string) => createHmac("sha256", secret).update(text).digest("hex");
type Answer = { status: number; body: Record<string, unknown> & { data?: Record<string, unknown> } };

/** A signed API call as the connector makes it; `auth` overrides break one credential at a time. */
async function api(method: "GET" | "POST", path: string, body?: unknown, auth: { apiKey?: string; accountId?: string; signature?: string | null } = {}): Promise<Answer> {
  const text = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json", "x-api-key": auth.apiKey ?? XPAY_PK_API_KEY, "x-account-id": auth.accountId ?? XPAY_PK_ACCOUNT_ID };
  if (text !== undefined && auth.signature !== null) headers["x-signature"] = auth.signature ?? hmac(XPAY_PK_HMAC_SECRET, text);
  const res = await fetch(`${sandbox.url}/xpay-pk${path}`, { method, body: text, headers });
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}
const createBody = (orderRef: string, extra: Record<string, unknown> = {}) => ({
  amount: 150000,
  currency: "PKR",
  payment_method_types: "card",
  customer: { name: "John Doe", email: "buyer@gmail.com", phone: "03001234567" },
  metadata: { order_reference: orderRef },
  return_url: "https://shop.example/return",
  ...extra,
});
const create = async (orderRef: string, extra: Record<string, unknown> = {}) => {
  const res = await api("POST", "/public/v1/payment/intent", createBody(orderRef, extra));
  expect(res.status).toBe(200);
  return res.body.data as { _id: string; pi_client_secret: string; checkout_page_url: string };
};
const cardBody = (number: string, extra: Record<string, unknown> = {}) => ({
  payment_method_types: "card",
  payment_method: { card: { number, expiry_month: "12", expiry_year: FUTURE_YEAR, cvc: "123", name: "John Doe" } },
  save_payment_method: false,
  ...extra,
});
const confirm = (secret: string, body: unknown) => api("POST", `/public/v1/payment/intent/confirm?pi_client_secret=${encodeURIComponent(secret)}`, body);
const capture = (secret: string) => api("POST", `/public/v1/payment/intent/capture?pi_client_secret=${encodeURIComponent(secret)}`, {});
const details = (id: string) => api("GET", `/public/v1/payment/intent/details/${id}`);
const control = (path: string, body: unknown = {}) =>
  fetch(`${sandbox.url}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
const form = (url: string, body: string) => fetch(url, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
const cardForm = (number: string) => `decision=pay&number=${number}&expiry_month=12&expiry_year=${FUTURE_YEAR}&cvc=123&name=John+Doe`;

/** The key structure of a JSON value: objects by sorted keys, all the way down. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return "array";
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape((value as Record<string, unknown>)[k])]));
  return "value";
}

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, seed: 11, retryScale: 0.001 });
});
afterEach(() => sandbox.close());

describe("xpay-pk emulator: the spec's shapes", () => {
  it("create answers Create PI Success, field for field", async () => {
    const res = await api("POST", "/public/v1/payment/intent", createBody("ORD-1", { metadata: { order_reference: "ORD-1", reason: "" } }));
    expect(res.status).toBe(200);
    expect(shape(res.body)).toEqual(shape(spec.CREATE_PI_SUCCESS));
    expect(res.body).toMatchObject({ success: true, data: { amount: 150000, currency: "PKR", pi_status: "requires_payment_method", capture_method: "automatic", metadata: { order_reference: "ORD-1" } } });
    const data = res.body.data as { _id: string; pi_client_secret: string; checkout_page_url: string };
    expect(data._id).toMatch(/^xpay_pi_[0-9a-f]{24}$/);
    expect(data.pi_client_secret.startsWith(`${data._id}_secret_`)).toBe(true);
    expect(data.checkout_page_url).toBe(`${sandbox.url}/xpay-pk/checkout/${data._id}`);
    expect(shape((await details(data._id)).body)).toEqual(shape(spec.CREATE_PI_SUCCESS));
  });

  it("the same seed gives the same intent ids", async () => {
    const first = (await create("ORD-1"))._id;
    sandbox.reset(11);
    expect((await create("ORD-1"))._id).toBe(first);
  });

  it("confirm answers Payment Captured, Payment Fail, Confirm PI Requires 3DS and Invalid Card", async () => {
    const a = await create("A");
    const ok = await confirm(a.pi_client_secret, cardBody(XPAY_PK_TEST_CARDS.approve, { save_payment_method: true }));
    expect(ok.status).toBe(200);
    expect(shape(ok.body)).toEqual(shape(spec.PAYMENT_CAPTURED));
    expect(ok.body.data).toMatchObject({ status: "PAYMENT_CAPTURED", error: false, token: expect.stringMatching(/^xpay_tok_/) });

    const b = await create("B");
    const fail = await confirm(b.pi_client_secret, cardBody(XPAY_PK_TEST_CARDS.decline));
    expect(fail.status).toBe(400);
    expect(shape(fail.body)).toEqual(shape({ ...spec.PAYMENT_FAIL, data: { ...spec.PAYMENT_FAIL.data, card_details: { brand: "", last4: "" }, last_payment_response: { ...spec.PAYMENT_FAIL.data.last_payment_response, card_details: { brand: "", last4: "" } } } }));
    expect(fail.body).toMatchObject({ success: false, data: { status: "PAYMENT_FAILED", error: true, card_details: { last4: "0002" } } });

    const c = await create("C");
    const threeDs = await confirm(c.pi_client_secret, cardBody(XPAY_PK_TEST_CARDS.threeDSecure));
    expect(shape(threeDs.body)).toEqual(shape(spec.CONFIRM_REQUIRES_3DS));
    expect(threeDs.body.data).toMatchObject({ pi_status: "requires_action", html_response: expect.stringContaining(`/xpay-pk/3ds/${c._id}`) });

    const d = await create("D");
    const invalid = await confirm(d.pi_client_secret, cardBody("4111111111111112"));
    expect(invalid).toEqual({ status: 400, body: { status: 400, message: "Invalid card number", data: [], success: false } });
    expect(shape(invalid.body)).toEqual(shape(spec.INVALID_CARD));
    expect((await confirm(d.pi_client_secret, cardBody("4111111111111111"))).body.message).toBe("Card not enrolled in the sandbox: use a test card");
    expect((await confirm(d.pi_client_secret, cardBody(XPAY_PK_TEST_CARDS.approve, { payment_method: { card: { number: XPAY_PK_TEST_CARDS.approve, expiry_month: "01", expiry_year: "2021", cvc: "123", name: "A" } } }))).body.message).toBe("Card has expired");
    expect((await details(d._id)).body.data?.pi_status).toBe("requires_payment_method");
  });

  it("capture answers Payment Captured, then Payment Already Captured; tokenized payment answers its shape", async () => {
    const m = await create("M", { capture_method: "manual" });
    const authorized = await confirm(m.pi_client_secret, cardBody(XPAY_PK_TEST_CARDS.approve, { save_payment_method: true }));
    expect(authorized.body.data).toMatchObject({ pi_status: "requires_capture" });
    const first = await capture(m.pi_client_secret);
    expect(shape(first.body)).toEqual(shape(spec.PAYMENT_CAPTURED));
    const again = await capture(m.pi_client_secret);
    expect(again.status).toBe(400);
    expect(shape(again.body)).toEqual(shape(spec.ALREADY_CAPTURED));
    expect(again.body).toMatchObject({ success: false, message: "Payment already captured", error: { statusCode: 400 } });

    const token = (await details(m._id)).body.data?.token as string;
    expect(token).toMatch(/^xpay_tok_/);
    const paid = await api("POST", "/public/v2/payment/intent/tokenized/payment", { ...createBody("T"), token });
    expect(paid.status).toBe(200);
    expect(shape(paid.body)).toEqual(shape(spec.TOKENIZED_CAPTURED));
    expect(paid.body.data).toMatchObject({ pi_status: "succeeded", amount: 150000, gateway: "bank-alfalah", metadata: { order_reference: "T" }, last_payment_response: { status: "PAYMENT_CAPTURED" } });
  });

  it("an unknown intent or client secret is the spec's Invalid Payment Intent", async () => {
    for (const res of [await details("xpay_pi_nope"), await confirm("nope", cardBody(XPAY_PK_TEST_CARDS.approve)), await capture("nope")]) {
      expect(res).toEqual({ status: 404, body: { success: false, responseStatus: "Not Found", message: "Payment intent not found", error: { message: "Payment intent not found", statusCode: 404 } } });
      expect(shape(res.body)).toEqual(shape(spec.INVALID_PAYMENT_INTENT));
    }
  });

  it("state conflicts: confirm a paid intent, capture an unauthorized one", async () => {
    const a = await create("A");
    await confirm(a.pi_client_secret, cardBody(XPAY_PK_TEST_CARDS.approve));
    expect((await confirm(a.pi_client_secret, cardBody(XPAY_PK_TEST_CARDS.approve))).body).toMatchObject({ message: "Payment already captured", error: { statusCode: 400 } });
    const b = await create("B", { capture_method: "manual" });
    expect(await capture(b.pi_client_secret)).toMatchObject({ status: 409, body: { error: { statusCode: 409 } } });
    const c = await create("C");
    await confirm(c.pi_client_secret, cardBody(XPAY_PK_TEST_CARDS.decline));
    expect(await confirm(c.pi_client_secret, cardBody(XPAY_PK_TEST_CARDS.approve))).toMatchObject({ status: 409, body: { message: "Payment intent cannot be confirmed: pi_status is failed" } });
  });
});

describe("xpay-pk emulator: refusals", () => {
  it.each([
    ["a missing signature", { signature: null }, "Invalid signature"],
    ["a wrong signature", { signature: hmac("not-the-secret", JSON.stringify(createBody("X"))) }, "Invalid signature"],
    ["a wrong API key", { apiKey: "xpay_sk_test_wrong" }, "Invalid API key"],
    ["a wrong account id", { accountId: "ffffffffffffffff" }, "Invalid account id"],
  ])("%s -> 401 in the error shape, nothing created", async (_what, auth, message) => {
    const res = await api("POST", "/public/v1/payment/intent", createBody("X"), auth);
    expect(res).toEqual({ status: 401, body: { success: false, responseStatus: "Unauthorized", message, error: { message, statusCode: 401 } } });
    const orders = (await (await fetch(`${sandbox.url}/_sandbox/orders?gateway=xpay-pk`)).json()) as Record<string, unknown[]>;
    expect(orders["xpay-pk"]).toEqual([]);
  });

  it("the signature covers the exact bytes: the same JSON re-spaced fails", async () => {
    const body = createBody("X");
    const res = await api("POST", "/public/v1/payment/intent", JSON.stringify(body, null, 1), { signature: hmac(XPAY_PK_HMAC_SECRET, JSON.stringify(body)) });
    expect(res.status).toBe(401);
  });

  it("details needs the API key too", async () => {
    const a = await create("A");
    expect((await api("GET", `/public/v1/payment/intent/details/${a._id}`, undefined, { apiKey: "x" })).status).toBe(401);
  });

  it.each([
    [{ amount: 1500.5 }, "amount: must be a positive integer in the smallest currency unit"],
    [{ amount: "150000" }, "amount: must be a positive integer in the smallest currency unit"],
    [{ amount: 0 }, "amount: must be a positive integer in the smallest currency unit"],
    [{ currency: "USD" }, "currency: must be PKR"],
    [{ customer: { name: "A", phone: "03001234567" } }, "customer.email: must be an email address"],
    [{ customer: { email: "a@b.co", phone: "03001234567" } }, "customer.name: is required"],
    [{ customer: { name: "A", email: "a@b.co" } }, "customer.phone: is required"],
    [{ payment_method_types: "wallet" }, 'payment_method_types: must be "card"'],
    [{ capture_method: "later" }, "capture_method: must be automatic or manual"],
    [{ return_url: "not a url" }, "return_url: must be a URL"],
    [{ metadata: "ORD" }, "metadata: must be an object"],
    [{ metadata: { order_reference: 5 } }, "metadata.order_reference: must be a string"],
  ])("create with %j -> 400 naming the field", async (extra, message) => {
    expect(await api("POST", "/public/v1/payment/intent", createBody("X", extra))).toEqual({
      status: 400,
      body: { success: false, responseStatus: "Bad Request", message, error: { message, statusCode: 400 } },
    });
  });

  it("a body that is not a JSON object, a confirm without a card, a tokenized payment without or with an unknown token", async () => {
    expect((await api("POST", "/public/v1/payment/intent", "not json")).body.message).toBe("request body must be a JSON object");
    const a = await create("A");
    expect((await confirm(a.pi_client_secret, { payment_method_types: "card" })).body.message).toBe("payment_method.card: is required");
    expect((await api("POST", "/public/v2/payment/intent/tokenized/payment", createBody("T"))).body.message).toBe("token: is required");
    expect(await api("POST", "/public/v2/payment/intent/tokenized/payment", { ...createBody("T"), token: "xpay_tok_nope" })).toMatchObject({ status: 404, body: { message: "Token not found" } });
  });
});

describe("xpay-pk emulator: hosted checkout and 3-D Secure pages", () => {
  it("the card form renders and an approving card pays: redirect to return_url", async () => {
    const a = await create("ORD-PAGE");
    const page = await (await fetch(a.checkout_page_url)).text();
    for (const text of ["PKR 1500.00", "ORD-PAGE", 'name="number"', 'name="cvc"', XPAY_PK_TEST_CARDS.threeDSecure, 'value="cancel" formnovalidate']) expect(page).toContain(text);
    const done = await form(a.checkout_page_url, cardForm(XPAY_PK_TEST_CARDS.approve));
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`https://shop.example/return?payment_intent_id=${a._id}&pi_status=succeeded`);
    expect(await (await fetch(a.checkout_page_url)).text()).toContain("This payment is paid.");
  });

  it("a bad card re-renders the form with the reason; a declining card ends failed", async () => {
    const a = await create("ORD-PAGE");
    const again = await form(a.checkout_page_url, cardForm("4242424242424241"));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("Invalid card number");
    const declined = await form(a.checkout_page_url, cardForm(XPAY_PK_TEST_CARDS.decline));
    expect(declined.headers.get("location")).toContain("pi_status=failed");
  });

  it("cancel ends canceled; without a return_url the page shows the result", async () => {
    const a = await create("ORD-PAGE", { return_url: "" });
    const res = await form(a.checkout_page_url, "decision=cancel");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("This payment is canceled.");
    expect((await details(a._id)).body.data?.pi_status).toBe("canceled");
  });

  it("a 3-D Secure card goes to the OTP page: wrong OTP, then verify -> succeeded; fail -> failed", async () => {
    const a = await create("ORD-3DS");
    const toOtp = await form(a.checkout_page_url, cardForm(XPAY_PK_TEST_CARDS.threeDSecure));
    expect(toOtp.status).toBe(303);
    const otpUrl = `${sandbox.url}/xpay-pk/3ds/${a._id}`;
    expect(toOtp.headers.get("location")).toBe(otpUrl);
    expect((await fetch(a.checkout_page_url, { redirect: "manual" })).headers.get("location")).toBe(otpUrl);
    const otpPage = await (await fetch(otpUrl)).text();
    expect(otpPage).toContain("card ending 3220");
    expect(otpPage).toContain(`sandbox: ${XPAY_PK_TEST_OTP}`);
    expect(await (await form(otpUrl, "decision=approve&otp=111111")).text()).toContain("Wrong one-time password");
    expect((await form(otpUrl, `decision=approve&otp=${XPAY_PK_TEST_OTP}`)).headers.get("location")).toContain("pi_status=succeeded");

    const b = await create("ORD-3DS-2");
    await form(b.checkout_page_url, cardForm(XPAY_PK_TEST_CARDS.threeDSecure));
    expect((await form(`${sandbox.url}/xpay-pk/3ds/${b._id}`, "decision=fail")).headers.get("location")).toContain("pi_status=failed");
  });

  it("unknown pages are 404", async () => {
    expect((await fetch(`${sandbox.url}/xpay-pk/checkout/xpay_pi_nope`)).status).toBe(404);
    expect((await fetch(`${sandbox.url}/xpay-pk/3ds/xpay_pi_nope`)).status).toBe(404);
  });
});

describe("xpay-pk emulator: webhooks, settings and control", () => {
  /** A webhook endpoint that answers with the next status from `statuses` (the last one repeats). */
  async function endpoint(statuses: number[]) {
    const got: { body: string; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        got.push({ body: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
        res.writeHead(statuses[Math.min(got.length - 1, statuses.length - 1)] ?? 200);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
  }

  it("a signed webhook goes to the dashboard URL and is retried until a 2xx", async () => {
    const hook = await endpoint([500, 503, 200]);
    try {
      expect(await control("xpay-pk/settings", { webhookUrl: hook.url })).toEqual({ status: 200, body: { webhookUrl: hook.url } });
      const a = await create("ORD-HOOK");
      expect(await control(`xpay-pk/orders/${a._id}/approve`)).toMatchObject({ status: 200, body: { payment_intent_id: a._id, pi_status: "succeeded" } });
      await sandbox.callbacks.idle();
      expect(hook.got.length).toBe(3);
      const [first] = hook.got;
      expect(JSON.parse(first?.body ?? "")).toEqual({ status: "succeeded", payment_intent_id: a._id, amount: 150000, currency: "PKR", metadata: { order_reference: "ORD-HOOK" } });
      expect(first?.headers["x-signature"]).toBe(hmac(XPAY_PK_WEBHOOK_SECRET, first?.body ?? ""));
      const log = (await (await fetch(`${sandbox.url}/_sandbox/callbacks`)).json()) as { deliveries: { state: string; attempts: unknown[] }[] };
      expect(log.deliveries.map((d) => [d.state, d.attempts.length])).toEqual([["acked", 3]]);
    } finally {
      await hook.close();
    }
  });

  it("gives up after the documented number of retries", async () => {
    // The real schedule spans 8.6 h: this sandbox runs it 100000 times faster.
    await sandbox.close();
    sandbox = await startSandbox({ port: 0, seed: 11, retryScale: 0.00001 });
    const hook = await endpoint([500]);
    try {
      await control("xpay-pk/settings", { webhookUrl: hook.url });
      const a = await create("ORD-HOOK");
      await control(`xpay-pk/orders/${a._id}/decline`);
      await sandbox.callbacks.idle();
      expect(hook.got.length).toBe(1 + XPAY_PK_WEBHOOK_RETRY_DELAYS_MS.length);
      expect(JSON.parse(hook.got[0]?.body ?? "").status).toBe("failed");
    } finally {
      await hook.close();
    }
  });

  it("settings: a bad URL is refused; null stops webhooks; settings outlive a reset", async () => {
    expect(await control("xpay-pk/settings", { webhookUrl: "ftp://x" })).toMatchObject({ status: 400, body: { error: expect.stringContaining("webhookUrl") } });
    const hook = await endpoint([200]);
    try {
      await control("xpay-pk/settings", { webhookUrl: hook.url });
      await control("reset");
      const a = await create("ORD-1");
      await control(`xpay-pk/orders/${a._id}/cancel`);
      await sandbox.callbacks.idle();
      expect(hook.got.map((g) => JSON.parse(g.body).status)).toEqual(["canceled"]);
      await control("xpay-pk/settings", { webhookUrl: null });
      const b = await create("ORD-2");
      await control(`xpay-pk/orders/${b._id}/approve`);
      await sandbox.callbacks.idle();
      expect(hook.got.length).toBe(1);
    } finally {
      await hook.close();
    }
  });

  it("control: approve (by order reference, saving the card), refusals for final intents, expire and unknown refs", async () => {
    const a = await create("ORD-CTL", { capture_method: "manual" });
    const approved = await control("xpay-pk/orders/ORD-CTL/approve", { saveCard: true });
    expect(approved).toMatchObject({ status: 200, body: { payment_intent_id: a._id, order_reference: "ORD-CTL", pi_status: "requires_capture", token: expect.stringMatching(/^xpay_tok_/) } });
    expect((await control("xpay-pk/orders/ORD-CTL/decline")).status).toBe(409);
    expect((await capture(a.pi_client_secret)).status).toBe(200);
    const b = await create("ORD-CTL-2");
    expect((await control(`xpay-pk/orders/${b._id}/expire`)).status).toBe(400);
    expect((await control("xpay-pk/orders/nope/approve")).status).toBe(404);
  });
});
