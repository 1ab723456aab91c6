import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { Db, Sql } from "@xpay-connect/server";
import { sendPaymentsAppsMutation, type GraphqlAnswer } from "../graphql/client";
import { GIVE_UP_AFTER_SECONDS, NOT_YET_RECEIVED, OPERATIONS, retryDelaySeconds, type Operation } from "./operations";

/** A mutation to send: one per session and operation (a unique key), whatever asks twice. */
export interface MutationJob {
  shop: string;
  /** Shopify's session id (payment, refund, capture or void). */
  sessionId: string;
  /** The session's gid, the mutation's `id`. */
  sessionGid: string;
  operation: Operation;
  /** Variables besides `id`. */
  variables?: Record<string, unknown>;
}

/** A stored mutation. */
export interface MutationRow {
  id: number;
  shop: string;
  session_id: string;
  session_gid: string;
  operation: Operation;
  variables: Record<string, unknown>;
  status: "pending" | "accepted" | "failed" | "cancelled";
  attempts: number;
  last_error: string | null;
  redirect_url: string | null;
  created_at: Date;
}

/** What the queue needs from the app. */
export interface MutationQueueDeps {
  db: Db;
  log: Logger;
  /** Where Shopify serves a shop (`https://<shop>`, or the emulator's store origin). */
  shopifyOrigin(shop: string): string;
  /** A valid access token for the shop, or undefined when the shop uninstalled the app (its mutations stop). */
  accessToken(shop: string): Promise<string | undefined>;
}

export interface MutationQueueOptions {
  /** How often due mutations are looked for besides kicks (ms). */
  pollMs?: number;
  /** Multiplies the retry schedule (tests: 0.01). */
  retryScale?: number;
  /** Mutations claimed at once. */
  batch?: number;
}

/** How long a claim holds a row: one GraphQL call, with room to spare. */
const LEASE_SECONDS = 60;

/**
 * Mutations to Shopify as durable jobs: rows in `shopify_mutations` (unique per session and
 * operation) claimed under a lease (FOR UPDATE SKIP LOCKED), so several instances share them and a
 * restart resumes them. A mutation is retried with backoff until Shopify accepts it: on no answer,
 * HTTP 5xx/429, THROTTLED, a refused token, and Shopify's "not yet received" userError; any other
 * userError is final. A shop that uninstalled the app has its mutations cancelled.
 */
export class MutationQueue {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly pollMs: number;
  private readonly retryScale: number;
  private readonly batch: number;

  constructor(
    private readonly deps: MutationQueueDeps,
    options: MutationQueueOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.retryScale = options.retryScale ?? 1;
    this.batch = options.batch ?? 8;
  }

  /** Stores a mutation in `sql`'s transaction; false when that session already has this operation. */
  async enqueue(sql: Sql, job: MutationJob): Promise<boolean> {
    const rows = await sql.query(
      `insert into shopify_mutations (shop, session_id, session_gid, operation, variables) values ($1, $2, $3, $4, $5)
       on conflict (session_gid, operation) do nothing returning id`,
      [job.shop, job.sessionId, job.sessionGid, job.operation, JSON.stringify(job.variables ?? {})],
    );
    return rows.length > 0;
  }

  /** The accepted mutations of a session, oldest first. */
  async acceptedFor(sessionGid: string): Promise<MutationRow[]> {
    return this.deps.db.query<MutationRow>("select * from shopify_mutations where session_gid = $1 and status = 'accepted' order by accepted_at, id", [sessionGid]);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Looks for due mutations now. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          while (!this.stopped && (await this.drainOnce()) > 0);
        } catch (error) {
          this.deps.log.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, "shopify mutations: a pass failed; the next poll retries");
        }
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = undefined));
  }

  /** Stops claiming and waits for the attempts in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Claims due mutations and sends them; answers how many were claimed. */
  async drainOnce(): Promise<number> {
    const token = randomBytes(12).toString("base64url");
    const rows = await this.deps.db.query<MutationRow>(
      `update shopify_mutations set next_attempt_at = now() + make_interval(secs => $1), lease_token = $2, attempts = attempts + 1, updated_at = now()
       where id in (select id from shopify_mutations where status = 'pending' and next_attempt_at <= now()
                    order by next_attempt_at, id limit $3 for update skip locked)
       returning *`,
      [LEASE_SECONDS, token, this.batch],
    );
    await Promise.all(rows.map((row) => this.attempt(row, token)));
    return rows.length;
  }

  private async attempt(row: MutationRow, token: string): Promise<void> {
    const log = this.deps.log.child({ component: "shopify-mutations", shop: row.shop, session: row.session_id, operation: row.operation, attempt: row.attempts });
    const accessToken = await this.deps.accessToken(row.shop);
    if (!accessToken) {
      await this.finish(row, token, "cancelled", "the shop uninstalled the app (no access token)");
      log.info("shopify mutation cancelled: the shop uninstalled the app");
      return;
    }
    const { document, field } = OPERATIONS[row.operation];
    const answer = await sendPaymentsAppsMutation(this.deps.shopifyOrigin(row.shop), accessToken, document, { ...row.variables, id: row.session_gid }, field);
    const verdict = judge(answer);
    if (verdict.kind === "accepted") {
      const redirect = redirectUrlOf(answer.payload);
      await this.deps.db.query(
        `update shopify_mutations set status = 'accepted', accepted_at = now(), redirect_url = $3, last_error = null, lease_token = null, updated_at = now()
         where id = $1 and lease_token = $2`,
        [row.id, token, redirect ?? null],
      );
      log.info("shopify mutation accepted");
      return;
    }
    const ageSeconds = (Date.now() - new Date(row.created_at).getTime()) / 1000;
    if (verdict.kind === "final" || ageSeconds > GIVE_UP_AFTER_SECONDS) {
      await this.finish(row, token, "failed", verdict.reason);
      log.error({ reason: verdict.reason }, verdict.kind === "final" ? "shopify refused the mutation; a person must look" : "shopify mutation given up after retrying for 3 days");
      return;
    }
    const delay = retryDelaySeconds(row.attempts, this.retryScale);
    await this.deps.db.query(
      "update shopify_mutations set next_attempt_at = now() + make_interval(secs => $3), last_error = $4, lease_token = null, updated_at = now() where id = $1 and lease_token = $2",
      [row.id, token, delay, verdict.reason],
    );
    log.info({ reason: verdict.reason, retryInSeconds: delay }, "shopify mutation not accepted yet; retrying");
    setTimeout(() => this.kick(), delay * 1000 + 5).unref();
  }

  private async finish(row: MutationRow, token: string, status: "failed" | "cancelled", reason: string): Promise<void> {
    await this.deps.db.query("update shopify_mutations set status = $3, last_error = $4, lease_token = null, updated_at = now() where id = $1 and lease_token = $2", [row.id, token, status, reason]);
  }
}

/** Stops a shop's pending mutations (the app was uninstalled). */
export async function cancelShopMutations(sql: Sql, shop: string): Promise<number> {
  const rows = await sql.query("update shopify_mutations set status = 'cancelled', last_error = 'the shop uninstalled the app', updated_at = now() where shop = $1 and status = 'pending' returning id", [shop]);
  return rows.length;
}

type Verdict = { kind: "accepted" } | { kind: "retry"; reason: string } | { kind: "final"; reason: string };

const RETRIED_CODES = new Set(["THROTTLED", "INTERNAL_SERVER_ERROR", "SHOP_INACTIVE"]);

/** Whether Shopify accepted the mutation, refused it for good, or should be asked again. */
export function judge(answer: GraphqlAnswer): Verdict {
  if (answer.payload) {
    const userErrors = (answer.payload.userErrors ?? []) as { field?: string[]; message?: string; code?: string }[];
    if (!userErrors.length) return { kind: "accepted" };
    const text = userErrors.map((e) => `${e.code ? `${e.code}: ` : ""}${e.message ?? ""}`).join("; ");
    if (userErrors.some((e) => e.message?.includes(NOT_YET_RECEIVED))) return { kind: "retry", reason: `not yet received by Shopify: ${text}` };
    return { kind: "final", reason: `userErrors: ${text}` };
  }
  const status = answer.httpStatus;
  if (answer.errorCodes.some((c) => RETRIED_CODES.has(c))) return { kind: "retry", reason: `Shopify answered ${answer.errorCodes.join(", ")}` };
  if (status === undefined || status === 200) return { kind: "final", reason: `Shopify refused the document: ${answer.errorCodes.join("; ") || answer.error || "no payload"}` };
  return { kind: "retry", reason: status === 0 ? `no answer from Shopify (${answer.error ?? "network error"})` : `Shopify answered HTTP ${status}` };
}

/** `paymentSession.nextAction.context.redirectUrl` of a payment session mutation's payload. */
function redirectUrlOf(payload: Record<string, unknown> | undefined): string | undefined {
  const session = payload?.paymentSession as { nextAction?: { context?: { redirectUrl?: unknown } } } | null | undefined;
  const url = session?.nextAction?.context?.redirectUrl;
  return typeof url === "string" ? url : undefined;
}
