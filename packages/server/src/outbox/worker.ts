import { createHash, randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { fetch } from "undici";
import type { ServiceContext } from "../context";
import { int } from "../db/db";
import { safeError } from "../ops/log";
import { EndpointAddressError, guardedDispatcher, refuseLiteral } from "./address-guard";
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signStorefrontPayload } from "./signature";

/** How the delivery worker paces itself; every duration is injectable so tests drive time by the schedule, not by sleeping. */
export interface OutboxOptions {
  /** The wait after the first failed attempt; each further failure doubles it. */
  baseDelayMs: number;
  /** The longest wait between two attempts (the hourly phase). */
  maxDelayMs: number;
  /** A delivery still failing this long after its event was recorded is given up (kept, marked abandoned). */
  giveUpAfterMs: number;
  /** One attempt's bound: connect, send, and the endpoint's status line. */
  timeoutMs: number;
  /** How often to look for due deliveries (other instances' events, retries) besides the in-process wake-ups. */
  pollMs: number;
  /** Deliveries claimed at once; also the most endpoints served at once. */
  batch: number;
}

/** The production schedule: 5 s doubling to 1 h (about 11 attempts in the first 1.5 h, then hourly), given up after 72 h. */
export const DEFAULT_OUTBOX_OPTIONS: Readonly<OutboxOptions> = {
  baseDelayMs: 5_000,
  maxDelayMs: 3_600_000,
  giveUpAfterMs: 72 * 3_600_000,
  timeoutMs: 10_000,
  pollMs: 1_000,
  batch: 32,
};

let defaults: OutboxOptions = { ...DEFAULT_OUTBOX_OPTIONS };

/**
 * Changes the options `startOutbox` (the service's worker) uses from now on, e.g. a scaled retry
 * schedule in tests; answers a function that restores the previous ones.
 */
export function configureOutbox(options: Partial<OutboxOptions>): () => void {
  const previous = defaults;
  defaults = { ...defaults, ...options };
  return () => {
    defaults = previous;
  };
}

/** The options `startOutbox` uses now. */
export function outboxOptions(): Readonly<OutboxOptions> {
  return defaults;
}

/**
 * The wait before the next attempt after `attempts` failed ones: base * 2^(attempts-1), capped,
 * stretched by up to 10 % by a jitter seeded from `key` (the delivery), so deliveries that failed
 * together do not all come back at the same instant, yet the schedule is reproducible.
 */
export function retryDelayMs(attempts: number, key: string, options: Pick<OutboxOptions, "baseDelayMs" | "maxDelayMs"> = DEFAULT_OUTBOX_OPTIONS): number {
  const n = Math.max(1, Math.floor(attempts));
  const raw = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(n - 1, 40));
  const seed = createHash("sha256").update(`${key}\u0000${n}`).digest().readUInt16BE(0) / 0xffff;
  return Math.min(options.maxDelayMs, Math.round(raw * (1 + seed / 10)));
}

/** A claimed delivery with what sending it needs. */
interface Claimed {
  event_id: string;
  endpoint_id: string;
  attempts: number;
  payload: unknown;
  event_created_at: Date;
  url: string;
  secret_ciphertext: string;
  previous_secret_ciphertext: string | null;
}

/** What one attempt came to. */
interface Attempt {
  ok: boolean;
  status?: number;
  error?: string;
  /** The endpoint could not be reached at all (refused, reset, timed out): its other deliveries wait too. */
  unreachable: boolean;
}

/** A running delivery worker. */
export interface OutboxWorker {
  /** Looks for due deliveries now. */
  kick(): void;
  /** Stops claiming; finishes the attempts in flight and hands claimed-but-unsent deliveries back. */
  stop(): Promise<void>;
}

/**
 * The outbox delivery worker. The `deliveries` table is the queue and the source of truth: due rows
 * are claimed under a lease (FOR UPDATE SKIP LOCKED, a token per claim) so several instances share
 * the work and never send one delivery twice at once; each endpoint's claimed deliveries go one at a
 * time, oldest event first; each attempt renews its own lease just before sending, so a long queue
 * for one slow endpoint never outlives its lease. A 2xx marks the row delivered; anything else
 * schedules the next attempt (retryDelayMs) until giveUpAfterMs, then the row is marked abandoned.
 */
export function startOutboxWorker(ctx: ServiceContext, options: OutboxOptions = outboxOptions()): OutboxWorker {
  const log: Logger = ctx.log.child({ component: "outbox" });
  // A lease covers one attempt (renewed before each) with room for a slow database round trip.
  const leaseSeconds = Math.ceil(options.timeoutMs / 1000) + 30;
  const busy = new Map<string, Promise<void>>();
  let stopped = false;
  let draining: Promise<void> | undefined;
  let again = false;
  // Every connection's address is checked against the endpoint policy (SSRF, DNS rebinding).
  const dispatcher = guardedDispatcher(ctx.endpointPolicy);

  const kick = (): void => {
    if (stopped) return;
    if (draining) {
      again = true;
      return;
    }
    draining = drain()
      .catch((error: unknown) => log.warn({ err: safeError(error) }, "outbox: claiming deliveries failed; the next poll retries"))
      .finally(() => {
        draining = undefined;
        if (again) {
          again = false;
          kick();
        }
      });
  };

  async function drain(): Promise<void> {
    while (!stopped && busy.size < options.batch) {
      const token = randomBytes(12).toString("base64url");
      const rows = await ctx.db.query<Claimed>(
        `with claimed as (
           update deliveries d set next_attempt_at = now() + make_interval(secs => $1), lease_token = $2
           where (d.event_id, d.endpoint_id) in (
             select event_id, endpoint_id from deliveries
             where delivered_at is null and abandoned_at is null and next_attempt_at <= now() and not (endpoint_id = any($3::text[]))
             order by next_attempt_at, event_id limit $4 for update skip locked)
           returning d.event_id, d.endpoint_id, d.attempts)
         select c.event_id, c.endpoint_id, c.attempts, o.payload, o.created_at as event_created_at, e.url, e.secret_ciphertext,
                case when e.previous_secret_expires_at > now() then e.previous_secret_ciphertext end as previous_secret_ciphertext
         from claimed c join outbox_events o on o.id = c.event_id join endpoints e on e.id = c.endpoint_id`,
        [leaseSeconds, token, [...busy.keys()], options.batch - busy.size],
      );
      if (!rows.length) return;
      const byEndpoint = new Map<string, Claimed[]>();
      for (const row of rows) byEndpoint.set(row.endpoint_id, [...(byEndpoint.get(row.endpoint_id) ?? []), row]);
      for (const [endpointId, queue] of byEndpoint) {
        queue.sort((a, b) => new Date(a.event_created_at).getTime() - new Date(b.event_created_at).getTime() || a.event_id.localeCompare(b.event_id));
        const chain = serve(queue, token)
          .catch((error: unknown) => log.warn({ err: safeError(error), endpoint_id: endpointId }, "outbox: serving an endpoint failed; its leases expire and the deliveries are retried"))
          .finally(() => {
            busy.delete(endpointId);
            kick();
          });
        busy.set(endpointId, chain);
      }
    }
  }

  /** Sends one endpoint's claimed deliveries in order. */
  async function serve(queue: Claimed[], token: string): Promise<void> {
    for (let i = 0; i < queue.length; i++) {
      const row = queue[i] as Claimed;
      const rest = queue.slice(i + 1);
      if (stopped) return release([row, ...rest], token);
      // Renew the lease for this attempt; no row means another instance took it after our lease ran out.
      const [held] = await ctx.db.query<{ enabled: boolean }>(
        `update deliveries d set next_attempt_at = now() + make_interval(secs => $4) from endpoints e
         where e.id = d.endpoint_id and d.event_id = $1 and d.endpoint_id = $2 and d.lease_token = $3 and d.delivered_at is null
         returning e.enabled`,
        [row.event_id, row.endpoint_id, token, leaseSeconds],
      );
      if (!held) continue;
      if (!held.enabled) {
        // Disabled since the event was recorded (a delivery written as it was being disabled): give it up.
        await ctx.db.query(
          "update deliveries set abandoned_at = coalesce(abandoned_at, now()), last_error = coalesce(last_error, 'endpoint disabled'), lease_token = null where event_id = $1 and endpoint_id = $2 and lease_token = $3",
          [row.event_id, row.endpoint_id, token],
        );
        continue;
      }
      const attempt = await send(row);
      const attempts = int(row.attempts) + 1;
      if (attempt.ok) {
        await ctx.db.query(
          `update deliveries set delivered_at = now(), attempts = attempts + 1, last_status = $4, last_error = null, abandoned_at = null, lease_token = null
           where event_id = $1 and endpoint_id = $2 and lease_token = $3`,
          [row.event_id, row.endpoint_id, token, attempt.status ?? null],
        );
        log.debug({ event_id: row.event_id, endpoint_id: row.endpoint_id, attempts, status: attempt.status }, "outbox: delivered");
        ctx.events.emit("outbox.delivered", { eventId: row.event_id, endpointId: row.endpoint_id, attempts, lagMs: Date.now() - new Date(row.event_created_at).getTime() });
        continue;
      }
      const delayMs = retryDelayMs(attempts, `${row.event_id}\u0000${row.endpoint_id}`, options);
      const [after] = await ctx.db.query<{ abandoned: boolean }>(
        `update deliveries d set attempts = d.attempts + 1, last_status = $4, last_error = $5, lease_token = null,
           next_attempt_at = now() + make_interval(secs => $6),
           abandoned_at = coalesce(d.abandoned_at, case when o.created_at <= now() - make_interval(secs => $7) then now() end)
         from outbox_events o where o.id = d.event_id and d.event_id = $1 and d.endpoint_id = $2 and d.lease_token = $3
         returning d.abandoned_at is not null as abandoned`,
        [row.event_id, row.endpoint_id, token, attempt.status ?? null, attempt.error ?? null, delayMs / 1000, options.giveUpAfterMs / 1000],
      );
      const fields = { event_id: row.event_id, endpoint_id: row.endpoint_id, attempts, status: attempt.status, error: attempt.error };
      ctx.events.emit("outbox.failed", { eventId: row.event_id, endpointId: row.endpoint_id, attempts, abandoned: Boolean(after?.abandoned) });
      if (after?.abandoned) {
        log.error(fields, "outbox: delivery given up");
        continue;
      }
      log.warn({ ...fields, retry_in_ms: delayMs }, "outbox: delivery failed; retrying later");
      // An unreachable endpoint is down for every event: the rest wait with this one instead of each timing out.
      if (attempt.unreachable && rest.length) return release(rest, token, row);
    }
  }

  /**
   * Hands claimed deliveries back without counting an attempt: due now (stopping), or at the very
   * instant `with` is due again, so the next claim takes them together and `with` goes first again.
   */
  async function release(rows: Claimed[], token: string, withRow?: Claimed): Promise<void> {
    for (const row of rows) {
      await ctx.db.query(
        `update deliveries set lease_token = null,
           next_attempt_at = coalesce((select h.next_attempt_at from deliveries h where h.event_id = $4 and h.endpoint_id = $2), now())
         where event_id = $1 and endpoint_id = $2 and lease_token = $3`,
        [row.event_id, row.endpoint_id, token, withRow?.event_id ?? null],
      );
    }
  }

  /** One signed POST of the event's payload. */
  async function send(row: Claimed): Promise<Attempt> {
    let secrets: string[];
    try {
      secrets = [ctx.secrets.decrypt(row.secret_ciphertext), ...(row.previous_secret_ciphertext ? [ctx.secrets.decrypt(row.previous_secret_ciphertext)] : [])];
    } catch {
      // A secret sealed under another master key: nothing can be signed until the key is fixed; retried on the schedule.
      return { ok: false, error: "the endpoint's secret cannot be decrypted with this XPAY_CONNECT_KEY", unreachable: false };
    }
    const literal = refuseLiteral(row.url, ctx.endpointPolicy);
    if (literal) return { ok: false, error: `refused: ${literal.message}`, unreachable: true };
    const body = JSON.stringify(row.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(row.url, {
        method: "POST",
        body,
        redirect: "manual",
        dispatcher,
        signal: AbortSignal.timeout(options.timeoutMs),
        headers: {
          "content-type": "application/json",
          "user-agent": "xpay-connect-outbox/1",
          [SIGNATURE_HEADER]: signStorefrontPayload(body, secrets, timestamp),
          [EVENT_ID_HEADER]: row.event_id,
        },
      });
      const snippet = await readSnippet(res);
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, unreachable: false };
      return { ok: false, status: res.status, error: `HTTP ${res.status}${snippet ? `: ${snippet}` : ""}`, unreachable: false };
    } catch (error) {
      return { ok: false, error: describeFailure(error, options.timeoutMs), unreachable: true };
    }
  }

  const wake = (): void => kick();
  ctx.events.on("payment.changed", wake);
  ctx.events.on("outbox.recorded", wake);
  const timer = setInterval(kick, options.pollMs);
  timer.unref();
  kick();

  return {
    kick,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      ctx.events.off("payment.changed", wake);
      ctx.events.off("outbox.recorded", wake);
      await draining;
      await Promise.allSettled([...busy.values()]);
      await dispatcher.close().catch(() => undefined);
    },
  };
}

/** The first 200 characters of an endpoint's answer, for the delivery's last_error; the rest is discarded. */
async function readSnippet(res: Awaited<ReturnType<typeof fetch>>): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  try {
    const { value } = await reader.read();
    return value ? Buffer.from(value).toString("utf8", 0, Math.min(value.length, 200)).replace(/\s+/g, " ").trim() : "";
  } catch {
    return "";
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Why an attempt could not reach the endpoint, in words (no URL: it may carry a storefront's own token). */
function describeFailure(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; cause?: { code?: string; name?: string }; code?: string };
  if (e.cause instanceof EndpointAddressError) return `refused: ${e.cause.message}`;
  if (e.name === "TimeoutError" || e.cause?.name === "TimeoutError") return `timeout after ${timeoutMs} ms`;
  const code = e.cause?.code ?? e.code;
  return code ? `unreachable: ${code}` : "unreachable";
}
