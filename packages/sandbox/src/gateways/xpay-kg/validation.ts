import { z } from "zod";
import { json, type SandboxResponse } from "../../http";
import { isUrl } from "../../orders";
import { firstProblem } from "../../validation";

/** `comments` and `service_name` longer than this are refused with HTTP 409 (anchors). */
export const XPAY_KG_TEXT_MAX = 32;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Laravel-style answers of the gateway. */
export const error = (status: number, message: string): SandboxResponse => json(status, { status: "Error", message });
export const invalid = (field: string, message: string): SandboxResponse => json(422, { status: "Error", message, errors: { [field]: [message] } });
export const unauthenticated = (): SandboxResponse => error(401, "Unauthenticated.");
export const notFound = (): SandboxResponse => error(404, "QR Code not found");

/** "payer_id" -> "payer id", as Laravel names a field in its messages. */
const words = (field: string) => field.replace("_", " ");
const filled = (field: string) => {
  const message = `The ${words(field)} field is required.`;
  return z.string({ error: message }).refine((v) => v !== "", { error: message, abort: true });
};
const id = (field: string) => {
  const message = `The ${words(field)} must be a string of at most 255 characters.`;
  return z.string({ error: message }).max(255, { error: message }).nullable().optional();
};
const text = (field: string) =>
  z
    .string({ error: `The ${words(field)} must be a string.` })
    .refine((v) => v.length <= XPAY_KG_TEXT_MAX, { error: `The ${words(field)} must not be greater than ${XPAY_KG_TEXT_MAX} characters.`, params: { status: 409 } })
    .nullable()
    .optional();
const url = (field: string) => z.custom<string>(isUrl, { error: `The ${words(field)} must be a valid URL.` }).nullable().optional();

/** The login body: the client credentials. */
export const loginBody = z.object({ client_id: filled("client_id"), client_secret: filled("client_secret") });

/** A QR request (spec 004), fields in the order the gateway checks them. */
export const qrBody = z.object({
  uuid: filled("uuid").refine((v) => UUID.test(v), { error: "The uuid must be a valid UUID." }),
  type: z.enum(["dynamic", "static"], { error: "The selected type is invalid." }).optional(),
  payer_id: id("payer_id"),
  service_id: id("service_id"),
  service_name: text("service_name"),
  comments: text("comments"),
  callback_url: url("callback_url"),
  return_url: url("return_url"),
  check_url: url("check_url"),
  amount_change: z.boolean({ error: "The amount change field must be true or false." }).optional(),
  amount: z
    .custom<number>((v) => v !== undefined && v !== null, { error: "The amount field is required.", abort: true })
    .refine((v) => Number.isSafeInteger(v), { error: "The amount must be an integer.", abort: true })
    .refine((v) => v >= 1, { error: "The amount must be at least 1." }),
});

/** The gateway's answer to the first bad field: 422 naming it, or the status the schema gave (409 for long texts). */
export function bodyProblem(schema: z.ZodType, body: Record<string, unknown>): SandboxResponse | undefined {
  const problem = firstProblem(schema, body);
  if (!problem) return undefined;
  return typeof problem.params?.status === "number" ? error(problem.params.status, problem.message) : invalid(problem.field, problem.message);
}
