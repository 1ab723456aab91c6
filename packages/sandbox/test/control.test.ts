/** The control API: credentials, faults, callback modes and clear 4xx errors for bad input. */
import { SANDBOX_GATEWAYS, startSandbox, type SandboxHandle } from "../src";

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
});
afterAll(() => sandbox.close());

const control = (path: string, body: unknown, method = "POST") =>
  fetch(`${sandbox.url}/_sandbox/${path}`, { method, body: method === "GET" ? undefined : JSON.stringify(body), headers: { "content-type": "application/json" } }).then(
    async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }),
  );

describe("sandbox control API", () => {
  it("lists every gateway's test merchant", async () => {
    const res = await control("credentials", undefined, "GET");
    expect(Object.keys(res.body)).toEqual(Object.keys(SANDBOX_GATEWAYS));
    expect(Object.keys(res.body)).toEqual(expect.arrayContaining(["xpress-pay", "paypro", "xpay-pk", "xpay-eg", "xpay-kg"]));
    expect(res.body["xpress-pay"]).toEqual({ baseUrl: `${sandbox.url}/xpress-pay`, appId: "c551c980b045d827f3d910fbdf8c1ddb" });
  });

  it.each([
    ["faults", { gateway: "nope", kind: "timeout" }, "gateway: expected one of"],
    ["faults", { gateway: "xpress-pay", kind: "explode" }, "kind: expected timeout, error or latency"],
    ["faults", { gateway: "xpress-pay", kind: "error", status: 404 }, "status: expected a 5xx status"],
    ["faults", { gateway: "xpress-pay", kind: "latency", ms: -1 }, "ms: expected a non-negative integer"],
    ["callbacks/mode", { gateway: "xpress-pay", mode: "chaos" }, "mode: expected normal, duplicate, drop or reorder"],
    ["callbacks/mode", { gateway: "xpress-pay", mode: "duplicate", copies: 0 }, "copies: expected an integer from 1 to 100"],
    ["reset", { seed: "x" }, "seed: expected an integer"],
    ["xpress-pay/orders/NOPE/approve", {}, "ref: no xpress-pay order NOPE"],
    ["xpress-pay/orders/NOPE/explode", {}, "action: expected one of approve"],
  ])("POST /_sandbox/%s %j -> 4xx naming the field", async (path, body, message) => {
    const res = await control(path, body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(String(res.body.error)).toContain(message);
  });

  it("an error fault answers 5xx once, then the gateway is back", async () => {
    expect((await control("faults", { gateway: "xpress-pay", operation: "balance", kind: "error", status: 502 })).status).toBe(201);
    const url = `${sandbox.url}/xpress-pay/api/v2/merchant/balance?appId=c551c980b045d827f3d910fbdf8c1ddb`;
    expect((await fetch(url)).status).toBe(502);
    expect((await fetch(url)).status).toBe(200);
  });

  it("a latency fault delays the answer by at least its ms", async () => {
    await control("faults", { gateway: "xpress-pay", operation: "balance", kind: "latency", ms: 150 });
    const started = process.hrtime.bigint();
    await fetch(`${sandbox.url}/xpress-pay/api/v2/merchant/balance?appId=c551c980b045d827f3d910fbdf8c1ddb`);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeGreaterThanOrEqual(140);
  });

  it("unknown paths are 404 with the path named", async () => {
    const res = await fetch(`${sandbox.url}/xpress-pay/api/v9/nothing`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("/xpress-pay/api/v9/nothing");
  });

  it("serves an index page for people", async () => {
    const res = await fetch(sandbox.url + "/");
    expect(await res.text()).toContain("xpay-connect sandbox");
  });
});
