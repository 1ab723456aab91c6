import { createHash } from "node:crypto";
import { InvalidInputError } from "@xpay-connect/core";
import type { Db } from "../db/db";
import { ApiError, errorReply } from "./errors";

/** A stored answer: status and body. */
export interface Answer {
  status: number;
  body: unknown;
}

/**
 * Stripe's idempotency: the first answer for a key is stored and replayed for the same key and
 * body; the same key with another body is refused (422); a key whose first request is still
 * running answers 409. Input errors (nothing happened) are not stored, so a fixed request can reuse the key.
 */
export async function idempotent(db: Db, merchantId: string, key: string | undefined, request: unknown, run: () => Promise<Answer>): Promise<Answer> {
  if (key === undefined) return run();
  const hash = createHash("sha256").update(JSON.stringify(request)).digest("hex");
  const claimed = await db.query(
    "insert into idempotency_keys (merchant_id, key, request_hash) values ($1, $2, $3) on conflict do nothing returning key",
    [merchantId, key, hash],
  );
  if (!claimed.length) {
    const [row] = await db.query<{ request_hash: string; status_code: number | null; response: unknown }>(
      "select request_hash, status_code, response from idempotency_keys where merchant_id = $1 and key = $2",
      [merchantId, key],
    );
    if (row && row.request_hash !== hash) {
      throw new ApiError(422, "idempotency_key_reused", "Idempotency-Key: this key was used with a different request body; use a new key", "Idempotency-Key");
    }
    if (!row || row.status_code === null) throw new ApiError(409, "idempotency_in_progress", "Idempotency-Key: the first request with this key is still running; retry shortly");
    return { status: row.status_code, body: row.response };
  }
  let answer: Answer;
  try {
    answer = await run();
  } catch (error) {
    const reply = errorReply(error);
    if (error instanceof InvalidInputError || error instanceof ApiError) {
      await db.query("delete from idempotency_keys where merchant_id = $1 and key = $2", [merchantId, key]);
      throw error;
    }
    answer = { status: reply.status, body: reply.body };
  }
  await db.query("update idempotency_keys set status_code = $3, response = $4 where merchant_id = $1 and key = $2", [merchantId, key, answer.status, JSON.stringify(answer.body)]);
  return answer;
}
