/**
 * The sandbox's credential listings (`GET /_sandbox/credentials` and the index page) use the field
 * names of core's gateway config schemas, the ones `xpay-connect gateway add` takes: each listed
 * account is a config core accepts as it is, and it works against this sandbox.
 */
import { GATEWAYS, Money, createConnector, isGatewayId, parseGatewayConfig } from "@xpay-connect/core";
import { SANDBOX_GATEWAYS, XPAY_KG_CLIENT_ID, XPAY_KG_CLIENT_SECRET, startSandbox, type SandboxHandle } from "../src";

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
});
afterAll(() => sandbox.close());

const listing = async (): Promise<Record<string, Record<string, unknown>>> =>
  (await (await fetch(`${sandbox.url}/_sandbox/credentials`)).json()) as Record<string, Record<string, unknown>>;

describe("the sandbox's credential listing", () => {
  it("lists every gateway, each field a field of the gateway's config schema, with this sandbox's baseUrl", async () => {
    const listed = await listing();
    expect(Object.keys(listed)).toEqual(Object.keys(SANDBOX_GATEWAYS));
    for (const [id, account] of Object.entries(listed)) {
      if (!isGatewayId(id)) throw new Error(`the sandbox lists ${id}, which core does not know`);
      const known = Object.keys(GATEWAYS[id].config.shape);
      expect([id, Object.keys(account).filter((field) => !known.includes(field))]).toEqual([id, []]);
      expect(account.baseUrl).toBe(`${sandbox.url}/${id}`);
      // The whole listing is a config core takes as it is (a strict schema: no unknown or missing key).
      expect(() => parseGatewayConfig(id, account)).not.toThrow();
    }
  });

  it("names xPay KG's credentials clientId and clientSecret, as the CLI does, not the wire's client_id", async () => {
    const kg = (await listing())["xpay-kg"];
    expect(kg).toEqual({ baseUrl: `${sandbox.url}/xpay-kg`, clientId: XPAY_KG_CLIENT_ID, clientSecret: XPAY_KG_CLIENT_SECRET });
  });

  it("a listed account works as it is: core's connector logs in to the sandbox with it", async () => {
    const kg = createConnector("xpay-kg", (await listing())["xpay-kg"] as never);
    const created = await kg.createPayIn({
      merchantRef: "CRED-1",
      amount: Money.parse("1000", "KGS"),
      method: "qr",
      customer: { name: "Aibek Asanov" },
      callbackUrl: "http://127.0.0.1:9/cb",
      returnUrl: "http://127.0.0.1:9/back",
    });
    expect(created.gatewayRef).toEqual(expect.any(String));
  });

  it("the index page shows the same field names", async () => {
    const page = await (await fetch(`${sandbox.url}/`)).text();
    expect(page).toContain("clientId");
    expect(page).not.toContain("client_id");
  });
});
