import { InvalidInputError, Money } from "@xpay-connect/core";
import { z } from "zod";
import { ORDER_REF } from "./backend";
import { GATEWAYS, PRODUCTS } from "./catalog";

/** The demo API's request schemas: each field says in its error what it expects, and the 400 names the field. */

const oneOf = (values: readonly string[], what = `one of ${values.join(", ")}`) => z.enum(values as [string, ...string[]], { error: what });
const optionalText = (what: string) => z.string({ error: what }).trim().optional();

/** A body that is not a JSON object is read as an empty one, so the answer names the first field it lacks. */
const objectBody = <T extends z.ZodType>(schema: T) => z.preprocess((body) => (body && typeof body === "object" && !Array.isArray(body) ? body : {}), schema);

/** POST /demo/api/orders: a product, a gateway and one of its methods, and the shopper. */
export const OrderRequest = objectBody(
  z
    .object({
      product: oneOf(PRODUCTS.map((p) => p.id)),
      gateway: oneOf(GATEWAYS.map((g) => g.id)),
      method: z.string({ error: "a payment method of the gateway" }),
      customer: z
        .object(
          { name: optionalText("the shopper's name as text"), email: optionalText("an email address as text"), phone: optionalText("a phone number as text") },
          { error: "an object with the shopper's name, email and phone" },
        )
        .optional(),
    })
    .superRefine((order, ctx) => {
      const gateway = GATEWAYS.find((g) => g.id === order.gateway);
      const methods = gateway?.methods.map((m) => m.id) ?? [];
      if (!methods.some((m) => m === order.method)) ctx.addIssue({ code: "custom", path: ["method"], message: `one of ${methods.join(", ")} for ${order.gateway}`, input: order.method });
    }),
);
export type OrderRequest = z.output<typeof OrderRequest>;

/** POST /demo/api/payouts: a PKR amount above zero, to an EasyPaisa or JazzCash wallet. */
export const PayoutRequest = objectBody(
  z.object({
    method: oneOf(["easypaisa", "jazzcash"], "easypaisa or jazzcash"),
    amount: z.string({ error: 'a PKR amount such as "250.00"' }).transform((text, ctx) => {
      let money: Money;
      try {
        money = Money.parse(text.trim(), "PKR", "amount");
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        ctx.addIssue({ code: "custom", message: error.expected, input: text });
        return z.NEVER;
      }
      if (money.minor <= 0) ctx.addIssue({ code: "custom", message: "more than zero", input: text });
      return money.format();
    }),
    name: optionalText("the recipient's name as text").default(""),
    mobile: optionalText("a wallet number as text").default(""),
  }),
);
export type PayoutRequest = z.output<typeof PayoutRequest>;

/** /demo/api/orders/:ref */
export const OrderParams = z.object({ ref: z.string().regex(ORDER_REF, { error: "an order reference like DEMO-1A2B3C4D" }) });

/** /demo/api/payouts/:id/sandbox/:action */
export const SandboxActionParams = z.object({ id: z.string(), action: z.enum(["approve", "decline"], { error: "approve or decline" }) });
export type SandboxActionParams = z.output<typeof SandboxActionParams>;

/** `value` read by `schema`; the first problem is a 400 `{error: {code, message, field}}` naming the field. */
export function parseRequest<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join(".") || "body";
  throw new InvalidInputError(field, issue?.message ?? "a valid request", valueAt(value, issue?.path ?? []));
}

/** What the request held at `path`, to say what was wrong with it. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let here = value;
  for (const key of path) here = here && typeof here === "object" ? (here as Record<PropertyKey, unknown>)[key] : undefined;
  return here;
}
