#!/usr/bin/env node
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { GATEWAY_IDS, InvalidInputError, redact } from "@xpay-connect/core";
import { loadConfig, type ServerConfig } from "./config";
import { Secrets } from "./crypto";
import { migrate } from "./db/migrations";
import { openPglite } from "./db/pglite";
import { openPostgres } from "./db/postgres";
import { gatewayId, Merchants } from "./merchants";

const USAGE = `xpay-connect: manage the connector service's merchants, API keys and gateway accounts

Usage:
  xpay-connect merchant create <name> [--test]     a merchant and its first API key (shown once)
  xpay-connect merchant list                       merchants, their gateways and active keys
  xpay-connect key rotate <merchant> [--keep] [--test]
                                                   a new API key; the others are revoked unless --keep
  xpay-connect gateway add <merchant> <gateway> --config '<json>' | --config @file.json | --config -
  xpay-connect gateway add <merchant> <gateway> --set key=value [--set key=value ...]
                                                   store gateway credentials, encrypted (never printed back)
  xpay-connect gateway list <merchant>             a merchant's gateway accounts (key names, no secrets)
  xpay-connect migrate                             apply database migrations and exit
  xpay-connect help

Options: --json prints machine-readable output.
Gateways: ${GATEWAY_IDS.join(", ")}. Config keys per gateway: docs/server.md.
Environment: DATABASE_URL (PostgreSQL) or XPAY_CONNECT_DATA (PGlite directory, default .data/xpay-connect);
  XPAY_CONNECT_KEY (required with DATABASE_URL): the same master key the service uses.
  With PGlite, stop the service first: one process at a time may open its directory.
Exit codes: 0 done, 1 failed (database, environment), 2 usage error (the message names the argument).
`;

/**
 * Each gateway's config keys (core's XpressPayConfig, PayProConfig...): a key outside its list is
 * refused, so a typo in an optional key does not pass silently. Required keys come first.
 */
export const GATEWAY_CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
  "xpress-pay": ["baseUrl", "appId", "timeoutMs"],
  paypro: ["baseUrl", "merchantNo", "appSecret", "timeoutMs"],
  "xpay-pk": ["baseUrl", "apiKey", "accountId", "hmacSecret", "webhookSecret", "timeoutMs"],
  "xpay-eg": ["baseUrl", "apiKey", "communityId", "variableAmountId", "feesInBill", "language", "timeoutMs"],
  "xpay-kg": ["baseUrl", "clientId", "clientSecret", "serviceId", "serviceName", "checkUrl", "timeoutMs"],
};
/** Config keys whose values are not secret and may appear in errors and listings; every other value is treated as secret. */
const PUBLIC_CONFIG_KEYS = new Set(["baseUrl", "timeoutMs", "communityId", "variableAmountId", "feesInBill", "language", "serviceId", "serviceName", "checkUrl", "clientId"]);
/** `--set` values read as numbers or booleans for the keys whose connector expects one. */
const NUMBER_KEYS = new Set(["timeoutMs", "variableAmountId"]);
const BOOLEAN_KEYS = new Set(["feesInBill"]);

/** A mistake in the command line: exit code 2, the message names the argument. */
class UsageError extends Error {}

interface Parsed {
  words: string[];
  flags: Set<string>;
  config?: string;
  sets: string[];
}

const BOOLEAN_FLAGS = new Set(["--json", "--test", "--keep", "--help", "-h"]);

function parse(argv: string[]): Parsed {
  const out: Parsed = { words: [], flags: new Set(), sets: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (name === "--config" || name === "--set") {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${name}: expected a value after it`);
      if (name === "--config") {
        if (out.config !== undefined) throw new UsageError("--config: given twice");
        out.config = value;
      } else out.sets.push(value);
    } else if (BOOLEAN_FLAGS.has(arg)) out.flags.add(arg === "-h" ? "--help" : arg);
    else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`${arg}: unknown option (see \`xpay-connect help\`)`);
    else out.words.push(arg);
  }
  return out;
}

/** The positional argument `name` at `index`, or a usage error naming it. */
function word(p: Parsed, index: number, name: string): string {
  const value = p.words[index];
  if (value === undefined || value.trim() === "") throw new UsageError(`<${name}>: missing (see \`xpay-connect help\`)`);
  return value;
}

function allow(p: Parsed, count: number, flags: string[], options: { config?: boolean } = {}): void {
  if (p.words.length > count) throw new UsageError(`${JSON.stringify(p.words[count])}: unexpected argument`);
  for (const f of p.flags) if (!flags.includes(f) && f !== "--json") throw new UsageError(`${f}: not an option of this command`);
  if (!options.config && (p.config !== undefined || p.sets.length)) throw new UsageError(`${p.config !== undefined ? "--config" : "--set"}: not an option of this command`);
}

/** The gateway configuration from --config (JSON, @file, or - for stdin) and --set key=value pairs (which win). */
function gatewayConfig(p: Parsed, gateway: string): Record<string, unknown> {
  if (p.config === undefined && !p.sets.length) throw new UsageError("--config: missing: give the gateway's credentials with --config '<json>' or --set key=value");
  let config: Record<string, unknown> = {};
  if (p.config !== undefined) {
    let text = p.config;
    if (text === "-") text = readFileSync(0, "utf8");
    else if (text.startsWith("@")) {
      const file = text.slice(1);
      if (!existsSync(file)) throw new UsageError(`--config: no file ${file}`);
      text = readFileSync(file, "utf8");
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Never echo the text: it holds credentials.
      throw new UsageError("--config: expected a JSON object such as '{\"baseUrl\": \"...\", \"appId\": \"...\"}', got text that is not JSON");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new UsageError("--config: expected a JSON object of config keys");
    config = parsed as Record<string, unknown>;
  }
  for (const pair of p.sets) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set: expected key=value, got a value without "=" or key`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1);
    if (NUMBER_KEYS.has(key)) {
      if (!/^\d+$/.test(raw)) throw new UsageError(`--set ${key}: expected a whole number, got ${JSON.stringify(raw)}`);
      config[key] = Number(raw);
    } else if (BOOLEAN_KEYS.has(key)) {
      if (raw !== "true" && raw !== "false") throw new UsageError(`--set ${key}: expected true or false, got ${JSON.stringify(raw)}`);
      config[key] = raw === "true";
    } else config[key] = raw;
  }
  const known = GATEWAY_CONFIG_KEYS[gateway] ?? [];
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) throw new UsageError(`config ${key}: not a config key of ${gateway} (expected ${known.join(", ")})`);
  }
  const base = config.baseUrl;
  let url: URL | undefined;
  try {
    url = typeof base === "string" ? new URL(base) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new UsageError(`config baseUrl: expected the gateway's base URL (its live or staging host, or http://127.0.0.1:4010/${gateway} for the sandbox), got ${base === undefined ? "nothing" : JSON.stringify(base)}`);
  }
  return config;
}

/** The values of `config` that may be secret, to scrub from anything printed. */
function secretValues(config: Record<string, unknown>): string[] {
  return Object.entries(config)
    .filter(([k]) => !PUBLIC_CONFIG_KEYS.has(k))
    .flatMap(([, v]) => (typeof v === "string" ? [v] : typeof v === "number" ? [String(v)] : v && typeof v === "object" ? [JSON.stringify(v)] : []));
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ")).join("\n") + "\n";
}

/** Refuses a PGlite directory another process has open (PGlite is single-process: two writers corrupt it). */
function checkPgliteFree(config: ServerConfig): void {
  if (config.databaseUrl) return;
  const pid = path.join(config.dataDir, "pgdata", "postmaster.pid");
  if (existsSync(pid)) {
    throw new Error(`XPAY_CONNECT_DATA: the database in ${config.dataDir} is open in another process (the service?) or was not closed cleanly; stop the service and retry (if nothing uses it, delete ${pid})`);
  }
}

async function run(argv: string[], out: (text: string) => void): Promise<void> {
  const p = parse(argv);
  const [group, action] = p.words;
  if (p.flags.has("--help") || group === undefined || group === "help") {
    out(USAGE);
    return;
  }
  const command = group === "migrate" ? "migrate" : `${group} ${action ?? ""}`.trim();
  const commands = ["merchant create", "merchant list", "key rotate", "gateway add", "gateway list", "migrate"];
  if (!commands.includes(command)) {
    const known = commands.filter((c) => c.startsWith(`${group} `)).map((c) => c.split(" ")[1]);
    throw new UsageError(
      known.length ? `<action>: expected ${known.join(" or ")} after ${group}, got ${action === undefined ? "nothing" : JSON.stringify(action)}` : `${JSON.stringify(group)}: unknown command (see \`xpay-connect help\`)`,
    );
  }
  // Arguments are checked before the database is opened: a typo answers at once.
  const json = p.flags.has("--json");
  const checks: Record<string, () => void> = {
    "merchant create": () => (allow(p, Infinity, ["--test"]), word(p, 2, "name")),
    "merchant list": () => allow(p, 2, []),
    "key rotate": () => (allow(p, 3, ["--keep", "--test"]), word(p, 2, "merchant")),
    "gateway add": () => (allow(p, 4, [], { config: true }), word(p, 2, "merchant"), gatewayIdArg(word(p, 3, "gateway"))),
    "gateway list": () => (allow(p, 3, []), word(p, 2, "merchant")),
    migrate: () => allow(p, 1, []),
  };
  checks[command]?.();
  const gatewayCfg = command === "gateway add" ? gatewayConfig(p, gatewayIdArg(word(p, 3, "gateway"))) : undefined;

  const config = loadConfig(process.env);
  checkPgliteFree(config);
  // The same database the service opens (service.ts openDb), without loading the HTTP stack.
  const db = config.databaseUrl ? await openPostgres(config.databaseUrl, 2) : await openPglite(path.join(config.dataDir, "pgdata"));
  try {
    const applied = await migrate(db);
    const secrets = Secrets.fromText(config.masterKey);
    const merchants = new Merchants(db, secrets);
    if (command === "migrate") {
      out(json ? JSON.stringify({ applied }) + "\n" : applied.length ? `applied migrations ${applied.join(", ")}\n` : "the database is up to date\n");
    } else if (command === "merchant create") {
      // Unquoted words make one name: `merchant create Corner Shop`.
      const { merchant, apiKey } = await merchants.create(p.words.slice(2).join(" "), p.flags.has("--test") ? "test" : "live");
      out(
        json
          ? JSON.stringify({ id: merchant.id, name: merchant.name, api_key: apiKey }) + "\n"
          : `merchant ${merchant.id} (${merchant.name})\nAPI key  ${apiKey}\nThe key is shown once: store it now (it is kept hashed). Next: xpay-connect gateway add ${merchant.id} <gateway> ...\n`,
      );
    } else if (command === "merchant list") {
      const rows = await db.query<{ id: string; name: string; created_at: Date; gateways: string | null; keys: number }>(
        `select m.id, m.name, m.created_at,
           (select string_agg(g.gateway, ',' order by g.gateway) from gateway_accounts g where g.merchant_id = m.id) as gateways,
           (select count(*)::int from api_keys k where k.merchant_id = m.id and k.revoked_at is null) as keys
         from merchants m order by m.created_at, m.id`,
      );
      const list = rows.map((r) => ({ id: r.id, name: r.name, gateways: r.gateways ? r.gateways.split(",") : [], active_keys: Number(r.keys), created_at: new Date(r.created_at).toISOString() }));
      if (json) out(JSON.stringify(list) + "\n");
      else if (!list.length) out("no merchants yet: xpay-connect merchant create <name>\n");
      else out(table([["ID", "NAME", "GATEWAYS", "KEYS", "CREATED"], ...list.map((m) => [m.id, m.name, m.gateways.join(",") || "-", String(m.active_keys), m.created_at])]));
    } else if (command === "key rotate") {
      const merchantId = word(p, 2, "merchant");
      const keep = p.flags.has("--keep");
      const apiKey = await merchants.rotateKey(merchantId, { keep, mode: p.flags.has("--test") ? "test" : "live" });
      out(
        json
          ? JSON.stringify({ merchant: merchantId, api_key: apiKey, others_revoked: !keep }) + "\n"
          : `API key  ${apiKey}\nThe key is shown once: store it now. ${keep ? "The merchant's other keys stay valid (--keep): rotate again without --keep once clients use the new one." : "The merchant's other keys are revoked (within 30 s on running services)."}\n`,
      );
    } else if (command === "gateway add") {
      const merchantId = word(p, 2, "merchant");
      const gateway = gatewayIdArg(word(p, 3, "gateway"));
      const cfg = gatewayCfg ?? {};
      try {
        await merchants.setGatewayAccount(merchantId, gateway, cfg);
      } catch (error) {
        // A connector names the config key it refused; the value is quoted only for keys that are not secret.
        if (error instanceof InvalidInputError) {
          if (error.field === "merchant") throw new UsageError(`<merchant>: ${error.message.slice(error.field.length + 2)}`);
          throw new UsageError(PUBLIC_CONFIG_KEYS.has(error.field) ? `config ${error.message}` : `config ${error.field}: expected ${error.expected} (the value is not shown: it may be a secret)`);
        }
        // No `cause`: the original error may quote a credential, and nothing of it may travel on.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(String(redact(error instanceof Error ? error.message : String(error), secretValues(cfg))));
      }
      const keys = Object.keys(cfg).sort();
      out(json ? JSON.stringify({ merchant: merchantId, gateway, keys }) + "\n" : `${gateway} account stored for ${merchantId}, encrypted (keys: ${keys.join(", ")})\n`);
    } else if (command === "gateway list") {
      const merchantId = word(p, 2, "merchant");
      const [merchant] = await db.query("select id from merchants where id = $1", [merchantId]);
      if (!merchant) throw new UsageError(`<merchant>: expected an existing merchant id (see \`xpay-connect merchant list\`), got ${JSON.stringify(merchantId)}`);
      const rows = await db.query<{ gateway: string; config_ciphertext: string; updated_at: Date }>("select gateway, config_ciphertext, updated_at from gateway_accounts where merchant_id = $1 order by gateway", [merchantId]);
      const list = rows.map((r) => {
        const cfg = JSON.parse(secrets.decrypt(r.config_ciphertext)) as Record<string, unknown>;
        return { gateway: r.gateway, base_url: typeof cfg.baseUrl === "string" ? cfg.baseUrl : null, keys: Object.keys(cfg).sort(), updated_at: new Date(r.updated_at).toISOString() };
      });
      if (json) out(JSON.stringify(list) + "\n");
      else if (!list.length) out(`no gateway accounts for ${merchantId}: xpay-connect gateway add ${merchantId} <gateway> ...\n`);
      else out(table([["GATEWAY", "BASE URL", "KEYS", "UPDATED"], ...list.map((g) => [g.gateway, g.base_url ?? "-", g.keys.join(","), g.updated_at])]));
    }
  } finally {
    await db.close();
  }
}

function gatewayIdArg(value: string): string {
  try {
    return gatewayId(value);
  } catch (error) {
    throw new UsageError(`<gateway>: expected one of ${GATEWAY_IDS.join(", ")}, got ${JSON.stringify(value)}`, { cause: error });
  }
}

/** Runs the CLI with `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: string[], io: { out: (text: string) => void; err: (text: string) => void }): Promise<number> {
  try {
    await run(argv, io.out);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`xpay-connect: ${error.message}\n`);
      return 2;
    }
    if (error instanceof InvalidInputError) {
      // Merchants name the argument they refused (an unknown merchant id, a gateway).
      io.err(`xpay-connect: <${error.field}>: ${error.message.slice(error.field.length + 2)}\n`);
      return 2;
    }
    io.err(`xpay-connect: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }).then((code) => {
    process.exitCode = code;
  });
}
