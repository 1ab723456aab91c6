import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, GraphQLScalarType, Kind, type GraphQLSchema, type IntrospectionQuery } from "graphql";

/** Shopify's Payments Apps API version whose schema the emulator serves. */
export const PAYMENTS_APPS_API_VERSION = "2026-07";

/** The introspection from npm `@shopify/dev-mcp@1.16.0` (ISC, see data/LICENSE.payments-apps-schema.md); same depth from src/ and dist/. */
const SCHEMA_FILE = path.join(__dirname, "..", "..", "data", `payments-apps_${PAYMENTS_APPS_API_VERSION}.json.gz`);

let cached: GraphQLSchema | undefined;

/**
 * Shopify's real Payments Apps GraphQL schema (2026-07), built from Shopify's own introspection. Validate a
 * document with graphql's `validate(paymentsAppsSchema(), parse(doc))`. `DateTime` and `URL` check their
 * values as Shopify documents them (ISO-8601; an absolute URL), so a bad literal is a validation error.
 */
export function paymentsAppsSchema(): GraphQLSchema {
  if (cached) return cached;
  const introspection = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")) as { data: IntrospectionQuery };
  const schema = buildClientSchema(introspection.data);
  checkScalar(schema, "DateTime", (v) => ISO_8601.test(v) && !Number.isNaN(Date.parse(v)), "an ISO-8601 date and time (2019-09-07T15:50:00Z)");
  checkScalar(schema, "URL", (v) => URL.canParse(v), "an absolute URL (RFC 3986)");
  cached = schema;
  return schema;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Gives a client-schema scalar (which accepts anything) the check of what Shopify accepts for it. */
function checkScalar(schema: GraphQLSchema, name: string, ok: (value: string) => boolean, expected: string): void {
  const scalar = schema.getType(name);
  if (!(scalar instanceof GraphQLScalarType)) throw new Error(`the Payments Apps schema has no scalar ${name}`);
  const parse = (value: unknown): string => {
    if (typeof value !== "string" || !ok(value)) throw new TypeError(`${name} must be ${expected}, got ${JSON.stringify(value)}`);
    return value;
  };
  // buildClientSchema makes scalars that accept any value; these are its own (mutable) instances.
  Object.assign(scalar, {
    parseValue: parse,
    parseLiteral: (node: { kind: string; value?: string }) => parse(node.kind === Kind.STRING ? node.value : undefined),
  });
}
