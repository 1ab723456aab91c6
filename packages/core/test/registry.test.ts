/**
 * The gateway registry: every connector folder's definition is found, described and usable without
 * credentials; config schemas name the wrong field and never echo a secret; credentials are checked
 * against the real sandbox, refused ones named.
 */
import { SANDBOX_GATEWAYS, startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import {
  GATEWAYS,
  GATEWAY_IDS,
  InvalidInputError,
  configJsonSchema,
  createConnector,
  gatewayDefinition,
  mapGatewayStatus,
  parseGatewayConfig,
  publicConfig,
  secretFields,
  type GatewayId,
} from "../src";

/** The credential whose wrong value the gateway refuses, where it is not the first secret field. */
const WRONG: Partial<Record<GatewayId, string>> = { paypro: "appSecret" };

/** The sandbox's test merchant for each gateway (from its emulator), and a credential whose wrong value the gateway refuses. */
const ACCOUNTS: Record<GatewayId, { config: (base: string) => Record<string, unknown>; wrong: string }> = Object.fromEntries(
  GATEWAY_IDS.map((id) => [
    id,
    { config: (base: string) => SANDBOX_GATEWAYS[id].testAccount(`${base}/${id}`), wrong: WRONG[id] ?? secretFields(gatewayDefinition(id))[0] },
  ]),
) as never;

/** The gateways this file knows by name; a gateway added later (`pnpm new-connector`) comes after them. */
const KNOWN = ["xpress-pay", "paypro", "xpay-pk", "xpay-eg", "xpay-kg"] as const;

describe("the registry", () => {
  it("finds every connector folder's definition, in the documented order", () => {
    expect(GATEWAY_IDS.slice(0, KNOWN.length)).toEqual(KNOWN);
    for (const id of GATEWAY_IDS) expect(GATEWAYS[id].id).toBe(id);
    // Every gateway has its emulator in the sandbox.
    expect(Object.keys(SANDBOX_GATEWAYS)).toEqual(GATEWAY_IDS);
  });

  it("declares where each gateway posts its callbacks", () => {
    const modes = Object.fromEntries(GATEWAY_IDS.map((id) => [id, GATEWAYS[id].capabilities.callbackUrl]));
    expect(modes).toMatchObject({ "xpress-pay": "per_payment", paypro: "per_payment", "xpay-pk": "dashboard", "xpay-eg": "dashboard", "xpay-kg": "per_payment" });
  });

  it("gives the same capabilities as the connector it builds", () => {
    for (const id of GATEWAY_IDS) {
      const connector = createConnector(id, ACCOUNTS[id].config("http://127.0.0.1:9") as never);
      expect(connector.capabilities).toBe(GATEWAYS[id].capabilities);
      expect(connector.id).toBe(id);
    }
  });

  it("answers callbacks without credentials, as the connector does", () => {
    for (const id of GATEWAY_IDS) {
      const connector = createConnector(id, ACCOUNTS[id].config("http://127.0.0.1:9") as never);
      for (const accepted of [true, false]) expect(gatewayDefinition(id).callbackReply(accepted)).toEqual(connector.callbackReply(accepted));
    }
  });

  it("refuses an unknown gateway naming the field", () => {
    expect(() => gatewayDefinition("stripe")).toThrow(InvalidInputError);
    expect(() => gatewayDefinition("constructor")).toThrow(/gateway: expected one of xpress-pay/);
  });
});

describe("config schemas", () => {
  it("describe every field, and mark the credentials secret", () => {
    for (const id of GATEWAY_IDS) {
      const schema = configJsonSchema(gatewayDefinition(id));
      expect(schema.required).toContain("baseUrl");
      for (const [name, field] of Object.entries(schema.properties)) {
        expect([id, name, typeof field.description]).toEqual([id, name, "string"]);
        expect([id, name, typeof field.title]).toEqual([id, name, "string"]);
      }
    }
    expect(secretFields(gatewayDefinition("xpay-pk"))).toEqual(["apiKey", "accountId", "hmacSecret", "webhookSecret"]);
    expect(secretFields(gatewayDefinition("xpay-kg"))).toEqual(["clientSecret"]);
    expect(configJsonSchema(gatewayDefinition("xpay-eg")).properties.apiKey?.secret).toBe(true);
    expect(configJsonSchema(gatewayDefinition("xpay-eg")).properties.communityId?.secret).toBeUndefined();
  });

  it("name the wrong field and what was expected, and never echo a secret", () => {
    const good = ACCOUNTS["xpay-eg"].config("http://127.0.0.1:4010");
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...good, baseUrl: "ftp://x" }, "baseUrl", /http\(s\) URL/],
      [{ ...good, variableAmountId: "12" }, "variableAmountId", /number/],
      [{ ...good, variableAmountId: -1 }, "variableAmountId", /positive/],
      [{ ...good, language: "fr" }, "language", /en|ar/],
      [{ ...good, apiKey: "" }, "apiKey", /non-empty/],
      [{ ...good, apiKey: "key\u0000with nul" }, "apiKey", /NUL/],
      [{ ...good, apiKey: undefined }, "apiKey", /string/],
      [{ ...good, apikey: "typo" }, "apikey", /config keys of xpay-eg/],
    ];
    for (const [input, field, expected] of cases) {
      let error: unknown;
      try {
        parseGatewayConfig("xpay-eg", input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidInputError);
      expect([(error as InvalidInputError).field, (error as Error).message]).toEqual([field, expect.stringMatching(expected)]);
    }
    try {
      parseGatewayConfig("xpay-pk", { ...ACCOUNTS["xpay-pk"].config("http://127.0.0.1:4010"), hmacSecret: "s".repeat(600) });
      throw new Error("accepted");
    } catch (e) {
      expect((e as InvalidInputError).field).toBe("hmacSecret");
      expect((e as Error).message).not.toContain("sss");
    }
  });

  it("show only the public fields of a config", () => {
    const config = ACCOUNTS["xpay-kg"].config("http://127.0.0.1:4010");
    expect(publicConfig(gatewayDefinition("xpay-kg"), { ...config, extra: "x" })).toEqual({ baseUrl: config.baseUrl, clientId: config.clientId });
  });
});

describe("status tables", () => {
  it("map a status the table does not know to the fallback, prototype names included", () => {
    const table = { PAID: "succeeded" } as const;
    expect(mapGatewayStatus(table, "PAID")).toBe("succeeded");
    expect(mapGatewayStatus(table, "constructor")).toBe("pending");
    expect(mapGatewayStatus(table, "__proto__", "failed")).toBe("failed");
  });
});

describe("checkCredentials against the sandbox", () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, retryScale: 0.001 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it.each(GATEWAY_IDS.map((id) => [id]))("%s: the test merchant's credentials pass, a wrong one is refused by name", async (id) => {
    const { config, wrong } = ACCOUNTS[id];
    await expect(createConnector(id, config(sandbox.url) as never).checkCredentials()).resolves.toBeUndefined();
    const refused = createConnector(id, { ...config(sandbox.url), [wrong]: "not-the-right-value" } as never).checkCredentials();
    await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
    await expect(refused).rejects.toMatchObject({ field: wrong });
    await expect(refused.catch((e: Error) => e.message)).resolves.not.toContain("not-the-right-value");
  });
});
