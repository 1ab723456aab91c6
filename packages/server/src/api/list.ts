import { z } from "zod";
import type { ServiceContext } from "../context";
import type { PaymentRow } from "../payments";
import { GatewayIdSchema, PaymentStatusSchema, storable, text } from "./schemas";

/** A page position: the last row of the previous page. */
interface Cursor {
  at: string;
  id: string;
}

function encodeCursor(p: PaymentRow): string {
  return Buffer.from(`${new Date(p.created_at).toISOString()}|${p.id}`).toString("base64url");
}

const LIMIT = "expected an integer from 1 to 100, in digits";

/** The query of GET /v1/payments and GET /v1/payouts. */
export const ListQuery = z.object({
  // Digits only: Number() would also take "10.0", "1e1", " 10", "0x10".
  limit: z
    .string({ error: LIMIT })
    .regex(/^[0-9]{1,3}$/, LIMIT)
    .transform(Number)
    .pipe(z.number().int(LIMIT).min(1, LIMIT).max(100, LIMIT))
    .default(20)
    .meta({ description: "Page size: an integer from 1 to 100, in digits (default 20).", examples: ["20"] }),
  status: PaymentStatusSchema.optional().meta({ description: "Only this status." }),
  gateway: GatewayIdSchema.optional().meta({ description: "Only this gateway." }),
  order_ref: text(128).optional().meta({ description: "Only this merchant order reference." }),
  starting_after: z
    .string()
    .transform((value, check): Cursor => {
      const [at, id] = Buffer.from(value, "base64url").toString("utf8").split("|");
      if (at && id && !Number.isNaN(Date.parse(at)) && storable(id)) return { at, id };
      check.addIssue({ code: "custom", message: "expected a next_cursor from a previous page" });
      return z.NEVER;
    })
    .optional()
    .meta({ description: "The `next_cursor` of the previous page." }),
});

/** Lists a merchant's payments or payouts, newest first, with filters and a cursor. */
export async function listPayments<T>(ctx: ServiceContext, merchantId: string, query: z.output<typeof ListQuery>, kind: PaymentRow["kind"], json: (row: PaymentRow) => T) {
  const where = ["merchant_id = $1", "kind = $2"];
  const params: unknown[] = [merchantId, kind];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace("?", `$${params.length}`));
  };
  if (query.status !== undefined) add("status = ?", query.status);
  if (query.gateway !== undefined) add("gateway = ?", query.gateway);
  if (query.order_ref !== undefined) add("order_ref = ?", query.order_ref);
  if (query.starting_after !== undefined) {
    params.push(query.starting_after.at, query.starting_after.id);
    where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(query.limit + 1);
  const rows = await ctx.db.query<PaymentRow>(`select * from payments where ${where.join(" and ")} order by created_at desc, id desc limit $${params.length}`, params);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    object: "list" as const,
    data: page.map(json),
    has_more: rows.length > query.limit,
    next_cursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}
