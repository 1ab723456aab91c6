import { z } from "zod";
import type { CallbackEvent, CallbackInput, CallbackKind, CallbackReply } from "./callback";
import type { Capabilities, Logger } from "./connector";
import { InvalidInputError } from "./errors";

/** Marks a config field as a credential: never returned, logged, echoed or shown back in a form. */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ secret: true });
}

/** True when a config field's schema (or the schema it makes optional) was marked with `secret()`. */
export function isSecret(schema: z.ZodType): boolean {
  for (let s: z.ZodType | undefined = schema; s; s = (s as { unwrap?: () => z.ZodType }).unwrap?.()) {
    if ((s.meta() as { secret?: boolean } | undefined)?.secret === true) return true;
  }
  return false;
}

/** A NUL character or a lone UTF-16 surrogate: text no database or gateway stores faithfully. */
// eslint-disable-next-line no-control-regex -- the NUL character is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text without NUL or lone surrogates, trimmed, non-empty: what every credential and id field takes. */
export const configText = (max = 255) =>
  z
    .string()
    .trim()
    .min(1, "expected a non-empty string")
    .max(max, `expected at most ${max} characters`)
    .refine((s) => !UNSTORABLE.test(s), "expected text without NUL characters or lone surrogates");

/** The options every connector takes besides its credentials (the logger is passed in code, not config). */
export const connectorOptions = {
  baseUrl: z
    .url({ protocol: /^https?$/, error: "expected an absolute http(s) URL" })
    .describe("The gateway's base URL: its live or staging host, or http://127.0.0.1:4010/<gateway> for the sandbox.")
    .meta({ title: "Base URL", examples: ["http://127.0.0.1:4010/xpress-pay"] }),
  timeoutMs: z
    .number()
    .int("expected whole milliseconds")
    .positive("expected more than zero")
    .max(120_000, "expected at most 120000 (two minutes)")
    .optional()
    .describe("Per-request timeout in milliseconds (default 15000).")
    .meta({ title: "Timeout (ms)" }),
};

/** Any gateway's config schema: a zod object of its credentials and options. */
export type ConfigSchema = z.ZodObject<z.ZodRawShape>;

/**
 * Everything the rest of xpay-connect needs to know about one gateway, declared once in its
 * connector folder: the server, CLI, Medusa options, sandbox wiring and docs derive from it.
 */
export interface GatewayDefinition<Id extends string = string, Schema extends ConfigSchema = ConfigSchema, C = unknown> {
  readonly id: Id;
  /** What a store owner sees: "Xpress Pay (EasyPaisa / JazzCash)". */
  readonly title: string;
  readonly country: "PK" | "EG" | "KG";
  /** One sentence: what the gateway does for a store. */
  readonly description: string;
  /** Its credentials and options, each field described, credentials marked `secret()`. */
  readonly config: Schema;
  readonly capabilities: Capabilities;
  /** Builds the connector from a config that `config` has parsed. */
  create(config: z.output<Schema> & { logger?: Logger }): C;
  /** Parses a callback without trusting it and without credentials: enough to find its payment. */
  parseCallback(input: CallbackInput, kind?: CallbackKind): CallbackEvent;
  /** The HTTP answer the gateway expects: accepted stops its retries, rejected asks for a retry. Needs no credentials. */
  callbackReply(accepted: boolean): CallbackReply;
  /**
   * The largest callback body the gateway sends, in bytes, with room to spare (its callback shape
   * plus echoed fields). Declared by gateways whose callback URL is a dashboard setting: that URL
   * carries no per-payment secret, so the service refuses anything bigger before storing it.
   */
  readonly callbackBodyLimit?: number;
}

/** Declares a gateway (an identity function that keeps the literal types). */
export function defineGateway<Id extends string, Schema extends ConfigSchema, C>(
  definition: GatewayDefinition<Id, Schema, C>,
): GatewayDefinition<Id, Schema, C> {
  return definition;
}

/**
 * What a zod issue says was expected, in the words our errors use ("a non-empty string", "one of en, ar",
 * "at most 32 characters"), without the "expected" prefix and never quoting the value received.
 * "(it is required)" needs the issue's input: parse with `{ reportInput: true }`.
 */
export function expectedOf(issue: z.core.$ZodIssue): string {
  const required = issue.code === "invalid_type" && issue.input === undefined ? " (it is required)" : "";
  // Our schemas word their own messages as "expected ..."; zod's defaults are reworded below.
  if (/^expected /i.test(issue.message)) return issue.message.replace(/^expected /i, "") + required;
  switch (issue.code) {
    case "invalid_type":
      return `${issue.expected === "string" ? "a non-empty string" : `a ${issue.expected}`}${required}`;
    case "invalid_value":
      return `one of ${issue.values.map(String).join(", ")}`;
    case "too_small":
      return `${issue.inclusive === false ? "more than" : "at least"} ${String(issue.minimum)}${issue.origin === "string" ? " characters" : ""}`;
    case "too_big":
      return `${issue.inclusive === false ? "less than" : "at most"} ${String(issue.maximum)}${issue.origin === "string" ? " characters" : ""}`;
    default:
      return issue.message;
  }
}

/** Reads `input` with a gateway's config schema: the config, or InvalidInputError naming the first wrong field. */
export function readConfig<Schema extends ConfigSchema>(gateway: string, schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.strict().safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data as z.output<Schema>;
  const issue = parsed.error.issues[0];
  const field = issue?.code === "unrecognized_keys" ? String(issue.keys[0]) : (issue?.path.map(String).join(".") ?? "config");
  const known = Object.keys(schema.shape).join(", ");
  const expected = !issue ? "a valid value" : issue.code === "unrecognized_keys" ? `one of the config keys of ${gateway} (${known})` : expectedOf(issue);
  const fieldSchema = schema.shape[field.split(".")[0] ?? ""] as z.ZodType | undefined;
  // A credential's value is never echoed, not even a wrong one.
  const value = input && typeof input === "object" ? (input as Record<string, unknown>)[field] : undefined;
  const received = fieldSchema && isSecret(fieldSchema) ? (value === undefined ? undefined : `(${typeof value}, hidden)`) : value;
  throw new InvalidInputError(field || "config", expected, received, { gateway });
}

/** A JSON Schema field of a gateway config, as forms render it. */
export interface ConfigFieldSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  secret?: boolean;
  [key: string]: unknown;
}

/** A gateway's config as JSON Schema (draft 2020-12): titles, descriptions, `secret: true` on credentials. */
export function configJsonSchema(definition: GatewayDefinition): { type: "object"; properties: Record<string, ConfigFieldSchema>; required: string[]; [key: string]: unknown } {
  const schema = z.toJSONSchema(definition.config, { io: "input", unrepresentable: "any" }) as {
    type: "object";
    properties: Record<string, ConfigFieldSchema>;
    required?: string[];
  };
  return { ...schema, title: definition.title, description: definition.description, required: schema.required ?? [] };
}

/** The names of a gateway's secret config fields. */
export function secretFields(definition: GatewayDefinition): string[] {
  return Object.entries(definition.config.shape)
    .filter(([, field]) => isSecret(field as z.ZodType))
    .map(([name]) => name);
}

/** A gateway's config with every secret value replaced: what may be shown or logged. */
export function publicConfig(definition: GatewayDefinition, config: Record<string, unknown>): Record<string, unknown> {
  const hidden = new Set(secretFields(definition));
  return Object.fromEntries(Object.entries(config).filter(([k]) => !hidden.has(k) && k in definition.config.shape));
}
