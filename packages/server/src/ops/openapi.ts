import type { SwaggerOptions } from "@fastify/swagger";
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from "fastify-type-provider-zod";
import { z } from "zod";
import { HEADER_NAMES } from "../api/schemas";

type Json = { [key: string]: unknown };
type ZodToJsonConfig = NonNullable<Parameters<typeof createJsonSchemaTransform>[0]["zodToJsonConfig"]>;
type OverrideContext = Parameters<NonNullable<ZodToJsonConfig["override"]>>[0];

/**
 * How zod schemas become JSON Schema here: a property is required exactly when the schema refuses
 * it absent (a customer with a `prefault` is required: absent, its name is missing), and a union's
 * empty branches are dropped (as the type provider's own override does).
 */
const zodToJsonConfig: ZodToJsonConfig = {
  unrepresentable: "any",
  override: ({ zodSchema, jsonSchema }: OverrideContext) => {
    const def = (zodSchema as unknown as z.ZodType).def as { type: string; shape?: Record<string, z.ZodType> };
    if (def.type === "union" && Array.isArray(jsonSchema.anyOf)) jsonSchema.anyOf = jsonSchema.anyOf.filter((branch) => Object.keys(branch).length > 0);
    if (def.type === "object" && def.shape) {
      const required = Object.entries(def.shape)
        .filter(([, property]) => !property.safeParse(undefined).success)
        .map(([name]) => name);
      if (required.length) jsonSchema.required = required;
    }
  },
};

/** Marks an operation whose body may be absent, from the route transform to the document's (an `x-` key swagger copies). */
const OPTIONAL_BODY = "x-optional-body";

/** Every `$ref` target reachable from `roots`, transitively through the components. */
function reachable(roots: unknown, schemas: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      const name = key === "$ref" && typeof value === "string" ? value.replace("#/components/schemas/", "") : undefined;
      if (name === undefined) walk(value);
      else if (!seen.has(name)) {
        seen.add(name);
        walk(schemas[name]);
      }
    }
  };
  walk(roots);
  return seen;
}

/**
 * @fastify/swagger's options: the document's frame (info, bearer API keys, tags, the storefront
 * webhook). Every path in it comes from a route's own zod schemas; nothing here describes a route.
 */
export function openApiOptions(): SwaggerOptions {
  const transform = createJsonSchemaTransform({ skipList: [], zodToJsonConfig });
  const transformObject = createJsonSchemaTransformObject({ zodToJsonConfig });
  return {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "xpay-connect",
        version: "1",
        summary: "Payments through regional gateways (Pakistan, Egypt, Kyrgyzstan), durable and verified.",
        description:
          "Amounts are decimal strings in major units with a currency (`\"1500.00\"` PKR), never JSON numbers. Every error is `{ error: { code, message, field? } }`; bad input names the field and says what was expected. Guide: docs/server.md.",
        license: { name: "MIT", identifier: "MIT" },
      },
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "A merchant API key (`xc_live_...` or `xc_test_...`), from `xpay-connect merchant create` or `key rotate`." },
        },
      },
      security: [{ apiKey: [] }],
      tags: [
        { name: "payments", description: "Pay-ins and refunds." },
        { name: "payouts", description: "Payouts and balances." },
        { name: "endpoints", description: "Where status changes are delivered, signed." },
        { name: "gateways", description: "The merchant's gateway accounts." },
        { name: "callbacks", description: "Gateway callback intake (gateways call these)." },
        { name: "operations", description: "Health, readiness, metrics, this document." },
      ],
      webhooks: {
        statusChanged: {
          post: {
            summary: "A status change, delivered to each enabled endpoint of the merchant",
            description:
              "Verify `X-Xpay-Connect-Signature: t=<unix>,v1=<hex>`: HMAC-SHA256 with the endpoint secret over `<t>.<raw body>`, constant-time, and refuse a `t` more than 5 minutes away. Answer 2xx once stored; anything else is retried with exponential backoff for at least 24 hours.",
            parameters: [
              { name: "X-Xpay-Connect-Signature", in: "header", required: true, description: "`t=<unix>,v1=<hex>`; two v1 values while a rotated secret's grace period runs.", schema: { type: "string", examples: ["t=1700000000,v1=5257a869e7..."] } },
              { name: "X-Xpay-Connect-Event-Id", in: "header", required: true, description: "The event id, the same on every retry: deduplicate on it.", schema: { type: "string" } },
            ],
            requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Event" } } } },
            responses: { "200": { description: "Received; any 2xx stops retries." } },
          },
        },
      },
    },
    // The demo store's pages are for people, not API: its plugin marks its routes hidden.
    transform: (input) => {
      if (input.schema?.hide) return { schema: input.schema, url: input.url };
      const out = transform(input) as { schema: { headers?: { properties?: Json; required?: string[] }; [OPTIONAL_BODY]?: boolean }; url: string };
      // swagger marks every body required; a body the schema accepts absent (a refund's) is not.
      if (input.schema?.body && (input.schema.body as z.ZodType).safeParse(undefined).success) out.schema[OPTIONAL_BODY] = true;
      // Headers as the API spells them (Node lowercases them for validation).
      const headers = out.schema.headers?.properties;
      if (headers) {
        const named = (k: string) => HEADER_NAMES[k] ?? k;
        const required = out.schema.headers?.required;
        out.schema.headers = {
          ...out.schema.headers,
          properties: Object.fromEntries(Object.entries(headers).map(([k, v]) => [named(k), v])),
          ...(required ? { required: required.map(named) } : {}),
        };
      }
      return out;
    },
    // Each zod schema with an id yields an input and an output component: keep those the document uses.
    transformObject: (input) => {
      const document = transformObject(input) as Json & { components: { schemas: Record<string, unknown> } };
      const used = reachable([document.paths, document.webhooks], document.components.schemas);
      document.components.schemas = Object.fromEntries(Object.entries(document.components.schemas).filter(([name]) => used.has(name)));
      for (const operation of Object.values(document.paths as Record<string, Record<string, Json & { requestBody?: Json }>>).flatMap((path) => Object.values(path))) {
        if (operation[OPTIONAL_BODY] && operation.requestBody) operation.requestBody.required = false;
        delete operation[OPTIONAL_BODY];
      }
      return document as never;
    },
  } as SwaggerOptions;
}
