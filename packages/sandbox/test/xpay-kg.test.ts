/** The xPay QR emulator answers the spec's own examples (host replaced by the sandbox) as the spec shows. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startSandbox, type SandboxHandle } from "../src";
import { XPAY_KG_CLIENT_ID, XPAY_KG_CLIENT_SECRET, XPAY_KG_RETRY_DELAYS_MS, emvChecksum } from "../src/gateways/xpay-kg";
import * as spec from "../../core/test/xpay-kg/fixtures";

let sandbox: SandboxHandle;
type Answer = { status: number; body: Record<string, unknown> };
const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
  const res = await fetch(`${sandbox.url}/xpay-kg${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const control = (path: string, body: unknown = {}) =>
  fetch(`${sandbox.url}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }).then(
    async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }),
  );
const form = (url: string, body: string) => fetch(url, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });

/** The spec's QR request, verbatim, shared with the connector's unit tests. */
const specQr = spec.qrCreateBody;
/** The spec's request without its unreachable example URLs, for tests that settle QRs. */
const quiet = { ...specQr, callback_url: undefined, check_url: undefined };
const SPEC_QR_DATA_KEYS = [
  "qr_transaction_id", "qr_code", "identificator", "type", "payer_id", "service_id", "service_name", "comments", "callback_url", "return_url", "amount_change", "request_amount", "amount", "payable",
];
const SPEC_STATUS_KEYS = ["qr_transaction_id", "pay_status", "transaction_uuid", "trx", "request_amount", "amount", "payable", "created_at", "executed_time"];

let token = "";
const auth = () => ({ Authorization: `Bearer ${token}` });
const login = async () => {
  const res = await call("POST", "/api/v1/developer/login", { client_id: XPAY_KG_CLIENT_ID, client_secret: XPAY_KG_CLIENT_SECRET });
  token = String((res.body.data as Record<string, unknown>).access_token);
  return res;
};
const createQr = async (body: Record<string, unknown>) => {
  const res = await call("POST", "/api/v1/developer/qr/get", body, auth());
  return { ...res, data: res.body.data as Record<string, unknown> };
};
const statusOf = async (id: unknown, type = "dynamic") => (await call("GET", `/api/v1/developer/qr/${type}/status/${String(id)}`, undefined, auth())).body.data as Record<string, unknown>;
let uuids = 0;
const freshUuid = () => `00000000-0000-4000-8000-${String(++uuids).padStart(12, "0")}`;

/** A merchant endpoint on loopback: records requests and answers with `status()`. */
async function merchant(status: () => number) {
  const received: { path: string; body: Record<string, unknown> }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "/", body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown> });
      res.writeHead(status(), { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, seed: 7, retryScale: 0.001 });
  await login();
});
afterEach(() => sandbox.close());

describe("xpay-kg emulator: login", () => {
  it("answers the spec's login body with a 30-minute bearer token", async () => {
    const res = await login();
    expect(res).toEqual({
      status: 200,
      body: { status: "Success", message: "Login", data: { access_token: expect.stringMatching(/^\d+\|[A-Za-z0-9]{40}$/), token_type: "Bearer", expires_in: 1800 } },
    });
  });

  it.each([
    [{ client_id: XPAY_KG_CLIENT_ID }, 422, "client_secret"],
    [{ client_secret: XPAY_KG_CLIENT_SECRET }, 422, "client_id"],
    [{ client_id: XPAY_KG_CLIENT_ID, client_secret: "wrong" }, 401, undefined],
  ])("refuses %j with HTTP %i", async (body, status, field) => {
    const res = await call("POST", "/api/v1/developer/login", body);
    expect(res.status).toBe(status);
    expect(res.body.status).toBe("Error");
    if (field) expect(res.body.errors).toEqual({ [field]: [expect.any(String)] });
  });

  it("refuses a missing, unknown, revoked or expired token with 401 Unauthenticated", async () => {
    expect((await call("POST", "/api/v1/developer/qr/get", specQr)).status).toBe(401);
    expect((await call("POST", "/api/v1/developer/qr/get", specQr, { Authorization: "Bearer 1|nope" })).body).toEqual({ status: "Error", message: "Unauthenticated." });
    expect((await control("xpay-kg/settings", { revokeTokens: true })).body).toEqual({ tokenLifetimeSeconds: 1800, revoked: 1 });
    expect((await createQr(specQr)).status).toBe(401);
    await control("xpay-kg/settings", { tokenLifetimeSeconds: 0 });
    await login();
    expect((await createQr(specQr)).status).toBe(401);
  });

  it("refuses bad settings", async () => {
    expect((await control("xpay-kg/settings", { tokenLifetimeSeconds: -1 })).status).toBe(400);
    expect((await control("xpay-kg/settings", { revokeTokens: "yes" })).status).toBe(400);
    expect((await control("xpay-kg/settings", { colour: "red" })).body.error).toContain("colour");
  });
});

describe("xpay-kg emulator: QR", () => {
  it("answers the spec's QR request with the spec's shape (1000 -> payable 992) and a sandbox pay link", async () => {
    const res = await createQr(specQr);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "Success", message: "Generate QR Code" });
    expect(Object.keys(res.data)).toEqual(SPEC_QR_DATA_KEYS);
    const { uuid: _uuid, check_url: _checkUrl, ...echoed } = specQr;
    expect(res.data).toMatchObject({ ...echoed, request_amount: 1000, amount: 1000, payable: 992 });
    expect(res.data.qr_transaction_id).toMatch(/^\d{10}[A-Za-z0-9]{15}$/);
    const [link, payload = ""] = String(res.data.qr_code).split("#");
    expect(link).toBe(`${sandbox.url}/xpay-kg/pay/${String(res.data.qr_transaction_id)}`);
    expect(payload).toMatch(/^000201010212.*5303417.*6304[0-9a-f]{4}$/);
    expect(payload).toContain(String(res.data.identificator));
    expect(payload.slice(-4)).toBe(emvChecksum(payload.slice(0, -8)));
  });

  it("computes tag 63 the way the spec's example does", () => {
    const example = "00020101021132450012ab2b.xpay.kg01011101400407202310247120211332900251745226190sa6vxjr52p62ui25204599953034175909Telemedia63044e70";
    expect(emvChecksum(example.slice(0, -8))).toBe("4e70");
  });

  it("answers the same QR for the same uuid and body, and 409 for the same uuid with another body", async () => {
    const first = await createQr(specQr);
    const again = await createQr(Object.fromEntries(Object.entries(specQr).reverse()));
    expect(again.data.qr_transaction_id).toBe(first.data.qr_transaction_id);
    const other = await createQr({ ...specQr, amount: 1001 });
    expect(other.status).toBe(409);
    expect(other.body.status).toBe("Error");
  });

  it.each([
    [{ uuid: null }, 422, "uuid"],
    [{ uuid: "not-a-uuid" }, 422, "uuid"],
    [{ type: "rotating" }, 422, "type"],
    [{ amount: null }, 422, "amount"],
    [{ amount: "1000" }, 422, "amount"],
    [{ amount: 10.5 }, 422, "amount"],
    [{ amount: 0 }, 422, "amount"],
    [{ callback_url: "webhook" }, 422, "callback_url"],
    [{ check_url: "ftp://x" }, 422, "check_url"],
    [{ amount_change: "no" }, 422, "amount_change"],
    [{ payer_id: 5 }, 422, "payer_id"],
    [{ comments: "c".repeat(33) }, 409, undefined],
    [{ service_name: "s".repeat(33) }, 409, undefined],
  ])("refuses %j with HTTP %i", async (edit, status, field) => {
    const res = await createQr({ ...specQr, uuid: freshUuid(), ...edit });
    expect(res.status).toBe(status);
    expect(res.body.status).toBe("Error");
    expect(res.body.message).toEqual(expect.any(String));
    if (field) expect(Object.keys(res.body.errors as object)).toEqual([field]);
  });

  it("accepts exactly 32 characters of comments and service_name", async () => {
    expect((await createQr({ ...specQr, uuid: freshUuid(), comments: "c".repeat(32), service_name: "s".repeat(32) })).status).toBe(200);
  });

  it("answers the status with the spec's shape: decimal som with 8 places", async () => {
    const { data } = await createQr(specQr);
    const status = await statusOf(data.qr_transaction_id);
    expect(Object.keys(status)).toEqual(SPEC_STATUS_KEYS);
    expect(status).toMatchObject({ pay_status: "ACTIVE", transaction_uuid: specQr.uuid, trx: null, request_amount: "10.00000000", amount: "10.00000000", payable: "9.92000000", executed_time: null });
    expect(status.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const unknown = await call("GET", "/api/v1/developer/qr/dynamic/status/0000000000NOPENOPENOPENOPE", undefined, auth());
    expect(unknown).toEqual({ status: 404, body: { status: "Error", message: "QR Code not found" } });
    expect((await call("GET", `/api/v1/developer/qr/static/status/${String(data.qr_transaction_id)}`, undefined, auth())).status).toBe(404);
    expect((await call("GET", `/api/v1/developer/qr/dynamic/status/${String(data.qr_transaction_id)}`)).status).toBe(401);
  });
});

describe("xpay-kg emulator: hosted pay page", () => {
  it("shows the amount, the QR, bank buttons; paying redirects to return_url and sends the callback", async () => {
    const shop = await merchant(() => 200);
    const { data } = await createQr({ ...quiet, callback_url: `${shop.url}/cb` });
    const url = String(data.qr_code).split("#")[0] ?? "";
    const page = await (await fetch(url)).text();
    expect(page).toContain("KGS 10.00");
    expect(page).toContain("<svg");
    expect(page).toContain(String(data.qr_code).split("#")[1]);
    for (const bank of ["MBank", "Optima Bank", "Bakai Bank", "O!Bank", "Elsom"]) expect(page).toContain(`Pay in ${bank}`);
    expect(page).toContain('value="decline"');
    expect(page).toContain('value="cancel"');
    expect((await statusOf(data.qr_transaction_id)).pay_status).toBe("WAITING");
    const paid = await form(url, "decision=approve%3AOptima+Bank");
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(specQr.return_url);
    const status = await statusOf(data.qr_transaction_id);
    expect(status).toMatchObject({ pay_status: "COMPLETED", amount: "10.00000000", trx: expect.stringMatching(/^[0-9a-f-]{36}$/), executed_time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
    await sandbox.callbacks.idle();
    expect(shop.received).toEqual([{ path: "/cb", body: { ...status, type: "dynamic", payer_id: specQr.payer_id, service_id: specQr.service_id } }]);
    expect(await (await fetch(url)).text()).toContain("This payment is paid");
    await shop.close();
  });

  it.each([
    ["decline", "ERROR"],
    ["cancel", "CANCELED"],
  ])("%s on the page ends in %s and redirects", async (decision, payStatus) => {
    const { data } = await createQr(quiet);
    const url = String(data.qr_code).split("#")[0] ?? "";
    const res = await form(url, `decision=${decision}`);
    expect(res.headers.get("location")).toBe(specQr.return_url);
    expect((await statusOf(data.qr_transaction_id)).pay_status).toBe(payStatus);
  });

  it("a static QR with amount_change takes the payer's amount, and more than one payment", async () => {
    const { data } = await createQr({ ...quiet, type: "static", amount_change: true, return_url: undefined });
    const url = String(data.qr_code).split("#")[0] ?? "";
    expect(String(data.qr_code).split("#")[1]).toMatch(/^000201010211/);
    expect(await (await fetch(url)).text()).toContain('name="amount"');
    expect(await (await form(url, "decision=approve%3AMBank&amount=abc")).text()).toContain("Enter an amount in som");
    expect((await form(url, "decision=approve%3AMBank&amount=12.50")).status).toBe(200);
    expect(await statusOf(data.qr_transaction_id, "static")).toMatchObject({ pay_status: "COMPLETED", request_amount: "10.00000000", amount: "12.50000000", payable: "12.40000000" });
    await form(url, "decision=approve%3AMBank&amount=3");
    expect((await statusOf(data.qr_transaction_id, "static")).amount).toBe("3.00000000");
    const orders = (await (await fetch(`${sandbox.url}/_sandbox/orders?gateway=xpay-kg`)).json()) as Record<string, { payments: number }[]>;
    expect(orders["xpay-kg"]?.[0]?.payments).toBe(2);
  });

  it("asks check_url before the payment and goes on only on 201", async () => {
    let answer = 409;
    const shop = await merchant(() => answer);
    const { data } = await createQr({ ...quiet, check_url: `${shop.url}/check` });
    const url = String(data.qr_code).split("#")[0] ?? "";
    const refused = await form(url, "decision=approve%3AMBank");
    expect(await refused.text()).toContain("check_url answered 409");
    expect((await statusOf(data.qr_transaction_id)).pay_status).toBe("ACTIVE");
    expect(shop.received).toEqual([
      {
        path: "/check",
        body: { qr_transaction_id: data.qr_transaction_id, transaction_uuid: specQr.uuid, type: "dynamic", payer_id: specQr.payer_id, request_amount: "10.00000000", amount: "10.00000000" },
      },
    ]);
    answer = 200;
    await form(url, "decision=approve%3AMBank");
    expect((await statusOf(data.qr_transaction_id)).pay_status).toBe("ACTIVE");
    answer = 201;
    expect((await form(url, "decision=approve%3AMBank")).status).toBe(303);
    expect((await statusOf(data.qr_transaction_id)).pay_status).toBe("COMPLETED");
    await shop.close();
  });
});

describe("xpay-kg emulator: control API and callbacks", () => {
  it("scan, process, approve walk a QR through WAITING, PROCESSING and COMPLETED", async () => {
    const { data } = await createQr(quiet);
    const id = String(data.qr_transaction_id);
    expect((await control(`xpay-kg/orders/${id}/scan`)).body.pay_status).toBe("WAITING");
    expect((await control(`xpay-kg/orders/${id}/process`)).body.pay_status).toBe("PROCESSING");
    expect((await control(`xpay-kg/orders/${id}/approve`)).body.pay_status).toBe("COMPLETED");
    expect((await control(`xpay-kg/orders/${id}/cancel`)).status).toBe(409);
    expect((await control(`xpay-kg/orders/NOPE/approve`)).status).toBe(404);
    expect((await control(`xpay-kg/orders/${id}/explode`)).status).toBe(400);
  });

  it("expire cancels (the gateway has no expired status); orders are listed by payer_id", async () => {
    const { data } = await createQr(quiet);
    expect((await control(`xpay-kg/orders/${specQr.payer_id}/expire`)).body.pay_status).toBe("CANCELED");
    const orders = (await (await fetch(`${sandbox.url}/_sandbox/orders?gateway=xpay-kg`)).json()) as Record<string, Record<string, unknown>[]>;
    expect(orders["xpay-kg"]?.[0]).toMatchObject({ merchantRef: specQr.payer_id, gatewayRef: data.qr_transaction_id, uuid: specQr.uuid, payStatus: "CANCELED" });
  });

  it("approve through the control API waits for check_url (202), then completes", async () => {
    const shop = await merchant(() => 201);
    const { data } = await createQr({ ...quiet, check_url: `${shop.url}/check` });
    const res = await control(`xpay-kg/orders/${String(data.qr_transaction_id)}/approve`);
    expect(res.status).toBe(202);
    const deadline = Date.now() + 3000;
    let payStatus = "";
    while (payStatus !== "COMPLETED" && Date.now() < deadline) payStatus = String((await statusOf(data.qr_transaction_id)).pay_status);
    expect(payStatus).toBe("COMPLETED");
    expect(shop.received.map((r) => r.path)).toEqual(["/check"]);
    await shop.close();
  });

  it("retries a refused callback by its schedule and stops at the first 2xx", async () => {
    // Its own sandbox with a smaller scale: the schedule spans hours.
    await sandbox.close();
    sandbox = await startSandbox({ port: 0, seed: 7, retryScale: 0.00001 });
    await login();
    const refusing = await merchant(() => 500);
    const a = await createQr({ ...quiet, uuid: freshUuid(), callback_url: `${refusing.url}/a` });
    await control(`xpay-kg/orders/${String(a.data.qr_transaction_id)}/approve`);
    await sandbox.callbacks.idle();
    expect(refusing.received.length).toBe(1 + XPAY_KG_RETRY_DELAYS_MS.length);
    const log = (await (await fetch(`${sandbox.url}/_sandbox/callbacks`)).json()) as { deliveries: { url: string; state: string }[] };
    expect(log.deliveries.find((d) => d.url.endsWith("/a"))?.state).toBe("gave_up");
    let calls = 0;
    const flaky = await merchant(() => (++calls < 3 ? 503 : 204));
    const b = await createQr({ ...quiet, uuid: freshUuid(), callback_url: `${flaky.url}/b` });
    await control(`xpay-kg/orders/${String(b.data.qr_transaction_id)}/decline`);
    await sandbox.callbacks.idle();
    expect(flaky.received.map((r) => r.body.pay_status)).toEqual(["ERROR", "ERROR", "ERROR"]);
    await refusing.close();
    await flaky.close();
  });
});
