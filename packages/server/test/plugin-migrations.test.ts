import { randomBytes } from "node:crypto";
import pino from "pino";
import { openPglite } from "../src/db/pglite";
import { launch } from "../src/demo/launch";
import { migrate, MIGRATIONS, type PluginMigration } from "../src";

describe("plugin migrations (startService's migrations option)", () => {
  const plugin: PluginMigration[] = [
    { id: "example-1", name: "a table", sql: "create table example_things (id text primary key);\ncreate index example_things_by_id on example_things (id);" },
    { id: "example-2", name: "a column", sql: "alter table example_things add column note text" },
  ];

  it("applies a plugin's steps after the service's, once, recorded by their namespaced ids", async () => {
    const db = await openPglite();
    try {
      const first = await migrate(db, plugin);
      expect(first).toEqual([...MIGRATIONS.map((m) => m.id), "example-1", "example-2"]);
      expect(await migrate(db, plugin)).toEqual([]);
      await db.query("insert into example_things (id, note) values ('a', 'b')");
      const recorded = await db.query<{ id: string }>("select id from plugin_migrations order by id");
      expect(recorded.map((r) => r.id)).toEqual(["example-1", "example-2"]);
      // A later step of the same plugin is applied alone.
      expect(await migrate(db, [...plugin, { id: "example-3", name: "another", sql: "alter table example_things add column other int" }])).toEqual(["example-3"]);
    } finally {
      await db.close();
    }
  });

  it("rolls a failing step back and applies it on the next start", async () => {
    const db = await openPglite();
    try {
      await expect(migrate(db, [{ id: "broken-1", name: "broken", sql: "create table half_done (id int);\nselect * from no_such_table" }])).rejects.toThrow(/no_such_table/);
      expect(await db.query("select 1 from plugin_migrations where id = 'broken-1'")).toEqual([]);
      expect(await db.query("select to_regclass('half_done') as t")).toEqual([{ t: null }]);
      expect(await migrate(db, [{ id: "broken-1", name: "fixed", sql: "create table half_done (id int)" }])).toEqual(["broken-1"]);
    } finally {
      await db.close();
    }
  });

  it("leaves a database without plugins as it was (no plugin_migrations table)", async () => {
    const db = await openPglite();
    try {
      await migrate(db);
      expect(await db.query("select to_regclass('plugin_migrations') as t")).toEqual([{ t: null }]);
    } finally {
      await db.close();
    }
  });

  it("launch (pnpm start) mounts a plugin's routes and tables, given the sandbox's URL", async () => {
    let seen = "";
    const running = await launch({
      sandboxPort: 0,
      service: { port: 0, dataDir: ":memory:", databaseUrl: undefined, masterKey: randomBytes(32).toString("hex") },
      log: pino({ level: "silent" }),
      plugins: (sandboxUrl) => {
        seen = sandboxUrl;
        return {
          migrations: plugin,
          routes: [(app, ctx) => app.get("/example/things", async () => ctx.db.query("select count(*)::int as n from example_things"))],
        };
      },
    });
    try {
      expect(seen).toBe(running.sandbox.url);
      const res = await fetch(`${running.service.url}/example/things`);
      expect([res.status, await res.json()]).toEqual([200, [{ n: 0 }]]);
    } finally {
      await running.stop();
    }
  });
});
