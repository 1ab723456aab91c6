/**
 * The built `xpay-connect` CLI as a child process, against a fresh PostgreSQL database and against
 * a PGlite data directory: merchants, API keys (shown once, rotated, revoked), gateway accounts
 * (encrypted, never printed back), usage errors that name the argument with exit code 2, and a
 * service started on the same database that takes what the CLI made.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PAYPRO_APP_SECRET, PAYPRO_MERCHANT_NO, XPAY_KG_CLIENT_ID, XPAY_KG_CLIENT_SECRET, XPRESS_PAY_APP_ID, startSandbox, type SandboxHandle } from "@xpay-connect/sandbox";
import { GATEWAYS, GATEWAY_IDS, gatewayDefinition, secretFields } from "@xpay-connect/core";
import { Merchants, Secrets, openDb, startService } from "../src";
import { main } from "../src/cli";
import type { Db } from "../src/db/db";
import { eventually, freshDatabase, postgresAvailable } from "./harness";

const ROOT = path.resolve(__dirname, "../../..");
const CLI = path.join(ROOT, "packages/server/dist/cli.js");

/** Runs the built CLI; answers its exit code and output. */
function cli(env: NodeJS.ProcessEnv, args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

/** The environment without any database or key the developer's shell may hold. */
function baseEnv(): NodeJS.ProcessEnv {
  const { DATABASE_URL: _d, XPAY_CONNECT_KEY: _k, XPAY_CONNECT_DATA: _x, NODE_OPTIONS: _n, ...rest } = process.env;
  return rest;
}

beforeAll(() => {
  // The CLI runs compiled, as users run it: build it first (tsc -b is incremental).
  try {
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-b", "packages/server"], { cwd: ROOT, stdio: "pipe" });
  } catch (error) {
    // Type errors elsewhere in the workspace do not stop tsc emitting; a stale or missing CLI fails below.
    const out = error as { stdout?: Buffer };
    console.warn(`tsc -b packages/server reported errors:\n${out.stdout?.toString().slice(0, 2000) ?? ""}`);
  }
  expect(statSync(CLI).mtimeMs).toBeGreaterThanOrEqual(statSync(path.join(ROOT, "packages/server/src/cli.ts")).mtimeMs);
}, 120_000);

describe("usage errors (no database is opened)", () => {
  const env = { ...baseEnv(), XPAY_CONNECT_DATA: "/nonexistent/never-created" };
  it.each([
    [[], 0, /Usage:/],
    [["help"], 0, /merchant create <name>/],
    [["frobnicate"], 2, /"frobnicate": unknown command/],
    [["merchant"], 2, /<action>: expected create or list after merchant/],
    [["merchant", "delete", "x"], 2, /<action>: expected create or list after merchant, got "delete"/],
    [["merchant", "create"], 2, /<name>: missing/],
    [["merchant", "list", "extra"], 2, /"extra": unexpected argument/],
    [["merchant", "list", "--keep"], 2, /--keep: not an option of this command/],
    [["merchant", "list", "--frob"], 2, /--frob: unknown option/],
    [["key", "rotate"], 2, /<merchant>: missing/],
    [["gateway", "add"], 2, /<merchant>: missing/],
    [["gateway", "add", "mer_x"], 2, /<gateway>: missing/],
    [["gateway", "add", "mer_x", "stripe", "--set", "a=b"], 2, /<gateway>: expected one of xpress-pay, paypro, xpay-pk, xpay-eg, xpay-kg, got "stripe"/],
    [["gateway", "add", "mer_x", "xpress-pay"], 2, /--config: missing/],
    [["gateway", "add", "mer_x", "xpress-pay", "--config"], 2, /--config: expected a value/],
    [["gateway", "add", "mer_x", "xpress-pay", "--config", "{bad"], 2, /--config: expected a JSON object/],
    [["gateway", "add", "mer_x", "xpress-pay", "--config", "[1]"], 2, /--config: expected a JSON object/],
    [["gateway", "add", "mer_x", "xpress-pay", "--config", "@/nonexistent.json"], 2, /--config: no file/],
    [["gateway", "add", "mer_x", "xpress-pay", "--set", "appId"], 2, /--set: expected key=value/],
    [["gateway", "add", "mer_x", "xpress-pay", "--set", "appid=x", "--set", "baseUrl=http://x"], 2, /config appid: not a config key of xpress-pay \(expected baseUrl, appId, timeoutMs\)/],
    [["gateway", "add", "mer_x", "xpress-pay", "--set", "appId=x"], 2, /config baseUrl: expected an absolute http\(s\) URL \(it is required\), got nothing\. baseUrl: The gateway's base URL/],
    [["gateway", "add", "mer_x", "xpress-pay", "--set", "appId=x", "--set", "baseUrl=ftp://x"], 2, /config baseUrl: expected an absolute http\(s\) URL, got "ftp:\/\/x"/],
    [["gateway", "add", "mer_x", "xpay-eg", "--set", "feesInBill=yes"], 2, /--set feesInBill: expected true or false, got "yes"/],
    [["gateway", "add", "mer_x", "xpay-eg", "--set", "variableAmountId=four"], 2, /--set variableAmountId: expected a whole number/],
    [["gateway", "list"], 2, /<merchant>: missing/],
    [["migrate", "now"], 2, /"now": unexpected argument/],
    [["merchant", "list", "--json=yes"], 2, /--json: takes no value/],
    [["key", "rotate", "mer_x", "--config", "{}"], 2, /--config: not an option of this command \(see `xpay-connect key rotate --help`\)/],
  ] as [string[], number, RegExp][])("xpay-connect %j -> exit %i", async (args, code, message) => {
    const result = await cli(env, args);
    expect(result.code).toBe(code);
    expect(code === 0 ? result.stdout : result.stderr).toMatch(message);
  });
});

describe("generated help (exit 0, no database is opened)", () => {
  const env = { ...baseEnv(), XPAY_CONNECT_DATA: "/nonexistent/never-created" };
  const help = async (args: string[]) => {
    const result = await cli(env, args);
    expect([result.code, result.stderr]).toEqual([0, ""]);
    return result.stdout;
  };

  it("xpay-connect help lists every command with its options", async () => {
    const text = await help(["help"]);
    for (const line of ["merchant create <name> [--test]", "merchant list", "key rotate <merchant> [--keep] [--test]", "gateway add <merchant> <gateway> [--config <json>|@file|-] [--set key=value ...]", "gateway list <merchant>", "migrate"]) {
      expect(text).toContain(`xpay-connect ${line}`);
    }
    expect(await help(["--help"])).toBe(text);
    expect(await help(["frobnicate", "--help"])).toBe(text);
  });

  it("gateway add --help lists its arguments, its options and each gateway's config keys, secrets marked", async () => {
    const text = await help(["gateway", "add", "--help"]);
    expect(text).toMatch(/^Usage: xpay-connect gateway add <merchant> <gateway>/);
    expect(text).toMatch(/<gateway>\s+one of xpress-pay, paypro, xpay-pk, xpay-eg, xpay-kg/);
    for (const option of [/--config <json>\|@file\|-\s+the gateway's config/, /--set key=value\s+one config key/, /--json\s+print machine-readable JSON/, /-h, --help\s+show this help/]) expect(text).toMatch(option);
    expect(text).not.toMatch(/--keep|--test/);
    expect(text).toMatch(/xpress-pay \(Xpress Pay.*\):\n {4}baseUrl \*\s+\(URL\) The gateway's base URL/);
    expect(text).toMatch(/appSecret \* \(secret\)\s+\(text\) The app secret/);
    expect(text).toMatch(/variableAmountId \*\s+\(whole number\)/);
    expect(text).toMatch(/language\s+\(one of en, ar\)/);
    // The same help three ways.
    expect(await help(["gateway", "add", "-h"])).toBe(text);
    expect(await help(["help", "gateway", "add"])).toBe(text);
  });

  it("each command's --help lists only its own options", async () => {
    const rotate = await help(["key", "rotate", "--help"]);
    expect(rotate).toMatch(/--keep\s+keep the merchant's other keys valid/);
    expect(rotate).toMatch(/--test\s+a test-mode API key/);
    expect(rotate).toMatch(/<merchant>\s+the merchant's id/);
    const list = await help(["merchant", "list", "--help"]);
    expect(list).toMatch(/^Usage: xpay-connect merchant list\n/);
    expect(list).not.toMatch(/--keep|--test|--config|--set|Arguments:/);
  });
});

describe("gateway add follows each gateway's config schema in core's registry", () => {
  /** The CLI in this process: usage errors and help open no database. */
  const run = async (args: string[]) => {
    let out = "";
    let err = "";
    const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  };
  /** Each gateway's keys as `gateway add --help` lists them, with their marks. */
  const listed = async () => {
    const fields: Record<string, { key: string; required: boolean; secret: boolean }[]> = {};
    let gateway = "";
    for (const line of (await run(["gateway", "add", "--help"])).out.split("\n")) {
      gateway = /^ {2}(\S+) \(.*\):$/.exec(line)?.[1] ?? gateway;
      const field = /^ {4}(\w+)( \*)?( \(secret\))? /.exec(line);
      if (field?.[1]) (fields[gateway] ??= []).push({ key: field[1], required: Boolean(field[2]), secret: Boolean(field[3]) });
    }
    return fields;
  };

  it.each([...GATEWAY_IDS])("%s: the help lists the schema's keys (required and secret as the schema says); --set takes each of them and no other", async (id) => {
    const shape = GATEWAYS[id].config.shape as Record<string, { safeParse: (v: unknown) => { success: boolean } }>;
    const keys = Object.keys(shape).sort();
    const fields = (await listed())[id] ?? [];
    expect(fields.map((f) => f.key).sort()).toEqual(keys);
    expect(fields.filter((f) => f.secret).map((f) => f.key).sort()).toEqual(secretFields(gatewayDefinition(id)).sort());
    expect(fields.filter((f) => f.required).map((f) => f.key).sort()).toEqual(keys.filter((k) => !shape[k]?.safeParse(undefined).success));

    const refused = await run(["gateway", "add", "mer_x", id, "--set", "notAKey=1"]);
    expect(refused.code).toBe(2);
    expect(/config notAKey: not a config key of \S+ \(expected (.*)\)/.exec(refused.err)?.[1]?.split(", ").sort()).toEqual(keys);
    for (const key of keys) {
      // A known key gets past the key check: what is left to refuse is a value (a bad one, or a required one missing).
      const one = await run(["gateway", "add", "mer_x", id, "--set", `${key}=x`]);
      expect([key, one.code, one.err]).toEqual([key, 2, expect.not.stringContaining("not a config key")]);
    }
  });
});

describe.each([["pglite"], ["postgres"]])("xpay-connect on %s", (kind) => {
  let env: NodeJS.ProcessEnv | undefined;
  let masterKey = "";
  let dataDir: string | undefined;
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  let sandbox: SandboxHandle;
  let merchantId = "";
  let firstKey = "";
  const printed: string[] = [];

  /** Runs the CLI on this database, keeping everything it printed. */
  const run = async (args: string[], stdin?: string) => {
    const result = await cli(env ?? {}, args, stdin);
    printed.push(result.stdout, result.stderr);
    return result;
  };
  /** Opens the database in this process (PGlite: only while no CLI runs), for checks. */
  const withDb = async <T>(fn: (db: Db, merchants: Merchants) => Promise<T>): Promise<T> => {
    const db = await openDb({ databaseUrl, dataDir: dataDir ?? ":memory:" });
    try {
      return await fn(db, new Merchants(db, Secrets.fromText(masterKey)));
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 3, retryScale: 0.001 });
    if (kind === "postgres") {
      if (!(await postgresAvailable())) return;
      const db = await freshDatabase();
      drop = db.drop;
      databaseUrl = db.url;
      masterKey = randomBytes(32).toString("hex");
      env = { ...baseEnv(), DATABASE_URL: databaseUrl, XPAY_CONNECT_KEY: masterKey };
    } else {
      dataDir = mkdtempSync(path.join(tmpdir(), "xc-cli-"));
      env = { ...baseEnv(), XPAY_CONNECT_DATA: dataDir };
    }
  }, 60_000);
  afterAll(async () => {
    await sandbox.close();
    await drop?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("merchant create prints the id and the API key once; merchant list shows the merchant, not the key", async () => {
    if (!env) return;
    const created = await run(["merchant", "create", "Corner", "Shop"]);
    expect(created.code).toBe(0);
    const id = /merchant (mer_\w+) \(Corner Shop\)/.exec(created.stdout)?.[1];
    const key = /API key\s+(xc_live_[\w-]{43})/.exec(created.stdout)?.[1];
    expect(id).toBeDefined();
    expect(key).toBeDefined();
    merchantId = id ?? "";
    firstKey = key ?? "";
    if (kind === "pglite") masterKey = readFileSync(path.join(dataDir ?? "", "master.key"), "utf8").trim();

    const listed = await run(["merchant", "list"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${merchantId}\\s+Corner Shop\\s+-\\s+1\\s`));
    expect(listed.stdout).not.toContain(firstKey);
    const json = await run(["merchant", "list", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual([{ id: merchantId, name: "Corner Shop", gateways: [], active_keys: 1, created_at: expect.any(String) }]);
    expect(await withDb((_db, m) => m.authenticate(firstKey))).toBe(merchantId);
  });

  it("gateway add (--set, --config inline and from stdin) stores credentials encrypted and never prints them; gateway list shows key names", async () => {
    if (!env) return;
    const setAdd = await run(["gateway", "add", merchantId, "xpress-pay", "--set", `baseUrl=${sandbox.url}/xpress-pay`, "--set", `appId=${XPRESS_PAY_APP_ID}`]);
    expect(setAdd).toMatchObject({ code: 0, stdout: expect.stringContaining("xpress-pay account stored") });
    const inline = await run(["gateway", "add", merchantId, "xpay-kg", "--config", JSON.stringify({ baseUrl: `${sandbox.url}/xpay-kg`, clientId: XPAY_KG_CLIENT_ID, clientSecret: XPAY_KG_CLIENT_SECRET })]);
    expect(inline.code).toBe(0);
    const stdin = await run(["gateway", "add", merchantId, "paypro", "--config", "-", "--json"], JSON.stringify({ baseUrl: `${sandbox.url}/paypro`, merchantNo: PAYPRO_MERCHANT_NO, appSecret: PAYPRO_APP_SECRET }));
    expect(stdin.code).toBe(0);
    expect(JSON.parse(stdin.stdout)).toEqual({ merchant: merchantId, gateway: "paypro", keys: ["appSecret", "baseUrl", "merchantNo"] });
    // A config the connector refuses names the key and does not quote a secret value.
    const longSecret = `S3CR3T${"x".repeat(600)}`;
    const refused = await run(["gateway", "add", merchantId, "xpay-pk", "--set", `baseUrl=${sandbox.url}/xpay-pk`, "--set", `apiKey=${longSecret}`, "--set", "accountId=acc", "--set", "hmacSecret=hmac-secret-1", "--set", "webhookSecret=webhook-secret-1"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/config apiKey: expected at most 512 characters/);
    expect(refused.stderr).not.toContain("S3CR3T");
    const noSecret = await run(["gateway", "add", merchantId, "paypro", "--set", `baseUrl=${sandbox.url}/paypro`, "--set", `merchantNo=${PAYPRO_MERCHANT_NO}`]);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/config appSecret: expected a non-empty string/);

    const list = await run(["gateway", "list", merchantId]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/paypro\s+http:\/\/127\.0\.0\.1:\d+\/paypro\s+appSecret,baseUrl,merchantNo/);
    expect(list.stdout).toMatch(/xpay-kg\s+\S+\s+baseUrl,clientId,clientSecret/);
    expect(list.stdout).toMatch(/xpress-pay\s+\S+\s+appId,baseUrl/);
    const merchants = await run(["merchant", "list", "--json"]);
    expect(JSON.parse(merchants.stdout)[0].gateways).toEqual(["paypro", "xpay-kg", "xpress-pay"]);

    const secrets = [XPRESS_PAY_APP_ID, XPAY_KG_CLIENT_SECRET, PAYPRO_APP_SECRET, PAYPRO_MERCHANT_NO, "hmac-secret-1", "webhook-secret-1"];
    for (const text of printed) for (const secret of secrets) expect(text).not.toContain(secret);
    const stored = await withDb((db) => db.query<{ config_ciphertext: string }>("select config_ciphertext from gateway_accounts where merchant_id = $1", [merchantId]));
    expect(stored).toHaveLength(3);
    for (const row of stored) for (const secret of secrets) expect(row.config_ciphertext).not.toContain(secret);
    // Re-adding replaces the account (still one row per gateway).
    expect((await run(["gateway", "add", merchantId, "xpress-pay", "--config", JSON.stringify({ baseUrl: `${sandbox.url}/xpress-pay`, appId: XPRESS_PAY_APP_ID, timeoutMs: 5000 })])).code).toBe(0);
    expect(await withDb((db) => db.query("select 1 from gateway_accounts where merchant_id = $1", [merchantId]))).toHaveLength(3);
  });

  it("a file config works; unknown merchants are usage errors naming <merchant>", async () => {
    if (!env) return;
    const file = path.join(mkdtempSync(path.join(tmpdir(), "xc-cfg-")), "xpay-kg.json");
    writeFileSync(file, JSON.stringify({ baseUrl: `${sandbox.url}/xpay-kg`, clientId: XPAY_KG_CLIENT_ID, clientSecret: XPAY_KG_CLIENT_SECRET, serviceName: "Corner Shop" }));
    expect((await run(["gateway", "add", merchantId, "xpay-kg", "--config", `@${file}`])).code).toBe(0);
    rmSync(path.dirname(file), { recursive: true });
    for (const args of [
      ["key", "rotate", "mer_nobody"],
      ["gateway", "list", "mer_nobody"],
      ["gateway", "add", "mer_nobody", "xpress-pay", "--set", `baseUrl=${sandbox.url}/xpress-pay`, "--set", `appId=${XPRESS_PAY_APP_ID}`],
    ]) {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/<merchant>: expected an existing merchant id.*"mer_nobody"/);
    }
  });

  it("key rotate --keep leaves the old key valid; key rotate revokes every other key", async () => {
    if (!env) return;
    const kept = await run(["key", "rotate", merchantId, "--keep", "--json"]);
    expect(kept.code).toBe(0);
    const second = JSON.parse(kept.stdout) as { api_key: string; others_revoked: boolean };
    expect(second.others_revoked).toBe(false);
    const rotated = await run(["key", "rotate", merchantId, "--test"]);
    expect(rotated.code).toBe(0);
    const third = /API key\s+(xc_test_[\w-]{43})/.exec(rotated.stdout)?.[1] ?? "";
    expect(third).not.toBe("");
    const valid = await withDb(async (_db, m) => [await m.authenticate(firstKey), await m.authenticate(second.api_key), await m.authenticate(third)]);
    expect(valid).toEqual([undefined, undefined, merchantId]);
    firstKey = third;
  });

  it("migrate applies nothing on an up-to-date database", async () => {
    if (!env) return;
    const migrated = await run(["migrate", "--json"]);
    expect(migrated.code).toBe(0);
    expect(JSON.parse(migrated.stdout)).toEqual({ applied: [] });
  });

  it("the service on the same database takes the CLI's key and gateway account: a pay-in goes through", async () => {
    if (!env) return;
    const service = await startService({ port: 0, masterKey, databaseUrl, dataDir: dataDir ?? ":memory:", logLevel: "silent" });
    try {
      if (kind === "pglite") {
        // PGlite is one process at a time: the CLI refuses a directory the service holds open.
        const busy = await run(["merchant", "list"]);
        expect(busy.code).toBe(1);
        expect(busy.stderr).toMatch(/XPAY_CONNECT_DATA: the database in .* is open in another process/);
      }
      const api = (method: string, p: string, body?: unknown) =>
        fetch(service.url + p, { method, headers: { authorization: `Bearer ${firstKey}`, "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
      const created = await api("POST", "/v1/payments", { gateway: "xpress-pay", method: "easypaisa", order_ref: "CLI-1", amount: "99.00", currency: "PKR", customer: { name: "John Doe", phone: "03001234567" } });
      expect(created.status).toBe(201);
      await fetch(`${sandbox.url}/_sandbox/xpress-pay/orders/${created.body.gateway_ref}/approve`, { method: "POST" });
      await eventually(() => api("GET", `/v1/payments/${created.body.id}`), (r) => r.body.status === "succeeded");
    } finally {
      await service.stop();
    }
  });

  it("PostgreSQL without XPAY_CONNECT_KEY is refused naming the variable (exit 1)", async () => {
    if (!env || kind !== "postgres") return;
    const { XPAY_CONNECT_KEY: _k, ...noKey } = env;
    const result = await cli(noKey, ["merchant", "list"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/XPAY_CONNECT_KEY: required with DATABASE_URL/);
  });
});
