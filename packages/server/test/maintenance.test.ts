/** Housekeeping runs on pg-boss (on PGlite and on PostgreSQL): expired idempotency keys and old callbacks go, fresh ones stay. */
import { once } from "node:events";
import { MAINTENANCE_QUEUE } from "../src/maintenance";
import { useStack, type Stack } from "./harness";

describe.each([["pglite"], ["postgres"]])("maintenance on %s", (kind) => {
  let stack: Stack | undefined;
  useStack(kind, (s) => (stack = s));

  it("a pg-boss job prunes idempotency keys older than 24 h, processed callbacks older than 30 days and unreadable ones older than an hour, nothing else", async () => {
    if (!stack) return;
    const { db, jobs, events } = stack.service.ctx;
    const m = stack.merchantId;
    await db.query(
      `insert into idempotency_keys (merchant_id, key, request_hash, status_code, response, created_at) values
       ($1, 'old', 'h', 201, '{}', now() - interval '25 hours'), ($1, 'fresh', 'h', 201, '{}', now() - interval '23 hours'),
       ($1, 'running', 'h', null, null, now() - interval '25 hours')`,
      [m],
    );
    await db.query(
      `insert into callbacks (gateway, raw_body, state, processed_at) values
       ('xpress-pay', 'old', 'applied', now() - interval '31 days'), ('xpress-pay', 'recent', 'applied', now() - interval '29 days'),
       ('xpress-pay', 'waiting', 'received', null)`,
    );
    await db.query(
      `insert into callbacks (gateway, raw_body, state, outcome, processed_at) values
       ('xpress-pay', 'garbage', 'rejected', 'malformed', now() - interval '2 hours'), ('xpress-pay', 'fresh garbage', 'rejected', 'malformed', now() - interval '10 minutes'),
       ('xpress-pay', 'forged', 'rejected', 'bad_token', now() - interval '2 hours')`,
    );
    const done = once(events, "maintenance.done");
    await jobs.send(MAINTENANCE_QUEUE, {});
    const [removed] = (await done) as [{ idempotencyKeys: number; callbacks: number }];
    expect(removed).toEqual({ idempotencyKeys: 1, callbacks: 2 });
    expect((await db.query<{ key: string }>("select key from idempotency_keys where merchant_id = $1 order by key", [m])).map((r) => r.key)).toEqual(["fresh", "running"]);
    expect((await db.query<{ raw_body: string }>("select raw_body from callbacks order by id")).map((r) => r.raw_body)).toEqual(["recent", "waiting", "fresh garbage", "forged"]);
  });
});
