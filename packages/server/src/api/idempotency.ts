import { createHash, randomUUID } from "node:crypto";
import { InvalidInputError } from "@xpay-connect/core";
import type { Db, Sql } from "../db/db";
import { ApiError, errorReply } from "./errors";

/** A stored answer: status and body. */
export interface Answer {
  status: number;
  body: unknown;
}

/**
 * Records, in the transaction that stores it, the object a keyed request creates: a retry that
 * reclaims the key after the request died answers from that object instead of creating another.
 * Throws 409 `idempotency_in_progress` (rolling the transaction back) when the key was reclaimed meanwhile.
 */
export type BindKey = (sql: Sql, resourceId: string) => Promise<void>;

/** How a keyed route survives a request that died: the lock timeout, and the answer rebuilt from the object it stored. */
export interface Recovery {
  lockSeconds: number;
  recover: (resourceId: string) => Promise<Answer | undefined>;
}

const IN_PROGRESS = "Idempotency-Key: the first request with this key is still running; retry shortly";

/**
 * Stripe's idempotency: the first answer for a key is stored and replayed for the same key and
 * body; the same key with another body is refused (422); a key whose first request is still
 * running answers 409. Input errors (nothing happened) are not stored, so a fixed request can reuse the key.
 * A key whose request never answered (a crash) is reclaimed after `lockSeconds`: if that request
 * stored its object, the retry answers from it (never sends again); otherwise the retry runs afresh.
 */
export async function idempotent(db: Db, merchantId: string, key: string | undefined, request: unknown, run: (bind: BindKey) => Promise<Answer>, recovery: Recovery): Promise<Answer> {
  if (key === undefined) return run(async () => undefined);
  const hash = createHash("sha256").update(JSON.stringify(request)).digest("hex");
  const token = randomUUID();
  const claimed = await db.query(
    "insert into idempotency_keys (merchant_id, key, request_hash, lock_token) values ($1, $2, $3, $4) on conflict do nothing returning key",
    [merchantId, key, hash, token],
  );
  if (!claimed.length) {
    const [row] = await db.query<{ request_hash: string; status_code: number | null; response: unknown }>(
      "select request_hash, status_code, response from idempotency_keys where merchant_id = $1 and key = $2",
      [merchantId, key],
    );
    if (row && row.request_hash !== hash) {
      throw new ApiError(422, "idempotency_key_reused", "Idempotency-Key: this key was used with a different request body; use a new key", "Idempotency-Key");
    }
    if (row && row.status_code !== null) return { status: row.status_code, body: row.response };
    // Still unanswered: running, or its request died. Only a lock older than the timeout is taken over, by one retry.
    const [taken] = await db.query<{ resource_id: string | null }>(
      `update idempotency_keys set locked_at = now(), lock_token = $4
       where merchant_id = $1 and key = $2 and request_hash = $3 and status_code is null and locked_at < now() - make_interval(secs => $5)
       returning resource_id`,
      [merchantId, key, hash, token, recovery.lockSeconds],
    );
    if (!taken) throw new ApiError(409, "idempotency_in_progress", IN_PROGRESS, "Idempotency-Key");
    const recovered = taken.resource_id === null ? undefined : await recovery.recover(taken.resource_id);
    if (recovered) return store(db, merchantId, key, token, recovered);
  }
  const bind: BindKey = async (sql, resourceId) => {
    const bound = await sql.query("update idempotency_keys set resource_id = $3 where merchant_id = $1 and key = $2 and lock_token = $4 returning key", [merchantId, key, resourceId, token]);
    if (!bound.length) throw new ApiError(409, "idempotency_in_progress", IN_PROGRESS, "Idempotency-Key");
  };
  let answer: Answer;
  try {
    answer = await run(bind);
  } catch (error) {
    const reply = errorReply(error);
    if (error instanceof InvalidInputError || error instanceof ApiError) {
      // Only while this request still holds the key: a retry that reclaimed it keeps it.
      await db.query("delete from idempotency_keys where merchant_id = $1 and key = $2 and lock_token = $3", [merchantId, key, token]);
      throw error;
    }
    answer = { status: reply.status, body: reply.body };
  }
  return store(db, merchantId, key, token, answer);
}

/** Stores the key's answer while this request holds it; a request that lost its key to a retry answers its own client only. */
async function store(db: Db, merchantId: string, key: string, token: string, answer: Answer): Promise<Answer> {
  await db.query("update idempotency_keys set status_code = $3, response = $4 where merchant_id = $1 and key = $2 and lock_token = $5 and status_code is null", [
    merchantId,
    key,
    answer.status,
    JSON.stringify(answer.body),
    token,
  ]);
  return answer;
}
