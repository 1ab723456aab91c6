/** The Shopify emulator's Payments Apps GraphQL API: the real 2026-07 schema, Shopify's session semantics, cost, throttling, tokens and scopes. */
import { parse, validate } from "graphql";
import { paymentsAppsSchema, startSandbox, type SandboxHandle } from "../src";
import { NOT_RECEIVED_MESSAGE } from "../src/shopify/graphql";
import { CONFIGURE, FakeApp, PENDING, REFUND_REJECT, REFUND_RESOLVE, REJECT, RESOLVE, call, deployedApp, graphql, install, origin, type Json } from "./shopify-helpers";

const SHOP = "graphql-shop.myshopify.com";
let sandbox: SandboxHandle;
let app: FakeApp;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  app = await new FakeApp().start();
});
afterAll(async () => {
  await sandbox.close();
  await app.close();
});
beforeEach(async () => {
  await call(sandbox, "/_sandbox/shopify/reset", {});
  app.requests.length = 0;
  app.reply = (req) => (req.path === "/sessions/payment" ? { status: 200, body: JSON.stringify({ redirect_url: `${app.url}/pay/${JSON.parse(req.body).id}` }) } : { status: 201 });
  expect((await call(sandbox, "/_sandbox/shopify/apps", deployedApp(app.url))).status).toBe(201);
  token = (await install(sandbox, SHOP, app.url)).access_token;
  await graphql(sandbox, SHOP, token, CONFIGURE, { ready: true, externalHandle: "merchant-1" });
});

/** A checkout paid with xpay-pk: the session the app answered (or, with `answer: false`, one still waiting for the app). */
async function paidSession(answer = true): Promise<Json> {
  const checkout = await call(sandbox, "/_sandbox/shopify/checkouts", { shop: SHOP, amount: "1500", currency: "PKR" });
  if (!answer) {
    await call(sandbox, "/_sandbox/shopify/faults", { dropSessionResponses: 10, sessionRetryDelaysMs: [] });
  }
  const paid = await call(sandbox, `/_sandbox/shopify/checkouts/${checkout.body.token}/pay`, { handle: "xpay-pk" });
  return paid.body.session;
}

describe("the Payments Apps schema (2026-07, from @shopify/dev-mcp 1.16.0)", () => {
  const errorsOf = (doc: string) => validate(paymentsAppsSchema(), parse(doc)).map((e) => e.message);

  it("refuses the fields that are gone: status on PaymentSession, code on UserError", () => {
    expect(errorsOf(`mutation { paymentSessionResolve(id: "x") { paymentSession { status { code } } userErrors { code } } }`)).toEqual([
      'Cannot query field "status" on type "PaymentSession". Did you mean "state"?',
      'Cannot query field "code" on type "UserError".',
    ]);
  });

  it.each([
    ["resolve", RESOLVE],
    ["reject", REJECT],
    ["pending", PENDING],
    ["configure", CONFIGURE],
    ["refund resolve", REFUND_RESOLVE],
    ["refund reject", REFUND_REJECT],
    ["capture resolve", `mutation CaptureSessionResolve($id: ID!) { captureSessionResolve(id: $id) { captureSession { id state { ... on CaptureSessionStateResolved { code } } } userErrors { field message code } } }`],
    ["void reject", `mutation VoidSessionReject($id: ID!, $reason: VoidSessionRejectionReasonInput!) { voidSessionReject(id: $id, reason: $reason) { voidSession { id } userErrors { field message code } } }`],
  ])("accepts the official template's %s shape", (_name, doc) => {
    expect(errorsOf(doc)).toEqual([]);
  });

  it("checks DateTime and URL literals as Shopify documents them", () => {
    expect(errorsOf(`mutation { paymentSessionPending(id: "x", pendingExpiresAt: "tomorrow", reason: BUYER_ACTION_REQUIRED) { userErrors { code } } }`)[0]).toContain("DateTime");
    expect(errorsOf(`mutation { paymentSessionRedirect(id: "x", redirectUrl: "/relative") { userErrors { code } } }`)[0]).toContain("URL");
  });
});

describe("the GraphQL endpoint", () => {
  it("answers an invalid document with HTTP 200, errors[] with locations and a code, and no data", async () => {
    const res = await graphql(sandbox, SHOP, token, `mutation { paymentSessionResolve(id: "x") { paymentSession { status { code } } userErrors { field message } } }`);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toEqual([
      expect.objectContaining({ message: 'Cannot query field "status" on type "PaymentSession". Did you mean "state"?', locations: [{ line: 1, column: 62 }], extensions: { code: "undefinedField" } }),
    ]);
    const log = await call(sandbox, "/_sandbox/shopify/graphql-log");
    expect(log.body.calls.at(-1)).toMatchObject({ shop: SHOP, errors: [expect.objectContaining({ extensions: { code: "undefinedField" } })] });
  });

  it("answers 401 to a wrong, missing or revoked token, as Shopify words it", async () => {
    const unknown = await graphql(sandbox, SHOP, "shpua_wrong", CONFIGURE, { ready: true });
    expect(unknown).toEqual({ status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } });
    expect((await graphql(sandbox, "other-shop.myshopify.com", token, CONFIGURE, { ready: true })).status).toBe(401);
    await call(sandbox, `/_sandbox/shopify/shops/${SHOP}/uninstall`, {});
    expect((await graphql(sandbox, SHOP, token, CONFIGURE, { ready: true })).status).toBe(401);
  });

  it("answers 400 to a body without a query", async () => {
    const res = await fetch(`${origin(sandbox, SHOP)}/payments_apps/api/2026-07/graphql.json`, { method: "POST", headers: { "X-Shopify-Access-Token": token, "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: { query: "Required parameter missing or invalid" } });
  });

  it("puts extensions.cost on every answer, and THROTTLED when the fault says so", async () => {
    const ok = await graphql(sandbox, SHOP, token, `{ publicApiVersions { handle supported } }`);
    expect(ok.body.data.publicApiVersions).toContainEqual({ handle: "2026-07", supported: true });
    expect(ok.body.extensions.cost).toEqual({ requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: expect.any(Number), restoreRate: 50 } });
    await call(sandbox, "/_sandbox/shopify/faults", { throttleNext: 2 });
    for (let i = 0; i < 2; i++) {
      const throttled = await graphql(sandbox, SHOP, token, CONFIGURE, { ready: true });
      expect(throttled.status).toBe(200);
      expect(throttled.body.errors).toEqual([expect.objectContaining({ message: "Throttled", extensions: expect.objectContaining({ code: "THROTTLED" }) })]);
      expect(throttled.body.data).toBeUndefined();
      expect(throttled.body.extensions.cost).toMatchObject({ requestedQueryCost: 12, actualQueryCost: null });
    }
    expect((await graphql(sandbox, SHOP, token, CONFIGURE, { ready: true })).body.errors).toBeUndefined();
  });

  it("delays answers by graphqlDelayMs", async () => {
    await call(sandbox, "/_sandbox/shopify/faults", { graphqlDelayMs: 200 });
    const started = Date.now();
    await graphql(sandbox, SHOP, token, `{ publicApiVersions { handle } }`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("denies a mutation the token has no scope for, in Shopify's words", async () => {
    await call(sandbox, "/_sandbox/shopify/apps", deployedApp(app.url, { extensions: [] }));
    const bare = (await install(sandbox, "bare-shop.myshopify.com", app.url)).access_token;
    const res = await graphql(sandbox, "bare-shop.myshopify.com", bare, CONFIGURE, { ready: true });
    expect(res.body.data).toEqual({ paymentsAppConfigure: null });
    expect(res.body.errors[0]).toMatchObject({
      message: "Access denied for paymentsAppConfigure field. Required access: write_payment_gateways access scope.",
      extensions: { code: "ACCESS_DENIED" },
      path: ["paymentsAppConfigure"],
    });
  });

  it("paymentsAppConfigure sets ready and the external handle the admin shows", async () => {
    const res = await graphql(sandbox, SHOP, token, CONFIGURE, { ready: false, externalHandle: "acct-9" });
    expect(res.body.data).toEqual({ paymentsAppConfigure: { paymentsAppConfiguration: { ready: false, externalHandle: "acct-9" }, userErrors: [] } });
    const shop = await call(sandbox, `/_sandbox/shopify/shops/${SHOP}`);
    expect(shop.body).toMatchObject({ installed: true, configuration: { ready: false, externalHandle: "acct-9" } });
    expect(shop.body.scopes).toEqual(expect.arrayContaining(["write_payment_sessions", "write_payment_gateways"]));
  });
});

describe("payment session mutations", () => {
  it("refuses a resolve before the app's answer to the session request arrived, with Shopify's exact userError", async () => {
    const session = await paidSession(false);
    expect(session.answered).toBe(false);
    const res = await graphql(sandbox, SHOP, token, RESOLVE, { id: session.gid });
    expect(res.body.data.paymentSessionResolve).toEqual({ paymentSession: null, userErrors: [{ field: ["id"], message: NOT_RECEIVED_MESSAGE }] });
    expect(NOT_RECEIVED_MESSAGE).toBe(
      "Payment session has already been resolved with a different authentication, has already been rejected, or the response to start_payment_session request has not been received.",
    );
  });

  it("resolves with the Resolved state, a REDIRECT to the thank-you page, and repeats idempotently", async () => {
    const session = await paidSession();
    const first = await graphql(sandbox, SHOP, token, RESOLVE, { id: session.gid });
    const resolved = first.body.data.paymentSessionResolve;
    expect(resolved.userErrors).toEqual([]);
    expect(resolved.paymentSession).toEqual({
      id: session.gid,
      state: { __typename: "PaymentSessionStateResolved", code: "RESOLVED" },
      nextAction: { action: "REDIRECT", context: { __typename: "PaymentSessionActionsRedirect", redirectUrl: `${origin(sandbox, SHOP)}/checkouts/${session.checkout}/thank_you` } },
    });
    const again = await graphql(sandbox, SHOP, token, RESOLVE, { id: session.gid, authorizationExpiresAt: "2030-01-01T00:00:00Z" });
    expect(again.body.data.paymentSessionResolve).toEqual(resolved);
    const rejected = await graphql(sandbox, SHOP, token, REJECT, { id: session.gid, reason: { code: "PROCESSING_ERROR" } });
    expect(rejected.body.data.paymentSessionReject.paymentSession).toBeNull();
    expect(rejected.body.data.paymentSessionReject.userErrors).toHaveLength(1);
    const journal = await call(sandbox, `/_sandbox/shopify/shops/${SHOP}`);
    expect(journal.body.payment_sessions[0].mutations.map((m: Json) => [m.operation, m.accepted])).toEqual([
      ["paymentSessionResolve", true],
      ["paymentSessionResolve", true],
      ["paymentSessionReject", false],
    ]);
  });

  it("a reject is final: a later resolve gets the userError, a repeated reject succeeds with the first reason", async () => {
    const session = await paidSession();
    const rejected = await graphql(sandbox, SHOP, token, REJECT, { id: session.gid, reason: { code: "INSUFFICIENT_FUNDS", merchantMessage: "no money" } });
    expect(rejected.body.data.paymentSessionReject.paymentSession).toMatchObject({
      state: { __typename: "PaymentSessionStateRejected", code: "REJECTED", reason: "INSUFFICIENT_FUNDS", merchantMessage: "no money" },
      nextAction: { context: { redirectUrl: `${origin(sandbox, SHOP)}/checkouts/${session.checkout}?payment_failed=1` } },
    });
    const resolve = await graphql(sandbox, SHOP, token, RESOLVE, { id: session.gid });
    expect(resolve.body.data.paymentSessionResolve.userErrors).toEqual([{ field: ["id"], message: NOT_RECEIVED_MESSAGE }]);
    const again = await graphql(sandbox, SHOP, token, REJECT, { id: session.gid, reason: { code: "CARD_DECLINED" } });
    expect(again.body.data.paymentSessionReject.paymentSession.state.reason).toBe("INSUFFICIENT_FUNDS");
  });

  it("pending: within 3 days, typed userErrors, then resolved", async () => {
    const session = await paidSession();
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const past = await graphql(sandbox, SHOP, token, PENDING, { id: session.gid, pendingExpiresAt: at(-1000), reason: "BUYER_ACTION_REQUIRED" });
    expect(past.body.data.paymentSessionPending.userErrors[0].code).toBe("EXPIRED_PENDING_EXPIRES_AT");
    const far = await graphql(sandbox, SHOP, token, PENDING, { id: session.gid, pendingExpiresAt: at(4 * 86_400_000), reason: "BUYER_ACTION_REQUIRED" });
    expect(far.body.data.paymentSessionPending.userErrors[0].code).toBe("OUT_OF_RANGE_PENDING_EXPIRES_AT");
    const unknown = await graphql(sandbox, SHOP, token, PENDING, { id: "gid://shopify/PaymentSession/nope", pendingExpiresAt: at(3600_000), reason: "BUYER_ACTION_REQUIRED" });
    expect(unknown.body.data.paymentSessionPending.userErrors[0].code).toBe("NOT_FOUND");
    const pending = await graphql(sandbox, SHOP, token, PENDING, { id: session.gid, pendingExpiresAt: at(86_400_000), reason: "BUYER_ACTION_REQUIRED" });
    expect(pending.body.data.paymentSessionPending.paymentSession.state).toEqual({ __typename: "PaymentSessionStatePending", code: "PENDING", pendingReason: "BUYER_ACTION_REQUIRED" });
    expect(pending.body.data.paymentSessionPending.paymentSession.nextAction.context.redirectUrl).toMatch(/\/thank_you$/);
    expect((await graphql(sandbox, SHOP, token, RESOLVE, { id: session.gid })).body.data.paymentSessionResolve.paymentSession.state.code).toBe("RESOLVED");
    const late = await graphql(sandbox, SHOP, token, PENDING, { id: session.gid, pendingExpiresAt: at(3600_000), reason: "BUYER_ACTION_REQUIRED" });
    expect(late.body.data.paymentSessionPending.paymentSession).toMatchObject({ state: { code: "RESOLVED" } });
  });

  it("a session of another app's shop is not found", async () => {
    const session = await paidSession();
    const other = (await install(sandbox, "other-shop.myshopify.com", app.url)).access_token;
    const res = await graphql(sandbox, "other-shop.myshopify.com", other, RESOLVE, { id: session.gid });
    expect(res.body.data.paymentSessionResolve.userErrors).toEqual([{ field: ["id"], message: "Payment session not found." }]);
  });
});

describe("refund sessions", () => {
  it("sends the refund request, then resolve and reject follow Shopify's codes", async () => {
    const session = await paidSession();
    await graphql(sandbox, SHOP, token, RESOLVE, { id: session.gid });
    const refund = await call(sandbox, "/_sandbox/shopify/refunds", { shop: SHOP, payment_session_id: session.id, amount: "500.5", currency: "PKR" });
    expect(refund.body).toMatchObject({ status: 201, requests: 1, gid: expect.stringMatching(/^gid:\/\/shopify\/RefundSession\//) });
    const request = app.requests.find((r) => r.path === "/sessions/refund");
    expect(JSON.parse(request?.body ?? "{}")).toEqual({
      id: refund.body.refund_session_id,
      gid: refund.body.gid,
      payment_id: session.id,
      amount: "500.50",
      currency: "PKR",
      test: false,
      merchant_locale: "en",
      proposed_at: expect.any(String),
    });
    const resolved = await graphql(sandbox, SHOP, token, REFUND_RESOLVE, { id: refund.body.gid });
    expect(resolved.body.data.refundSessionResolve).toEqual({ refundSession: { id: refund.body.gid, state: { code: "RESOLVED" } }, userErrors: [] });
    const rejected = await graphql(sandbox, SHOP, token, REFUND_REJECT, { id: refund.body.gid, reason: { code: "PROCESSING_ERROR" } });
    expect(rejected.body.data.refundSessionReject).toEqual({ refundSession: null, userErrors: [expect.objectContaining({ code: "REFUND_SESSION_INVALID_STATE", field: ["id"] })] });
    const missing = await graphql(sandbox, SHOP, token, REFUND_RESOLVE, { id: "gid://shopify/RefundSession/nope" });
    expect(missing.body.data.refundSessionResolve.userErrors[0].code).toBe("REFUND_SESSION_NOT_FOUND");
  });

  it("retries a refund request the app does not answer with 201, with the same id", async () => {
    const session = await paidSession();
    await graphql(sandbox, SHOP, token, RESOLVE, { id: session.gid });
    await call(sandbox, "/_sandbox/shopify/faults", { sessionRetryDelaysMs: [10, 10] });
    let answers = 0;
    app.reply = () => ({ status: answers++ === 0 ? 200 : 201, body: answers === 1 ? '{"ok":true}' : "" });
    const refund = await call(sandbox, "/_sandbox/shopify/refunds", { shop: SHOP, payment_session_id: session.id, amount: "1.00" });
    expect(refund.body).toMatchObject({ status: 201, requests: 2 });
    const ids = app.requests.filter((r) => r.path === "/sessions/refund").map((r) => JSON.parse(r.body).id);
    expect(ids).toEqual([refund.body.refund_session_id, refund.body.refund_session_id]);
  });
});
