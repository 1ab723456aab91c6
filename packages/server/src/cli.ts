#!/usr/bin/env node
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { GATEWAY_IDS, InvalidInputError, gatewayDefinition, isSecret, parseGatewayConfig, redact, secretFields, type GatewayId } from "@xpay-connect/core";
import type { z } from "zod";
import { loadConfig, type ServerConfig } from "./config";
import { Secrets } from "./crypto";
import { migrate } from "./db/migrations";
import { openPglite } from "./db/pglite";
import { openPostgres, postgresTimeouts } from "./db/postgres";
import { gatewayId, Merchants } from "./merchants";

/** A config field of a gateway, as its zod schema in core's registry declares it. */
interface ConfigField {
  key: string;
  required: boolean;
  secret: boolean;
  description: string;
  /** What the schema takes, in words ("text", "URL", "whole number", "true or false", "one of en, ar"); `--set` reads numbers and booleans by it. */
  kind: string;
}

/** A gateway's config fields, required ones first, from its schema (`GATEWAYS[id].config`). */
function configFields(gateway: GatewayId): ConfigField[] {
  const fields = Object.entries(gatewayDefinition(gateway).config.shape).map(([key, field]): ConfigField => {
    const schema = field as z.ZodType;
    // By the schema's type name, not `instanceof`: core may load its own copy of zod.
    let base = schema;
    while (base.def.type === "optional") base = (base as z.ZodOptional).unwrap() as z.ZodType;
    const type = base.def.type;
    const kind =
      type === "number" ? ((base as z.ZodNumber).isInt ? "whole number" : "number")
      : type === "boolean" ? "true or false"
      : type === "enum" ? `one of ${(base as z.ZodEnum).options.join(", ")}`
      : (base as z.ZodString).format === "url" ? "URL"
      : "text";
    return { key, required: !schema.safeParse(undefined).success, secret: isSecret(schema), description: schema.description ?? "", kind };
  });
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
}

/** A mistake in the command line: exit code 2, the message names the argument. */
class UsageError extends Error {}

type OptionName = "config" | "set" | "test" | "keep" | "json" | "help";
interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** What the value looks like, for the help. */
  value?: string;
  description: string;
}

/** Every option of the CLI, described once: parseArgs reads them, the help lists them. */
const OPTIONS: Record<OptionName, OptionSpec> = {
  config: { type: "string", value: "<json>|@file|-", description: "the gateway's config: a JSON object, @file.json, or - to read it from stdin" },
  set: { type: "string", multiple: true, value: "key=value", description: "one config key (repeatable; wins over --config)" },
  test: { type: "boolean", description: "a test-mode API key (xc_test_...) instead of a live one" },
  keep: { type: "boolean", description: "keep the merchant's other keys valid (rotate without downtime)" },
  json: { type: "boolean", description: "print machine-readable JSON" },
  help: { type: "boolean", short: "h", description: "show this help" },
};
/** Options every command takes. */
const COMMON: OptionName[] = ["json", "help"];

interface Command {
  /** Positional arguments and what they are; a name ending in "..." takes the rest of the words. */
  args: [name: string, description: string][];
  options: OptionName[];
  summary: string;
  /** More help below the options. */
  details?: () => string;
}

/** The commands, described once: the checks, `xpay-connect help` and each command's --help come from here. */
const COMMANDS: Record<string, Command> = {
  "merchant create": { args: [["name...", "the merchant's name (several words make one name)"]], options: ["test"], summary: "a merchant and its first API key (shown once)" },
  "merchant list": { args: [], options: [], summary: "merchants, their gateways and active keys" },
  "key rotate": { args: [["merchant", "the merchant's id (mer_...)"]], options: ["keep", "test"], summary: "a new API key; the others are revoked unless --keep" },
  "gateway add": {
    args: [
      ["merchant", "the merchant's id (mer_...)"],
      ["gateway", `one of ${GATEWAY_IDS.join(", ")}`],
    ],
    options: ["config", "set"],
    summary: "store gateway credentials, encrypted (never printed back)",
    details: configKeysHelp,
  },
  "gateway list": { args: [["merchant", "the merchant's id (mer_...)"]], options: [], summary: "a merchant's gateway accounts (key names, no secrets)" },
  migrate: { args: [], options: [], summary: "apply database migrations and exit" },
};

const ENVIRONMENT = `Environment: DATABASE_URL (PostgreSQL) or XPAY_CONNECT_DATA (PGlite directory, default .data/xpay-connect);
  XPAY_CONNECT_KEY (required with DATABASE_URL): the same master key the service uses.
  With PGlite, stop the service first: one process at a time may open its directory.
Exit codes: 0 done, 1 failed (database, environment), 2 usage error (the message names the argument).
`;

/** A command's synopsis: `gateway add <merchant> <gateway> [--config <json>|@file|-] [--set key=value ...]`. */
function synopsis(name: string, command: Command): string {
  const args = command.args.map(([arg]) => (arg.endsWith("...") ? `<${arg.slice(0, -3)}>` : `<${arg}>`));
  const options = command.options.map((o) => {
    const option = OPTIONS[o];
    return `[--${o}${option.value ? ` ${option.value}` : ""}${option.multiple ? " ..." : ""}]`;
  });
  return [name, ...args, ...options].join(" ");
}

/** Rows of two columns, the first padded to the widest. */
function columns(rows: [string, string][], indent = "  "): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`.trimEnd()).join("\n") + "\n";
}

/** `xpay-connect help`: every command, its summary in a column (or under it, for a long one). */
function usage(): string {
  const lines = [...Object.entries(COMMANDS).map(([name, command]) => [synopsis(name, command), command.summary]), ["help [<command>]", "this help, or a command's (as `xpay-connect <command> --help`)"]];
  const rows = lines.map(([line = "", summary = ""]) => {
    const text = `  xpay-connect ${line}`;
    return text.length < 50 ? `${text.padEnd(51)}${summary}` : `${text}\n${" ".repeat(51)}${summary}`;
  });
  return `xpay-connect: manage the connector service's merchants, API keys and gateway accounts

Usage:
${rows.join("\n")}

Options: --json prints machine-readable output; --help after a command lists its options.
Gateways: ${GATEWAY_IDS.join(", ")}. Config keys per gateway: \`xpay-connect gateway add --help\`.
${ENVIRONMENT}`;
}

/** `xpay-connect <command> --help`: its arguments and options. */
function commandHelp(name: string, command: Command): string {
  const options = [...command.options, ...COMMON].map((o): [string, string] => {
    const option = OPTIONS[o];
    return [`${option.short ? `-${option.short}, ` : ""}--${o}${option.value ? ` ${option.value}` : ""}`, option.description];
  });
  return [
    `Usage: xpay-connect ${synopsis(name, command)}\n\n${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.\n`,
    command.args.length ? `Arguments:\n${columns(command.args.map(([arg, text]) => [`<${arg.replace(/\.\.\.$/, "")}>`, text]))}` : "",
    `Options:\n${columns(options)}`,
    command.details?.() ?? "",
    ENVIRONMENT,
  ]
    .filter(Boolean)
    .join("\n");
}

/** The help's list of each gateway's config keys, from the schemas: type, description, required and secret marks. */
function configKeysHelp(): string {
  const sections = GATEWAY_IDS.map((gateway) => {
    const rows = configFields(gateway).map((f): [string, string] => [`${f.key}${f.required ? " *" : ""}${f.secret ? " (secret)" : ""}`, `(${f.kind}) ${f.description}`]);
    return `${gateway} (${gatewayDefinition(gateway).title}):\n${columns(rows, "    ")}`;
  });
  return `Config keys (* required; a secret's value is never printed back):\n${sections.map((section) => `  ${section}`).join("")}`;
}

/** The command line, read by parseArgs and checked against the command it names. */
interface Parsed {
  /** "gateway add", or undefined for help. */
  command?: string;
  /** The command's positional arguments (after its words). */
  args: string[];
  values: { config?: string; set: string[]; test: boolean; keep: boolean; json: boolean };
}

const PARSE_OPTIONS: ParseArgsConfig["options"] = Object.fromEntries(
  Object.entries(OPTIONS).map(([name, { type, short, multiple }]) => [name, { type, ...(short ? { short } : {}), ...(multiple ? { multiple } : {}) }]),
);

/** Reads `argv` with parseArgs; what it says about the options is checked here, to name the argument in every error. */
function parse(argv: string[], out: (text: string) => void): Parsed | undefined {
  // Lenient, with tokens: an unknown option or a missing value is reported in our words below.
  const { tokens } = parseArgs({ args: argv, options: PARSE_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const words: string[] = [];
  const given = new Map<string, string>();
  const values: Parsed["values"] = { set: [], test: false, keep: false, json: false };
  let help = false;
  for (const token of tokens) {
    if (token.kind === "positional") words.push(token.value);
    if (token.kind !== "option") continue;
    const name = token.name as OptionName;
    if (!(name in OPTIONS)) throw new UsageError(`${token.rawName}: unknown option (see \`xpay-connect help\`)`);
    given.set(name, token.rawName);
    if (OPTIONS[name].type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`--${name}: takes no value`);
      if (name === "help") help = true;
      else values[name as "test" | "keep" | "json"] = true;
    } else if (token.value === undefined) throw new UsageError(`--${name}: expected a value after it`);
    else if (name === "set") values.set.push(token.value);
    else if (values.config !== undefined) throw new UsageError("--config: given twice");
    else values.config = token.value;
  }

  const [group, action] = words;
  if (group === "help" || group === undefined) {
    const name = words.slice(1).join(" ");
    const command = COMMANDS[name];
    out(command ? commandHelp(name, command) : usage());
    return undefined;
  }
  const name = group === "migrate" ? "migrate" : `${group} ${action ?? ""}`.trim();
  const command = COMMANDS[name];
  if (help) {
    out(command ? commandHelp(name, command) : usage());
    return undefined;
  }
  if (!command) {
    const known = Object.keys(COMMANDS).filter((c) => c.startsWith(`${group} `)).map((c) => c.split(" ")[1]);
    throw new UsageError(
      known.length ? `<action>: expected ${known.join(" or ")} after ${group}, got ${action === undefined ? "nothing" : JSON.stringify(action)}` : `${JSON.stringify(group)}: unknown command (see \`xpay-connect help\`)`,
    );
  }
  const args = words.slice(name.split(" ").length);
  const rest = command.args.at(-1)?.[0].endsWith("...");
  if (!rest && args.length > command.args.length) throw new UsageError(`${JSON.stringify(args[command.args.length])}: unexpected argument`);
  for (const [option, raw] of given) {
    if (!command.options.includes(option as OptionName) && !COMMON.includes(option as OptionName)) throw new UsageError(`${raw === "-h" ? "--help" : `--${option}`}: not an option of this command (see \`xpay-connect ${name} --help\`)`);
  }
  command.args.forEach(([arg], index) => {
    const value = arg.endsWith("...") ? args.slice(index).join(" ") : args[index];
    if (value === undefined || value.trim() === "") throw new UsageError(`<${arg.replace(/\.\.\.$/, "")}>: missing (see \`xpay-connect ${name} --help\`)`);
  });
  return { command: name, args, values };
}

/** The gateway configuration from --config (JSON, @file, or - for stdin) and --set key=value pairs (which win). */
function gatewayConfig(p: Parsed, gateway: GatewayId): Record<string, unknown> {
  const { config: configText, set } = p.values;
  if (configText === undefined && !set.length) throw new UsageError("--config: missing: give the gateway's credentials with --config '<json>' or --set key=value");
  let config: Record<string, unknown> = {};
  if (configText !== undefined) {
    let text = configText;
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
  const fields = configFields(gateway);
  const unknown = (key: string) => new UsageError(`config ${key}: not a config key of ${gateway} (expected ${fields.map((f) => f.key).join(", ")})`);
  for (const pair of set) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set: expected key=value, got a value without "=" or key`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1);
    const field = fields.find((f) => f.key === key);
    if (!field) throw unknown(key);
    // Read as the schema's type; the schema checks the value itself below. A secret's text is never quoted.
    const shown = field.secret ? "a value (not shown: it is a secret)" : JSON.stringify(raw);
    if (field.kind === "whole number" || field.kind === "number") {
      if (!(field.kind === "number" ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/).test(raw)) throw new UsageError(`--set ${key}: expected a ${field.kind}, got ${shown}`);
      config[key] = Number(raw);
    } else if (field.kind === "true or false") {
      if (raw !== "true" && raw !== "false") throw new UsageError(`--set ${key}: expected true or false, got ${shown}`);
      config[key] = raw === "true";
    } else config[key] = raw;
  }
  for (const key of Object.keys(config)) if (!fields.some((f) => f.key === key)) throw unknown(key);
  try {
    parseGatewayConfig(gateway, config);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw configError(gateway, error);
  }
  return config;
}

/** A config value the gateway's schema refused, as a usage error naming the key (secret values are hidden by the registry). */
function configError(gateway: GatewayId, error: InvalidInputError): UsageError {
  const field = configFields(gateway).find((f) => f.key === error.field);
  const missing = error.received === undefined && field?.required;
  return new UsageError(`config ${error.message}${missing && field.description ? `. ${field.key}: ${field.description}` : ""}`, { cause: error });
}

/** The values of `config` that are secret by `gateway`'s schema, to scrub from anything printed. */
function secretValues(gateway: GatewayId, config: Record<string, unknown>): string[] {
  const secret = new Set(secretFields(gatewayDefinition(gateway)));
  return Object.entries(config)
    .filter(([k]) => secret.has(k))
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
  const p = parse(argv, out);
  if (!p?.command) return;
  const { command, args, values } = p;
  const json = values.json;
  const mode = values.test ? "test" : "live";
  // Arguments are checked before the database is opened: a typo answers at once.
  const gateway = command === "gateway add" ? gatewayIdArg(args[1] ?? "") : undefined;
  const gatewayCfg = gateway ? gatewayConfig(p, gateway) : undefined;

  const config = loadConfig(process.env);
  checkPgliteFree(config);
  // The same database the service opens (service.ts openDb), without loading the HTTP stack.
  const db = config.databaseUrl ? await openPostgres(config.databaseUrl, { max: 2, ...postgresTimeouts(config) }) : await openPglite(path.join(config.dataDir, "pgdata"));
  try {
    const applied = await migrate(db);
    const secrets = Secrets.fromText(config.masterKey);
    const merchants = new Merchants(db, secrets);
    if (command === "migrate") {
      out(json ? JSON.stringify({ applied }) + "\n" : applied.length ? `applied migrations ${applied.join(", ")}\n` : "the database is up to date\n");
    } else if (command === "merchant create") {
      // Unquoted words make one name: `merchant create Corner Shop`.
      const { merchant, apiKey } = await merchants.create(args.join(" "), mode);
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
      const merchantId = args[0] ?? "";
      const keep = values.keep;
      const apiKey = await merchants.rotateKey(merchantId, { keep, mode });
      out(
        json
          ? JSON.stringify({ merchant: merchantId, api_key: apiKey, others_revoked: !keep }) + "\n"
          : `API key  ${apiKey}\nThe key is shown once: store it now. ${keep ? "The merchant's other keys stay valid (--keep): rotate again without --keep once clients use the new one." : "The merchant's other keys are revoked (within 30 s on running services)."}\n`,
      );
    } else if (command === "gateway add" && gateway) {
      const merchantId = args[0] ?? "";
      const cfg = gatewayCfg ?? {};
      try {
        await merchants.setGatewayAccount(merchantId, gateway, cfg);
      } catch (error) {
        // The config passed its schema above: what is left to refuse is the merchant (or a config, in the same words).
        if (error instanceof InvalidInputError) {
          if (error.field === "merchant") throw new UsageError(`<merchant>: ${error.message.slice(error.field.length + 2)}`);
          throw configError(gateway, error);
        }
        // No `cause`: the original error may quote a credential, and nothing of it may travel on.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(String(redact(error instanceof Error ? error.message : String(error), secretValues(gateway, cfg))));
      }
      const keys = Object.keys(cfg).sort();
      out(json ? JSON.stringify({ merchant: merchantId, gateway, keys }) + "\n" : `${gateway} account stored for ${merchantId}, encrypted (keys: ${keys.join(", ")})\n`);
    } else if (command === "gateway list") {
      const merchantId = args[0] ?? "";
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

function gatewayIdArg(value: string): GatewayId {
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
