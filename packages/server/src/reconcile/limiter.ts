import type { Db } from "../db/db";

/** A clock this far behind the bucket's last refill has jumped (or is a test's): the bucket starts afresh. */
const CLOCK_JUMP_MS = 60_000;

/**
 * A token bucket per gateway kept in the database, so the rate holds for every instance together:
 * `ratePerSecond` tokens a second, at most `burst` saved up. Time is the caller's clock (ms), so a
 * test can move it; taking tokens never waits: what is not granted now is left for a later pass.
 */
export class GatewayRateLimit {
  constructor(
    private readonly db: Db,
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {}

  /** Takes up to `wanted` tokens of `gateway` at time `nowMs`; answers how many were granted. */
  async take(gateway: string, wanted: number, nowMs: number): Promise<number> {
    if (wanted <= 0) return 0;
    await this.db.query("insert into reconcile_limits (gateway, tokens, refilled_ms) values ($1, $2, $3) on conflict (gateway) do nothing", [gateway, this.burst, nowMs]);
    // One statement under the row lock: refill by the time elapsed, grant what is whole, keep the rest.
    // A clock slightly behind another instance's refills nothing (the rate holds); one that jumped (over a minute) starts afresh.
    const [row] = await this.db.query<{ granted: number | string }>(
      `with cur as (
         select gateway, tokens, refilled_ms, $3::float8 - refilled_ms as elapsed from reconcile_limits where gateway = $1 for update
       ), refilled as (
         select gateway,
                case when elapsed < -$6::float8 then $2::float8 else least($2::float8, tokens + greatest(0, elapsed) * $4::float8 / 1000) end as t,
                case when elapsed >= 0 or elapsed < -$6::float8 then $3::float8 else refilled_ms end as at
         from cur
       )
       update reconcile_limits r set tokens = refilled.t - least($5::float8, floor(refilled.t)), refilled_ms = refilled.at
       from refilled where r.gateway = refilled.gateway
       returning least($5::float8, floor(refilled.t))::int as granted`,
      [gateway, this.burst, nowMs, this.ratePerSecond, wanted, CLOCK_JUMP_MS],
    );
    return Math.max(0, Number(row?.granted ?? 0));
  }

  /** Returns tokens granted but not used (fewer payments were left to claim than expected). */
  async giveBack(gateway: string, unused: number): Promise<void> {
    if (unused <= 0) return;
    await this.db.query("update reconcile_limits set tokens = least($2::float8, tokens + $3::float8) where gateway = $1", [gateway, this.burst, unused]);
  }
}
