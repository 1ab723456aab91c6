/**
 * Every GraphQL document the app can send (src/graphql/documents.ts, the one module that holds them)
 * validated against Shopify's real Payments Apps schema 2026-07 (the sandbox's copy of @shopify/dev-mcp's
 * introspection), and every mutation the queue sends maps to one of them.
 */
import { Kind, assertEnumType, parse, validate, type OperationDefinitionNode } from "graphql";
import { paymentsAppsSchema } from "@xpay-connect/sandbox";
import * as documents from "../src/graphql/documents";
import { OPERATIONS } from "../src/mutations/operations";

const sent = Object.entries(documents as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === "string" && /^\s*mutation\b/.test(entry[1]));

it("finds every document of the module (nine session mutations and paymentsAppConfigure)", () => {
  expect(sent.map(([name]) => name).sort()).toEqual(
    [
      "CAPTURE_SESSION_REJECT",
      "CAPTURE_SESSION_RESOLVE",
      "PAYMENTS_APP_CONFIGURE",
      "PAYMENT_SESSION_PENDING",
      "PAYMENT_SESSION_REJECT",
      "PAYMENT_SESSION_RESOLVE",
      "REFUND_SESSION_REJECT",
      "REFUND_SESSION_RESOLVE",
      "VOID_SESSION_REJECT",
      "VOID_SESSION_RESOLVE",
    ].sort(),
  );
});

it.each(sent)("%s is valid against the 2026-07 schema", (_name, document) => {
  expect(validate(paymentsAppsSchema(), parse(document)).map((e) => e.message)).toEqual([]);
});

it("refuses what Shopify refuses (the check can fail): the removed `status` field, `code` on UserError", () => {
  const bad = "mutation R($id: ID!) { paymentSessionResolve(id: $id) { paymentSession { status { code } } userErrors { code } } }";
  const messages = validate(paymentsAppsSchema(), parse(bad)).map((e) => e.message);
  expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('Cannot query field "status"'), expect.stringContaining('Cannot query field "code" on type "UserError"')]));
});

it("names each queued operation after its document's operation, with the root field the queue reads", () => {
  for (const [operation, { document, field }] of Object.entries(OPERATIONS)) {
    const definition = parse(document).definitions[0] as OperationDefinitionNode;
    expect(definition.kind).toBe(Kind.OPERATION_DEFINITION);
    expect(definition.name?.value).toBe(operation);
    const root = definition.selectionSet.selections[0];
    expect(root?.kind === Kind.FIELD ? root.name.value : undefined).toBe(field);
    expect(sent.some(([, d]) => d === document)).toBe(true);
  }
});

it("sends reject reasons and pending reasons the schema's enums hold", () => {
  const schema = paymentsAppsSchema();
  const values = (name: string) => assertEnumType(schema.getType(name)).getValues().map((v) => v.name);
  expect(values("PaymentSessionStateRejectedReason")).toEqual(expect.arrayContaining(["CARD_DECLINED", "INSTRUMENT_DECLINED", "INSUFFICIENT_FUNDS", "CANCELLED_PAYMENT", "PROCESSING_ERROR"]));
  expect(values("PaymentSessionStatePendingReason")).toContain("BUYER_ACTION_REQUIRED");
  for (const kind of ["Refund", "Capture", "Void"]) expect(values(`${kind}SessionStatusReasonRejectionCode`)).toContain("PROCESSING_ERROR");
});
